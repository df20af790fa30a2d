import type { AlertDetail } from '@ioc/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, errorCodeOf } from '../../lib/http';
import { acknowledgeAlert, commentOnAlert } from './api';
import { AssignForm } from './AssignForm';

interface Props {
  alert: AlertDetail;
  /** After an action (or a refusal that means the alert changed): load it again. */
  onChanged: () => void;
}

type Outcome = { tone: 'ok' | 'error'; text: string } | null;

/** Acknowledge with a note, assign to a person, and comment; shown only to those who may act on the alert. */
export function AlertActions({ alert, onChanged }: Props) {
  const { t } = useTranslation('operations');
  const id = useId();
  const [ackNote, setAckNote] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'ack' | 'comment' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const acknowledge = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('ack');
    setOutcome(null);
    try {
      await acknowledgeAlert(alert.id, ackNote);
      setAckNote('');
      setOutcome({ tone: 'ok', text: t('actions.acknowledged') });
    } catch (err) {
      setOutcome({ tone: 'error', text: errorCodeOf(err) === 'CONFLICT' ? t('actions.alreadyAcknowledged') : t('actions.failed', { reason: describeError(err) }) });
    } finally {
      setBusy(null);
      onChanged();
    }
  };

  const addComment = async (e: FormEvent) => {
    e.preventDefault();
    if (!comment.trim()) return;
    setBusy('comment');
    setOutcome(null);
    try {
      await commentOnAlert(alert.id, comment);
      setComment('');
      setOutcome({ tone: 'ok', text: t('actions.commented') });
      onChanged();
    } catch (err) {
      setOutcome({ tone: 'error', text: t('actions.failed', { reason: describeError(err) }) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="alert-actions">
      {!alert.acknowledged && (
        <form className="alert-actions__form" onSubmit={(e) => void acknowledge(e)}>
          <label htmlFor={`${id}-ack`}>{t('actions.ackNote')}</label>
          <textarea id={`${id}-ack`} rows={2} maxLength={2000} value={ackNote} onChange={(e) => setAckNote(e.target.value)} placeholder={t('actions.ackPlaceholder')} />
          <button type="submit" className="button" disabled={busy !== null}>
            {busy === 'ack' ? t('actions.sending') : t('actions.acknowledge')}
          </button>
        </form>
      )}
      <AssignForm alert={alert} onChanged={onChanged} />
      <form className="alert-actions__form" onSubmit={(e) => void addComment(e)}>
        <label htmlFor={`${id}-comment`}>{t('actions.comment')}</label>
        <textarea id={`${id}-comment`} rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
        <button type="submit" className="button button--secondary" disabled={busy !== null || comment.trim() === ''}>
          {busy === 'comment' ? t('actions.sending') : t('actions.addComment')}
        </button>
      </form>
      <p className={`alert-actions__outcome alert-actions__outcome--${outcome?.tone ?? 'none'}`} role="status">
        {outcome?.text ?? ''}
      </p>
    </div>
  );
}
