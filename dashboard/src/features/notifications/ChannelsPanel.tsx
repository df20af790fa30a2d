import type { ChannelTestResult, NotificationChannel } from '@ioc/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, errorCodeOf } from '../../lib/http';
import { useApiQuery } from '../../lib/useApiQuery';
import { createChannel, deleteChannel, fetchChannels, testChannel, updateChannel } from './api';
import { type ChannelField, type ChannelForm, type FormErrors, SECRET_MIN, channelFormOf, checkChannel, isEmailAddress } from './forms';
import { EmptyPanel } from '../../lib/StatePanels';
import { Failure, FieldError, FormFooter, Loading, NOTIFICATIONS_KEY, type Outcome, OutcomeLine, describedBy, failureText, refreshNotifications, useRemoval } from './parts';

export const useChannels = () => useApiQuery([NOTIFICATIONS_KEY, 'channels'], fetchChannels, { refetchMs: false, staleMs: 0 });

/** The channels: each with what it sends to, a test button, and its edit and delete. */
export function ChannelsPanel() {
  const { t } = useTranslation('notifications');
  const channels = useChannels();
  const [editing, setEditing] = useState<string | null>(null); // 'new' while the form for a new one is open, else the id being edited
  const [outcome, setOutcome] = useState<Outcome>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  const closeForm = (result: Outcome) => {
    setEditing(null);
    if (result) setOutcome(result);
    // Back to where the form was opened from.
    setTimeout(() => addButton.current?.focus(), 0);
  };

  const body = (() => {
    if (!channels.data) {
      return channels.error ? (
        <Failure text={t('channels.error', { reason: describeError(channels.error) })} onRetry={channels.refresh} busy={channels.fetching} />
      ) : (
        <Loading text={t('channels.loading')} />
      );
    }
    if (channels.data.length === 0 && editing !== 'new') return <EmptyPanel>{t('channels.empty')}</EmptyPanel>;
    return (
      <ul className="ntf-cards" aria-label={t('channels.caption')}>
        {channels.data.map((c) =>
          editing === c.id ? (
            <li key={c.id} className="ntf-card ntf-card--editing">
              <ChannelEditor existing={c} onDone={closeForm} />
            </li>
          ) : (
            <ChannelCard key={c.id} channel={c} onEdit={() => setEditing(c.id)} onDeleted={(text) => setOutcome({ tone: 'ok', text })} />
          ),
        )}
      </ul>
    );
  })();

  return (
    <section className="panel ntf-panel" aria-labelledby="ntf-channels-heading">
      <div className="panel__head">
        <h2 id="ntf-channels-heading">{t('channels.heading')}</h2>
        <button ref={addButton} type="button" className="button button--small" onClick={() => setEditing('new')} disabled={editing === 'new'}>
          {t('channels.add')}
        </button>
      </div>
      <p className="panel__note ntf-note">{t('channels.note')}</p>
      <OutcomeLine outcome={outcome} />
      {editing === 'new' && (
        <div className="ntf-card ntf-card--editing">
          <ChannelEditor existing={null} onDone={closeForm} />
        </div>
      )}
      {body}
    </section>
  );
}

function ChannelCard({ channel: c, onEdit, onDeleted }: { channel: NotificationChannel; onEdit: () => void; onDeleted: (text: string) => void }) {
  const { t } = useTranslation('notifications');
  const id = useId();
  const { confirming, setConfirming, busy, error, remove } = useRemoval(
    () => deleteChannel(c.id),
    () => onDeleted(t('channels.deleted', { name: c.name })),
    (reason) => t('channels.deleteFailed', { reason }),
  );

  return (
    <li className="ntf-card" aria-labelledby={`${id}-name`} data-channel-id={c.id}>
      <div className="ntf-card__head">
        <h3 id={`${id}-name`} className="ntf-card__name">
          {c.name}
        </h3>
        <span className={`ntf-kind ntf-kind--${c.kind}`}>{t(`channels.kind.${c.kind}`)}</span>
        <span className={`ntf-switch ntf-switch--${c.enabled ? 'on' : 'off'}`}>{c.enabled ? t('common.enabled') : t('common.disabled')}</span>
      </div>
      <dl className="ntf-facts">
        <div>
          <dt>{t('channels.columns.target')}</dt>
          <dd className="ntf-break">{c.kind === 'webhook' ? c.url : (c.from ?? t('channels.fromDefault'))}</dd>
        </div>
        <div>
          <dt>{t('channels.columns.secret')}</dt>
          <dd>{c.kind === 'webhook' ? (c.hasSecret ? t('channels.secretSet') : t('channels.secretNone')) : t('channels.notApplicable')}</dd>
        </div>
      </dl>
      <ChannelTest channel={c} />
      <div className="ntf-card__actions">
        <button type="button" className="button button--secondary button--small" onClick={onEdit} aria-label={t('common.editLabel', { name: c.name })}>
          {t('common.edit')}
        </button>
        {!confirming && (
          <button type="button" className="button button--secondary button--small ntf-danger" onClick={() => setConfirming(true)} aria-label={t('common.deleteLabel', { name: c.name })}>
            {t('common.delete')}
          </button>
        )}
      </div>
      {confirming && (
        <div className="ntf-confirm" role="group" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>{t('channels.deleteConfirm', { name: c.name })}</p>
          <button type="button" className="button button--small ntf-danger-solid" onClick={() => void remove()} disabled={busy}>
            {busy ? t('common.updating') : t('channels.deleteYes')}
          </button>
          <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(false)} disabled={busy}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {error && (
        <p className="ntf-outcome ntf-outcome--error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** "Send test": a test message through the channel now, and what came of it. */
function ChannelTest({ channel: c }: { channel: NotificationChannel }) {
  const { t } = useTranslation('notifications');
  const id = useId();
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const address = to.trim();
    if (address && !isEmailAddress(address)) {
      setOutcome({ tone: 'error', text: t('channels.testBadAddress') });
      return;
    }
    setBusy(true);
    setOutcome(null);
    try {
      const r: ChannelTestResult = await testChannel(c.id, c.kind === 'email' && address ? address : null);
      setOutcome(r.delivered ? { tone: 'ok', text: t('channels.testOk', { detail: r.detail }) } : { tone: 'error', text: t('channels.testFailed', { detail: r.detail }) });
      // A test mail lands in the demo's catcher: its list is worth reading again.
      await refreshNotifications();
    } catch (err) {
      const noAddress = c.kind === 'email' && !address && errorCodeOf(err) === 'BAD_REQUEST';
      setOutcome({ tone: 'error', text: noAddress ? t('channels.testNoAddress') : t('channels.testError', { reason: failureText(err) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="ntf-test" onSubmit={(e) => void send(e)} noValidate>
      {c.kind === 'email' && (
        <div className="ntf-field ntf-field--inline">
          <label htmlFor={`${id}-to`}>{t('channels.testTo')}</label>
          <input id={`${id}-to`} type="email" autoComplete="email" value={to} placeholder={t('channels.testToPlaceholder')} onChange={(e) => setTo(e.target.value)} />
        </div>
      )}
      <button type="submit" className="button button--small" disabled={busy} aria-label={t('channels.testLabel', { name: c.name })}>
        {busy ? t('channels.testing') : t('channels.test')}
      </button>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}

/** The form of a new channel, or of one being changed; the secret is written, never read back. */
function ChannelEditor({ existing, onDone }: { existing: NotificationChannel | null; onDone: (result: Outcome) => void }) {
  const { t } = useTranslation('notifications');
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [form, setForm] = useState<ChannelForm>(() => channelFormOf(existing));
  const [errors, setErrors] = useState<FormErrors<ChannelField>>({});
  const [showSecret, setShowSecret] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => heading.current?.focus(), []);

  const set = <K extends keyof ChannelForm>(key: K, value: ChannelForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const kind = existing?.kind ?? form.kind;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = checkChannel(form, existing);
    setFailure(null);
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = (['name', 'from', 'url', 'secret'] as const).find((f) => checked.errors[f]);
      if (first) document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = existing ? await updateChannel(existing.id, checked.body) : await createChannel(checked.body);
      await refreshNotifications();
      onDone({ tone: 'ok', text: existing ? t('channels.saved', { name: saved.name }) : t('channels.created', { name: saved.name }) });
    } catch (err) {
      setFailure(t('channels.failed', { reason: failureText(err) }));
      setBusy(false);
    }
  };

  const field = (name: ChannelField) => ({
    id: `${id}-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
  });

  return (
    <form className="ntf-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1} className="ntf-form__title">
        {existing ? t('channels.form.titleEdit', { name: existing.name }) : t('channels.form.titleNew')}
      </h3>
      <div className="ntf-form__grid">
        <div className="ntf-field">
          <label htmlFor={`${id}-name`}>{t('channels.form.name')}</label>
          <input {...field('name')} type="text" maxLength={100} value={form.name} onChange={(e) => set('name', e.target.value)} aria-describedby={describedBy(errors.name && `${id}-name-error`)} />
          <FieldError id={`${id}-name-error`} code={errors.name} />
        </div>
        {existing ? null : (
          <fieldset className="ntf-field ntf-choice">
            <legend>{t('channels.form.kind')}</legend>
            {(['webhook', 'email'] as const).map((k) => (
              <label key={k} className="ntf-check">
                <input type="radio" name={`${id}-kind`} value={k} checked={form.kind === k} onChange={() => set('kind', k)} />
                {t(`channels.kind.${k}`)}
              </label>
            ))}
          </fieldset>
        )}
        {kind === 'email' ? (
          <div className="ntf-field ntf-field--wide">
            <label htmlFor={`${id}-from`}>{t('channels.form.from')}</label>
            <input {...field('from')} type="text" value={form.from} onChange={(e) => set('from', e.target.value)} aria-describedby={describedBy(`${id}-from-hint`, errors.from && `${id}-from-error`)} />
            <p id={`${id}-from-hint`} className="ntf-field__hint">
              {t('channels.form.fromHint')}
            </p>
            <FieldError id={`${id}-from-error`} code={errors.from} />
          </div>
        ) : (
          <>
            <div className="ntf-field ntf-field--wide">
              <label htmlFor={`${id}-url`}>{t('channels.form.url')}</label>
              <input {...field('url')} type="url" inputMode="url" value={form.url} onChange={(e) => set('url', e.target.value)} aria-describedby={describedBy(`${id}-url-hint`, errors.url && `${id}-url-error`)} />
              <p id={`${id}-url-hint`} className="ntf-field__hint">
                {t('channels.form.urlHint')}
              </p>
              <FieldError id={`${id}-url-error`} code={errors.url} />
            </div>
            <div className="ntf-field ntf-field--wide">
              <label htmlFor={`${id}-secret`}>{t('channels.form.secret')}</label>
              <div className="ntf-secret">
                <input
                  {...field('secret')}
                  type={showSecret ? 'text' : 'password'}
                  autoComplete="new-password"
                  spellCheck={false}
                  minLength={SECRET_MIN}
                  value={form.secret}
                  onChange={(e) => set('secret', e.target.value)}
                  aria-describedby={describedBy(`${id}-secret-hint`, errors.secret && `${id}-secret-error`)}
                />
                <button type="button" className="button button--secondary button--small" aria-pressed={showSecret} onClick={() => setShowSecret(!showSecret)}>
                  {showSecret ? t('channels.form.hideSecret') : t('channels.form.showSecret')}
                </button>
              </div>
              <p id={`${id}-secret-hint`} className="ntf-field__hint">
                {existing?.hasSecret ? t('channels.form.secretKeep') : t('channels.form.secretHint')}
              </p>
              <FieldError id={`${id}-secret-error`} code={errors.secret} />
            </div>
          </>
        )}
        <label className="ntf-check ntf-field--wide">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          {t('channels.form.enabled')}
        </label>
      </div>
      <FormFooter
        hasErrors={Object.keys(errors).length > 0}
        failure={failure}
        busy={busy}
        submitLabel={existing ? t('channels.form.submitEdit') : t('channels.form.submitNew')}
        onCancel={() => onDone(null)}
      />
    </form>
  );
}
