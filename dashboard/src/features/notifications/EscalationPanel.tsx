import { type EscalationPolicy, type NotificationChannel, SEVERITIES } from '@ioc/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../lib/format';
import { describeError } from '../../lib/http';
import { severityLabel } from '../operations/alertList';
import { fetchEscalationPolicy, saveEscalationPolicy } from './api';
import { useChannels } from './ChannelsPanel';
import { type EscalationField, type EscalationForm, type FormErrors, checkEscalation, escalationFormOf } from './forms';
import { Failure, FieldError, FormFooter, Loading, type Outcome, OutcomeLine, describedBy, failureText, refreshNotifications, useSettingsQuery } from './parts';

/** The working minutes per severity before an unacknowledged alert goes to the leaders, and over which channels. */
export function EscalationPanel() {
  const { t } = useTranslation('notifications');
  const policy = useSettingsQuery('escalation-policy', fetchEscalationPolicy);
  const channels = useChannels();
  const failed = [policy, channels].find((p) => p.data === null && p.error !== null);
  // Kept here, not in the editor: a saved policy remounts the editor, and the confirmation must outlive it.
  const [outcome, setOutcome] = useState<Outcome>(null);

  return (
    <section className="panel ntf-panel" aria-labelledby="ntf-esc-heading">
      <div className="panel__head">
        <h2 id="ntf-esc-heading">{t('escalation.heading')}</h2>
      </div>
      <p className="panel__note ntf-note">{t('escalation.note')}</p>
      {policy.data && channels.data ? (
        // A saved policy comes back with a new time: the form starts again from it.
        <EscalationEditor key={policy.data.updatedAt ?? 'never'} policy={policy.data} channels={channels.data} onOutcome={setOutcome} />
      ) : failed ? (
        <Failure text={t('escalation.error', { reason: describeError(failed.error) })} onRetry={() => [policy, channels].forEach((p) => p.refresh())} busy={policy.fetching || channels.fetching} />
      ) : (
        <Loading text={t('escalation.loading')} />
      )}
      <OutcomeLine outcome={outcome} />
    </section>
  );
}

function EscalationEditor({ policy, channels, onOutcome }: { policy: EscalationPolicy; channels: NotificationChannel[]; onOutcome: (o: Outcome) => void }) {
  const { t } = useTranslation('notifications');
  const id = useId();
  const [form, setForm] = useState<EscalationForm>(() => escalationFormOf(policy));
  const [errors, setErrors] = useState<FormErrors<EscalationField>>({});
  const [busy, setBusy] = useState(false);
  const setOutcome = onOutcome;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = checkEscalation(form);
    setOutcome(null);
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = SEVERITIES.find((s) => checked.errors[s]);
      if (first) document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await saveEscalationPolicy(checked.body);
      setOutcome({ tone: 'ok', text: t('escalation.saved') });
      await refreshNotifications();
    } catch (err) {
      setOutcome({ tone: 'error', text: t('escalation.failed', { reason: failureText(err) }) });
    } finally {
      setBusy(false);
    }
  };

  const toggle = (channelId: string, on: boolean) => setForm((f) => ({ ...f, channelIds: on ? [...f.channelIds, channelId] : f.channelIds.filter((c) => c !== channelId) }));

  return (
    <form className="ntf-form ntf-form--plain" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="ntf-minutes">
        <legend>{t('escalation.minutesLegend')}</legend>
        <p id={`${id}-hint`} className="ntf-field__hint">
          {t('escalation.minutesHint')}
        </p>
        <div className="ntf-minutes__grid">
          {SEVERITIES.map((s) => (
            <div key={s} className="ntf-field">
              <label htmlFor={`${id}-${s}`}>
                <span className={`ntf-sev ntf-sev--${s}`}>{t('escalation.minutes', { severity: severityLabel(s) })}</span>
              </label>
              <input
                id={`${id}-${s}`}
                type="text"
                inputMode="numeric"
                maxLength={5}
                value={form.minutes[s]}
                onChange={(e) => setForm((f) => ({ ...f, minutes: { ...f.minutes, [s]: e.target.value } }))}
                aria-invalid={errors[s] ? true : undefined}
                aria-describedby={describedBy(`${id}-hint`, errors[s] && `${id}-${s}-error`)}
              />
              <FieldError id={`${id}-${s}-error`} code={errors[s]} />
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset className="ntf-channels">
        <legend>{t('escalation.channels')}</legend>
        {channels.length === 0 ? (
          <p className="ntf-field__hint">{t('escalation.noChannels')}</p>
        ) : (
          channels.map((c) => (
            <label key={c.id} className="ntf-check">
              <input type="checkbox" checked={form.channelIds.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
              {c.name} ({t(`channels.kind.${c.kind}`)})
            </label>
          ))
        )}
        {channels.length > 0 && form.channelIds.length === 0 && <p className="ntf-warning">{t('escalation.noChannelsChosen')}</p>}
      </fieldset>
      <p className="ntf-field__hint">{policy.updatedBy && policy.updatedAt ? t('escalation.updated', { who: policy.updatedBy, at: formatInstant(policy.updatedAt) }) : t('escalation.neverUpdated')}</p>
      <FormFooter hasErrors={Object.keys(errors).length > 0} busy={busy} submitLabel={t('escalation.save')} />
    </form>
  );
}
