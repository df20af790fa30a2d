import type { ChannelTestResult, NotificationChannel } from '@ioc/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, errorCodeOf } from '../../lib/http';
import { createChannel, deleteChannel, fetchChannels, testChannel, updateChannel } from './api';
import { type ChannelField, type ChannelForm, type Checked, SECRET_MIN, channelFormOf, checkChannel, isEmailAddress } from './forms';
import { DeleteConfirm, EditableListPanel, ItemButtons, ItemEditorForm, useItemEditor, useListEditing } from './itemEditing';
import { EmptyPanel } from '../../lib/StatePanels';
import { AlertLine, Failure, FieldError, Loading, type Outcome, OutcomeLine, describedBy, failureText, refreshNotifications, useRemoval, useSettingsQuery } from './parts';

export const useChannels = () => useSettingsQuery('channels', fetchChannels);

/** The channels: each with what it sends to, a test button, and its edit and delete. */
export function ChannelsPanel() {
  const { t } = useTranslation('notifications');
  const channels = useChannels();
  const list = useListEditing();
  const { editing, setEditing, setOutcome, closeForm } = list;

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
    <EditableListPanel list={list} headingId="ntf-channels-heading" heading={t('channels.heading')} note={t('channels.note')} addLabel={t('channels.add')}>
      {editing === 'new' && (
        <div className="ntf-card ntf-card--editing">
          <ChannelEditor existing={null} onDone={closeForm} />
        </div>
      )}
      {body}
    </EditableListPanel>
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
      <ItemButtons className="ntf-card__actions" name={c.name} onEdit={onEdit} onDelete={() => setConfirming(true)} showDelete={!confirming} />
      {confirming && (
        <DeleteConfirm question={t('channels.deleteConfirm', { name: c.name })} yesLabel={t('channels.deleteYes')} busy={busy} onYes={() => void remove()} onCancel={() => setConfirming(false)} />
      )}
      {error && <AlertLine text={error} />}
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

/** The form checked, as the request it makes: the new channel, or the changes to `existing`. */
function channelRequest(form: ChannelForm, existing: NotificationChannel | null): Checked<ChannelField, () => Promise<NotificationChannel>> {
  if (!existing) {
    const checked = checkChannel(form, null);
    return checked.ok ? { ok: true, body: () => createChannel(checked.body) } : checked;
  }
  const checked = checkChannel(form, existing);
  return checked.ok ? { ok: true, body: () => updateChannel(existing.id, checked.body) } : checked;
}

/** The form of a new channel, or of one being changed; the secret is written, never read back. */
function ChannelEditor({ existing, onDone }: { existing: NotificationChannel | null; onDone: (result: Outcome) => void }) {
  const { t } = useTranslation('notifications');
  const [form, setForm] = useState<ChannelForm>(() => channelFormOf(existing));
  const [showSecret, setShowSecret] = useState(false);
  const editor = useItemEditor({
    check: () => channelRequest(form, existing),
    firstInvalid: (errors) => (['name', 'from', 'url', 'secret'] as const).find((f) => errors[f]),
    save: (request) => request(),
    savedText: (name) => (existing ? t('channels.saved', { name }) : t('channels.created', { name })),
    failedText: (reason) => t('channels.failed', { reason }),
    onDone,
  });
  const { id, errors } = editor;

  const set = <K extends keyof ChannelForm>(key: K, value: ChannelForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const kind = existing?.kind ?? form.kind;

  const field = (name: ChannelField) => ({
    id: `${id}-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
  });

  return (
    <ItemEditorForm
      editor={editor}
      title={existing ? t('channels.form.titleEdit', { name: existing.name }) : t('channels.form.titleNew')}
      submitLabel={existing ? t('channels.form.submitEdit') : t('channels.form.submitNew')}
      onCancel={() => onDone(null)}
    >
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
            <input
              {...field('url')}
              type="url"
              inputMode="url"
              value={form.url}
              onChange={(e) => set('url', e.target.value)}
              aria-describedby={describedBy(`${id}-url-hint`, errors.url && `${id}-url-error`)}
            />
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
    </ItemEditorForm>
  );
}
