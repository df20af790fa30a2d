import type { NotificationDelivery } from '@ioc/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount, formatInstant } from '../../lib/format';
import { describeError } from '../../lib/http';
import { useApiQuery } from '../../lib/useApiQuery';
import { fetchDeadLetters, retryDelivery } from './api';
import { EmptyPanel } from '../../lib/StatePanels';
import { Failure, Loading, NOTIFICATIONS_KEY, type Outcome, OutcomeLine, failureText, refreshNotifications } from './parts';

const PAGE_SIZE = 25;

/** Messages whose every attempt failed, each with "queue again". */
export function DeadLettersPanel() {
  const { t } = useTranslation('notifications');
  const [page, setPage] = useState(1);
  const list = useApiQuery([NOTIFICATIONS_KEY, 'dead-letters', page], (signal) => fetchDeadLetters(page, PAGE_SIZE, signal), { refetchMs: 30_000 });
  const [busyId, setBusyId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const retry = async (d: NotificationDelivery) => {
    setBusyId(d.id);
    setOutcome(null);
    try {
      await retryDelivery(d.id);
      setOutcome({ tone: 'ok', text: t('deadLetters.retried', { subject: d.subject }) });
      await refreshNotifications();
    } catch (e) {
      setOutcome({ tone: 'error', text: t('deadLetters.retryFailed', { reason: failureText(e) }) });
    } finally {
      setBusyId(null);
    }
  };

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <section className="panel ntf-panel" aria-labelledby="ntf-dead-heading">
      <div className="panel__head">
        <h2 id="ntf-dead-heading">{t('deadLetters.heading')}</h2>
        {data && data.total > 0 && <span className="panel__note">{t('deadLetters.total', { count: data.total })}</span>}
      </div>
      <p className="panel__note ntf-note">{t('deadLetters.note')}</p>
      <OutcomeLine outcome={outcome} />
      {!data ? (
        list.error ? (
          <Failure text={t('deadLetters.error', { reason: describeError(list.error) })} onRetry={list.refresh} busy={list.fetching} />
        ) : (
          <Loading text={t('deadLetters.loading')} />
        )
      ) : data.items.length === 0 ? (
        <EmptyPanel>{t('deadLetters.empty')}</EmptyPanel>
      ) : (
        <>
          <div className="table-wrap">
            <table className="ntf-table">
              <caption className="visually-hidden">{t('deadLetters.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('deadLetters.columns.createdAt')}</th>
                  <th scope="col">{t('deadLetters.columns.kind')}</th>
                  <th scope="col">{t('deadLetters.columns.channel')}</th>
                  <th scope="col">{t('deadLetters.columns.subject')}</th>
                  <th scope="col" className="num">
                    {t('deadLetters.columns.attempts')}
                  </th>
                  <th scope="col">{t('deadLetters.columns.error')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((d) => (
                  <tr key={d.id} data-delivery-id={d.id}>
                    <td className="nowrap">
                      <time dateTime={d.createdAt}>{formatInstant(d.createdAt)}</time>
                    </td>
                    <td>{t(`delivery.kind.${d.kind}`)}</td>
                    <td>
                      {d.channelName} <span className="ntf-sub">{t(`channels.kind.${d.channelKind}`)}</span>
                    </td>
                    <th scope="row" className="ntf-table__name">
                      {d.subject}
                    </th>
                    <td className="num">{formatCount(d.attempts)}</td>
                    <td className="ntf-break">{d.lastError ?? t('delivery.noReason')}</td>
                    <td>
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        onClick={() => void retry(d)}
                        disabled={busyId !== null}
                        aria-label={t('deadLetters.retryLabel', { subject: d.subject })}
                      >
                        {busyId === d.id ? t('common.updating') : t('deadLetters.retry')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 && (
            <nav className="ntf-pager" aria-label={t('deadLetters.pager.label')}>
              <button type="button" className="button button--secondary button--small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                {t('deadLetters.pager.previous')}
              </button>
              <span>{t('deadLetters.pager.status', { page, pages })}</span>
              <button type="button" className="button button--secondary button--small" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                {t('deadLetters.pager.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
