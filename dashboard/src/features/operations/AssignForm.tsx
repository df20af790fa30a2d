import { ROLE_LABELS, type AlertDetail } from '@ioc/shared';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { describeError, errorCodeOf } from '../../lib/http';
import { useApiQuery } from '../../lib/useApiQuery';
import { assignAlert, fetchAssignees } from './api';

interface Props {
  alert: AlertDetail;
  onChanged: () => void;
}

type Outcome = { tone: 'ok' | 'error'; text: string } | null;

/** Assigns the alert to one of the people who may act on its unit, with an optional note. */
export function AssignForm({ alert, onChanged }: Props) {
  const { t } = useTranslation('operations');
  const id = useId();
  const fetcher = useCallback((signal: AbortSignal) => fetchAssignees(alert.id, signal), [alert.id]);
  const people = useApiQuery(['alert', alert.id, 'assignees'], fetcher, { refetchMs: false, staleMs: 60_000 });
  const [who, setWho] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!who) return;
    setBusy(true);
    setOutcome(null);
    try {
      const done = await assignAlert(alert.id, who, note);
      setNote('');
      setWho('');
      setOutcome({ tone: 'ok', text: t('assign.assigned', { who: done.assigneeName ?? done.assignee ?? who }) });
    } catch (err) {
      setOutcome({ tone: 'error', text: errorCodeOf(err) === 'CONFLICT' ? t('assign.already') : t('actions.failed', { reason: describeError(err) }) });
    } finally {
      setBusy(false);
      onChanged();
    }
  };

  if (people.data === null) {
    return people.error ? (
      <p className="alert-actions__outcome alert-actions__outcome--error" role="alert">
        {t('assign.error', { reason: describeError(people.error) })}
      </p>
    ) : (
      <p className="panel__text" role="status">
        {t('assign.loading')}
      </p>
    );
  }
  if (people.data.length === 0) return <p className="panel__text">{t('assign.none')}</p>;
  const lang = currentLanguage();
  return (
    <form className="alert-actions__form assign-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={`${id}-who`}>{t('assign.person')}</label>
      <select id={`${id}-who`} value={who} onChange={(e) => setWho(e.target.value)} aria-describedby={`${id}-hint`}>
        <option value="">{t('assign.choose')}</option>
        {people.data.map((p) => (
          <option key={p.username} value={p.username}>
            {p.displayName} ({p.username}) · {ROLE_LABELS[p.role][lang]}
            {p.username === alert.assignee ? ` ${t('assign.current')}` : ''}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="alert-filters__hint">
        {t('assign.hint')}
      </span>
      <label htmlFor={`${id}-note`}>{t('assign.note')}</label>
      <textarea id={`${id}-note`} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <button type="submit" className="button button--secondary" disabled={busy || who === '' || who === alert.assignee}>
        {busy ? t('actions.sending') : t('assign.submit')}
      </button>
      <p className={`alert-actions__outcome alert-actions__outcome--${outcome?.tone ?? 'none'}`} role="status">
        {outcome?.text ?? ''}
      </p>
    </form>
  );
}
