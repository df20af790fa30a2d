import { DEFAULT_RULES, type NotificationChannel, type NotificationContact, type NotificationGroup, type NotificationSubscription, type Province, type Role, SEVERITIES } from '@ioc/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../lib/http';
import { kpiName } from '../../lib/kpiText';
import { roleLabel } from '../../lib/roleText';
import { fetchProvinces } from '../../lib/units';
import { useApiQuery } from '../../lib/useApiQuery';
import { severityLabel } from '../operations/alertList';
import { createSubscription, deleteSubscription, fetchContacts, fetchGroups, fetchSubscriptions, updateSubscription } from './api';
import { useChannels } from './ChannelsPanel';
import { type SubscriptionField, type SubscriptionForm, checkSubscription, subscriptionFormOf } from './forms';
import { DeleteConfirm, EditableListPanel, ItemButtons, ItemEditorForm, useItemEditor, useListEditing } from './itemEditing';
import { EmptyPanel } from '../../lib/StatePanels';
import { AlertLine, Failure, FieldError, Loading, type Outcome, describedBy, useRemoval, useSettingsQuery } from './parts';

interface Lookups {
  channels: NotificationChannel[];
  contacts: NotificationContact[];
  groups: NotificationGroup[];
  provinces: Province[];
}

/** Who gets which alerts, through which channel, with the form to add or change one. */
export function SubscriptionsPanel() {
  const { t } = useTranslation('notifications');
  const subs = useSettingsQuery('subscriptions', fetchSubscriptions);
  const channels = useChannels();
  const contacts = useSettingsQuery('contacts', fetchContacts);
  const groups = useSettingsQuery('groups', fetchGroups);
  const provinces = useApiQuery(['units', 'provinces'], () => fetchProvinces(), { refetchMs: false });
  const list = useListEditing();
  const { editing, setEditing, setOutcome, closeForm } = list;

  const parts = [subs, channels, contacts, groups, provinces];
  const failed = parts.find((p) => p.data === null && p.error !== null);
  const lookups: Lookups | null =
    channels.data && contacts.data && groups.data && provinces.data ? { channels: channels.data, contacts: contacts.data, groups: groups.data, provinces: provinces.data } : null;

  const body = (() => {
    if (!subs.data || !lookups) {
      return failed ? (
        <Failure text={t('subscriptions.error', { reason: describeError(failed.error) })} onRetry={() => parts.forEach((p) => p.data === null && p.refresh())} busy={parts.some((p) => p.fetching)} />
      ) : (
        <Loading text={t('subscriptions.loading')} />
      );
    }
    const items = subs.data;
    return (
      <>
        {editing === 'new' && (
          <div className="ntf-card ntf-card--editing">
            <SubscriptionEditor existing={null} lookups={lookups} onDone={closeForm} />
          </div>
        )}
        {items.length === 0 ? (
          <EmptyPanel>{lookups.channels.length === 0 ? t('subscriptions.noChannels') : t('subscriptions.empty')}</EmptyPanel>
        ) : (
          <div className="table-wrap">
            <table className="ntf-table">
              <caption className="visually-hidden">{t('subscriptions.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('subscriptions.columns.name')}</th>
                  <th scope="col">{t('subscriptions.columns.recipient')}</th>
                  <th scope="col">{t('subscriptions.columns.scope')}</th>
                  <th scope="col">{t('subscriptions.columns.minSeverity')}</th>
                  <th scope="col">{t('subscriptions.columns.rule')}</th>
                  <th scope="col">{t('subscriptions.columns.channel')}</th>
                  <th scope="col">{t('subscriptions.columns.quiet')}</th>
                  <th scope="col">{t('subscriptions.columns.state')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) =>
                  editing === s.id ? (
                    <tr key={s.id}>
                      <td colSpan={9}>
                        <SubscriptionEditor existing={s} lookups={lookups} onDone={closeForm} />
                      </td>
                    </tr>
                  ) : (
                    <SubscriptionRow key={s.id} sub={s} lookups={lookups} onEdit={() => setEditing(s.id)} onDeleted={(text) => setOutcome({ tone: 'ok', text })} />
                  ),
                )}
              </tbody>
            </table>
          </div>
        )}
      </>
    );
  })();

  return (
    <EditableListPanel
      list={list}
      headingId="ntf-subs-heading"
      heading={t('subscriptions.heading')}
      note={t('subscriptions.note')}
      addLabel={t('subscriptions.add')}
      canAdd={lookups !== null && lookups.channels.length > 0}
    >
      {body}
    </EditableListPanel>
  );
}

function useNames(l: Lookups) {
  const { t } = useTranslation('notifications');
  const { t: tApp } = useTranslation('app');
  return {
    recipient: (s: NotificationSubscription) => {
      if (s.recipient.kind === 'user') {
        const { userId } = s.recipient;
        const c = l.contacts.find((x) => x.userId === userId);
        return c ? `${c.displayName} (${c.username})` : t('subscriptions.unknown', { id: userId });
      }
      const { groupId } = s.recipient;
      const g = l.groups.find((x) => x.id === groupId);
      return t('subscriptions.groupName', { name: g?.name ?? groupId });
    },
    scope: (scope: string) => {
      const [level, code = ''] = scope.split(':');
      if (level === 'nation') return tApp('nation');
      if (level === 'province') return l.provinces.find((p) => p.code === code)?.name ?? scope;
      return t('subscriptions.commune', { code });
    },
    channel: (channelId: string) => l.channels.find((c) => c.id === channelId)?.name ?? t('subscriptions.unknown', { id: channelId }),
    rule: (ruleId: string | null) => {
      if (ruleId === null) return t('subscriptions.allRules');
      const r = DEFAULT_RULES.find((x) => x.id === ruleId);
      return r ? kpiName(r) : ruleId;
    },
  };
}

function SubscriptionRow({ sub: s, lookups, onEdit, onDeleted }: { sub: NotificationSubscription; lookups: Lookups; onEdit: () => void; onDeleted: (text: string) => void }) {
  const { t } = useTranslation('notifications');
  const names = useNames(lookups);
  const { confirming, setConfirming, busy, error, remove } = useRemoval(
    () => deleteSubscription(s.id),
    () => onDeleted(t('subscriptions.deleted', { name: s.name })),
    (reason) => t('subscriptions.deleteFailed', { reason }),
  );
  return (
    <tr data-subscription-id={s.id}>
      <th scope="row" className="ntf-table__name">
        {s.name}
      </th>
      <td>{names.recipient(s)}</td>
      <td>{names.scope(s.scope)}</td>
      <td>
        <span className={`ntf-sev ntf-sev--${s.minSeverity}`}>{severityLabel(s.minSeverity)}</span>
      </td>
      <td>{names.rule(s.ruleId)}</td>
      <td>{names.channel(s.channelId)}</td>
      <td>{s.quietHours ? t('subscriptions.quietRange', { start: s.quietHours.start, end: s.quietHours.end }) : t('subscriptions.noQuiet')}</td>
      <td>
        <span className={`ntf-switch ntf-switch--${s.enabled ? 'on' : 'off'}`}>{s.enabled ? t('common.enabled') : t('common.disabled')}</span>
        {s.notifyResolved && <span className="ntf-sub">{t('subscriptions.resolvedToo')}</span>}
      </td>
      <td>
        {confirming ? (
          <DeleteConfirm
            question={t('subscriptions.deleteConfirm', { name: s.name })}
            yesLabel={t('subscriptions.deleteYes')}
            busy={busy}
            onYes={() => void remove()}
            onCancel={() => setConfirming(false)}
          />
        ) : (
          <ItemButtons className="ntf-row-actions" name={s.name} onEdit={onEdit} onDelete={() => setConfirming(true)} />
        )}
        {error && <AlertLine text={error} />}
      </td>
    </tr>
  );
}

const FIELD_ORDER: readonly SubscriptionField[] = ['name', 'recipient', 'commune', 'channelId', 'quietStart', 'quietEnd'];

function SubscriptionEditor({ existing, lookups, onDone }: { existing: NotificationSubscription | null; lookups: Lookups; onDone: (result: Outcome) => void }) {
  const { t } = useTranslation('notifications');
  const [form, setForm] = useState<SubscriptionForm>(() => subscriptionFormOf(existing, lookups.channels.length === 1 ? lookups.channels[0]!.id : ''));
  const editor = useItemEditor({
    check: () => checkSubscription(form),
    firstInvalid: (errors) => {
      const first = FIELD_ORDER.find((f) => errors[f]);
      return first === 'recipient' ? (form.recipientKind === 'user' ? 'user' : 'group') : first;
    },
    save: (body) => (existing ? updateSubscription(existing.id, body) : createSubscription(body)),
    savedText: (name) => (existing ? t('subscriptions.saved', { name }) : t('subscriptions.created', { name })),
    failedText: (reason) => t('subscriptions.failed', { reason }),
    onDone,
  });
  const { id, errors } = editor;
  const set = <K extends keyof SubscriptionForm>(key: K, value: SubscriptionForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const fid = (f: string) => `${id}-${f}`;
  const invalid = (f: SubscriptionField) => (errors[f] ? true : undefined);
  const errorId = (f: SubscriptionField) => errors[f] && `${id}-${f}-error`;

  return (
    <ItemEditorForm
      editor={editor}
      title={existing ? t('subscriptions.form.titleEdit', { name: existing.name }) : t('subscriptions.form.titleNew')}
      submitLabel={existing ? t('subscriptions.form.submitEdit') : t('subscriptions.form.submitNew')}
      onCancel={() => onDone(null)}
    >
      <div className="ntf-field">
        <label htmlFor={fid('name')}>{t('subscriptions.form.name')}</label>
        <input
          id={fid('name')}
          type="text"
          maxLength={100}
          value={form.name}
          onChange={(e) => set('name', e.target.value)}
          aria-invalid={invalid('name')}
          aria-describedby={describedBy(`${id}-name-hint`, errorId('name'))}
        />
        <p id={`${id}-name-hint`} className="ntf-field__hint">
          {t('subscriptions.form.nameHint')}
        </p>
        <FieldError id={`${id}-name-error`} code={errors.name} />
      </div>

      <fieldset className="ntf-field ntf-choice">
        <legend>{t('subscriptions.form.recipientKind')}</legend>
        {(['user', 'group'] as const).map((k) => (
          <label key={k} className="ntf-check">
            <input type="radio" name={`${id}-rk`} value={k} checked={form.recipientKind === k} onChange={() => set('recipientKind', k)} />
            {k === 'user' ? t('subscriptions.form.recipientUser') : t('subscriptions.form.recipientGroup')}
          </label>
        ))}
      </fieldset>

      {form.recipientKind === 'user' ? (
        <div className="ntf-field">
          <label htmlFor={fid('user')}>{t('subscriptions.form.user')}</label>
          <select
            id={fid('user')}
            value={form.userId}
            onChange={(e) => set('userId', e.target.value)}
            aria-invalid={invalid('recipient')}
            aria-describedby={describedBy(`${id}-scope-hint`, errorId('recipient'))}
          >
            <option value="">{t('subscriptions.form.userPlaceholder')}</option>
            {lookups.contacts.map((c) => (
              <option key={c.userId} value={c.userId}>
                {c.displayName} ({c.username}) — {roleLabel(c.role as Role)}
                {c.email ? '' : ` — ${t('subscriptions.form.noEmail')}`}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-recipient-error`} code={errors.recipient} />
        </div>
      ) : (
        <div className="ntf-field">
          <label htmlFor={fid('group')}>{t('subscriptions.form.group')}</label>
          <select
            id={fid('group')}
            value={form.groupId}
            onChange={(e) => set('groupId', e.target.value)}
            aria-invalid={invalid('recipient')}
            aria-describedby={describedBy(lookups.groups.length === 0 && `${id}-groups-hint`, errorId('recipient'))}
          >
            <option value="">{t('subscriptions.form.groupPlaceholder')}</option>
            {lookups.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name} ({g.members.length})
              </option>
            ))}
          </select>
          {lookups.groups.length === 0 && (
            <p id={`${id}-groups-hint`} className="ntf-field__hint">
              {t('subscriptions.form.noGroups')}
            </p>
          )}
          <FieldError id={`${id}-recipient-error`} code={errors.recipient} />
        </div>
      )}

      <div className="ntf-field">
        <label htmlFor={fid('province')}>{t('subscriptions.form.province')}</label>
        <select id={fid('province')} value={form.province} onChange={(e) => set('province', e.target.value)} aria-describedby={`${id}-scope-hint`}>
          <option value="">{t('subscriptions.form.nation')}</option>
          {lookups.provinces.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
        <p id={`${id}-scope-hint`} className="ntf-field__hint">
          {t('subscriptions.form.scopeHint')}
        </p>
      </div>
      <div className="ntf-field">
        <label htmlFor={fid('commune')}>{t('subscriptions.form.commune')}</label>
        <input
          id={fid('commune')}
          type="text"
          inputMode="numeric"
          maxLength={5}
          value={form.commune}
          onChange={(e) => set('commune', e.target.value)}
          aria-invalid={invalid('commune')}
          aria-describedby={describedBy(`${id}-commune-hint`, errorId('commune'))}
        />
        <p id={`${id}-commune-hint`} className="ntf-field__hint">
          {t('subscriptions.form.communeHint')}
        </p>
        <FieldError id={`${id}-commune-error`} code={errors.commune} />
      </div>

      <div className="ntf-field">
        <label htmlFor={fid('severity')}>{t('subscriptions.form.minSeverity')}</label>
        <select id={fid('severity')} value={form.minSeverity} onChange={(e) => set('minSeverity', SEVERITIES.find((s) => s === e.target.value) ?? 'warning')}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {severityLabel(s)}
            </option>
          ))}
        </select>
      </div>
      <div className="ntf-field">
        <label htmlFor={fid('rule')}>{t('subscriptions.form.rule')}</label>
        <select id={fid('rule')} value={form.ruleId} onChange={(e) => set('ruleId', e.target.value)}>
          <option value="">{t('subscriptions.allRules')}</option>
          {DEFAULT_RULES.map((r) => (
            <option key={r.id} value={r.id}>
              {kpiName(r)}
            </option>
          ))}
        </select>
      </div>
      <div className="ntf-field">
        <label htmlFor={fid('channelId')}>{t('subscriptions.form.channel')}</label>
        <select
          id={fid('channelId')}
          value={form.channelId}
          onChange={(e) => set('channelId', e.target.value)}
          aria-invalid={invalid('channelId')}
          aria-describedby={describedBy(errorId('channelId'))}
        >
          <option value="">{t('subscriptions.form.channelPlaceholder')}</option>
          {lookups.channels.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({t(`channels.kind.${c.kind}`)})
            </option>
          ))}
        </select>
        <FieldError id={`${id}-channelId-error`} code={errors.channelId} />
      </div>

      <fieldset className="ntf-field ntf-field--wide ntf-quiet">
        <legend className="visually-hidden">{t('subscriptions.form.quiet')}</legend>
        <label className="ntf-check">
          <input type="checkbox" checked={form.quiet} onChange={(e) => set('quiet', e.target.checked)} aria-describedby={`${id}-quiet-hint`} />
          {t('subscriptions.form.quiet')}
        </label>
        <p id={`${id}-quiet-hint`} className="ntf-field__hint">
          {t('subscriptions.form.quietHint')}
        </p>
        {form.quiet && (
          <div className="ntf-quiet__times">
            <div className="ntf-field">
              <label htmlFor={fid('quietStart')}>{t('subscriptions.form.quietStart')}</label>
              <input
                id={fid('quietStart')}
                type="time"
                value={form.quietStart}
                onChange={(e) => set('quietStart', e.target.value)}
                aria-invalid={invalid('quietStart')}
                aria-describedby={describedBy(errorId('quietStart'))}
              />
              <FieldError id={`${id}-quietStart-error`} code={errors.quietStart} />
            </div>
            <div className="ntf-field">
              <label htmlFor={fid('quietEnd')}>{t('subscriptions.form.quietEnd')}</label>
              <input
                id={fid('quietEnd')}
                type="time"
                value={form.quietEnd}
                onChange={(e) => set('quietEnd', e.target.value)}
                aria-invalid={invalid('quietEnd')}
                aria-describedby={describedBy(errorId('quietEnd'))}
              />
              <FieldError id={`${id}-quietEnd-error`} code={errors.quietEnd} />
            </div>
          </div>
        )}
      </fieldset>

      <label className="ntf-check">
        <input type="checkbox" checked={form.notifyResolved} onChange={(e) => set('notifyResolved', e.target.checked)} />
        {t('subscriptions.form.notifyResolved')}
      </label>
      <label className="ntf-check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        {t('subscriptions.form.enabled')}
      </label>
    </ItemEditorForm>
  );
}
