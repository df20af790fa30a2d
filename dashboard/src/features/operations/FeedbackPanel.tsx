import { useCallback, useEffect, useRef } from 'react';
import { FEEDBACK_TOPICS } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../lib/http';
import { formatCount, formatInstant } from '../../lib/format';
import { EmptyPanel, ErrorPanel, LoadingRows } from '../../lib/StatePanels';
import { useApiQuery } from '../../lib/useApiQuery';
import type { ViewParams } from '../../lib/viewParams';
import { FEEDBACK_PAGE_SIZE, FEEDBACK_PARAMS, feedbackScopeParam, fetchFeedbackList, fetchFeedbackSummary, isFeedbackTopic, timeLeft, topicLabel, topicRows } from './feedback';

const FEEDBACK_REFRESH_MS = 60_000;

interface Props {
  /** The signed-in person's scope: the panel's own unless the address names one inside it. */
  scope: string;
  scopeName: string;
  view: ViewParams;
}

/**
 * Citizen feedback (PAKN) on the operations screen: how many items are open,
 * overdue and answered, the unanswered ones by topic, and the list of the
 * unanswered items, overdue first, then the least time left first.
 */
export function FeedbackPanel({ scope: ownScope, scopeName, view }: Props) {
  const { t } = useTranslation('operations');
  const ref = useRef<HTMLElement>(null);
  const named = feedbackScopeParam(view.params.get(FEEDBACK_PARAMS.scope));
  const scope = named ?? ownScope;
  const topicParam = view.params.get(FEEDBACK_PARAMS.topic);
  const topic = isFeedbackTopic(topicParam) ? topicParam : null;
  const page = Math.max(1, Number.parseInt(view.params.get(FEEDBACK_PARAMS.page) ?? '1', 10) || 1);
  const focus = view.params.get(FEEDBACK_PARAMS.focus) !== null;

  const summaryFetcher = useCallback((signal: AbortSignal) => fetchFeedbackSummary(scope, signal), [scope]);
  const summary = useApiQuery(['feedback', 'summary', scope], summaryFetcher, { refetchMs: FEEDBACK_REFRESH_MS });
  const listFetcher = useCallback((signal: AbortSignal) => fetchFeedbackList({ scope, topic, page }, signal), [scope, topic, page]);
  const list = useApiQuery(['feedback', 'list', scope, topic ?? 'all', page], listFetcher, { refetchMs: FEEDBACK_REFRESH_MS });

  // Opened from a link to it (the chair's points lost): brought into view once.
  useEffect(() => {
    if (focus) ref.current?.scrollIntoView({ block: 'start' });
  }, [focus]);

  const error = summary.error ?? list.error;
  const reason = error !== null && error !== undefined ? describeError(error) : null;
  const totals = summary.data?.totals ?? null;
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / FEEDBACK_PAGE_SIZE)) : 1;
  const unitName = list.data?.items[0]?.unitName;

  return (
    <section ref={ref} className="panel feedback" aria-labelledby="feedback-heading" data-feedback-scope={scope}>
      <div className="panel__head">
        <h2 id="feedback-heading">{t('feedback.heading')}</h2>
        <p className="panel__note">{t('feedback.note')}</p>
        {named && named !== ownScope && (
          <p className="panel__note">
            {t('feedback.scopeOf', { scope: named.startsWith('commune:') && unitName ? unitName : named })}{' '}
            <button type="button" className="link-button" onClick={() => view.update({ [FEEDBACK_PARAMS.scope]: undefined, [FEEDBACK_PARAMS.page]: undefined })}>
              {t('feedback.allScope', { scope: scopeName })}
            </button>
          </p>
        )}
      </div>

      {reason !== null && (summary.data === null || list.data === null) ? (
        <ErrorPanel
          text={t('feedback.error', { reason })}
          retryLabel={t('feedback.retry')}
          onRetry={() => {
            summary.refresh();
            list.refresh();
          }}
          retrying={summary.fetching || list.fetching}
        />
      ) : (
        <>
          {totals === null ? (
            <div className="skeleton skeleton--row" aria-hidden="true" />
          ) : (
            <dl className="feedback__counts" aria-label={t('feedback.counts')}>
              {(
                [
                  ['overdue', totals.overdue, 'feedback__count--overdue'],
                  ['open', totals.open, ''],
                  ['answeredOnTime', totals.answered_on_time, ''],
                  ['answeredLate', totals.answered_late, ''],
                ] as const
              ).map(([key, n, cls]) => (
                <div key={key} className={`feedback__count ${n > 0 ? cls : ''}`} data-feedback-count={key}>
                  <dt>{t(`feedback.${key}`)}</dt>
                  <dd>{formatCount(n)}</dd>
                </div>
              ))}
            </dl>
          )}

          <div className="feedback__body">
            {summary.data && (
              <table className="ranking feedback__topics">
                <caption>{t('feedback.topicCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('feedback.col.topic')}</th>
                    <th scope="col" className="num">
                      {t('feedback.col.overdue')}
                    </th>
                    <th scope="col" className="num">
                      {t('feedback.col.open')}
                    </th>
                    <th scope="col" className="num">
                      {t('feedback.col.total')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {topicRows(summary.data).map((r) => (
                    <tr key={r.topic} data-feedback-topic={r.topic}>
                      <th scope="row">{topicLabel(r.topic)}</th>
                      <td className={r.overdue > 0 ? 'num feedback__overdue' : 'num'}>{formatCount(r.overdue)}</td>
                      <td className="num">{formatCount(r.open)}</td>
                      <td className="num">{formatCount(r.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}

            <div className="feedback__list">
              <div className="feedback__list-head">
                <h3 className="subheading">{t('feedback.listHeading')}</h3>
                <label>
                  {t('feedback.topicFilter')}{' '}
                  <select value={topic ?? ''} onChange={(e) => view.update({ [FEEDBACK_PARAMS.topic]: e.target.value || undefined, [FEEDBACK_PARAMS.page]: undefined })}>
                    <option value="">{t('feedback.allTopics')}</option>
                    {FEEDBACK_TOPICS.map((x) => (
                      <option key={x} value={x}>
                        {topicLabel(x)}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              {list.data === null ? (
                <LoadingRows text={t('feedback.loading')} rows={3} />
              ) : list.data.items.length === 0 ? (
                <EmptyPanel>{topic ? t('feedback.emptyTopic') : t('feedback.empty')}</EmptyPanel>
              ) : (
                <div className="table-wrap" tabIndex={0} role="region" aria-label={t('feedback.listCaption')}>
                  <table className="ranking feedback__items">
                    <caption className="visually-hidden">{t('feedback.listCaption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('feedback.col.unit')}</th>
                        <th scope="col">{t('feedback.col.topic')}</th>
                        <th scope="col">{t('feedback.col.received')}</th>
                        <th scope="col">{t('feedback.col.due')}</th>
                        <th scope="col">{t('feedback.col.left')}</th>
                        <th scope="col">{t('feedback.col.dossier')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.data.items.map((f) => {
                        const left = timeLeft(f);
                        return (
                          <tr key={f.feedbackId} data-feedback-id={f.feedbackId} data-feedback-state={f.state}>
                            <th scope="row">
                              {f.unitName}
                              <span className="feedback__id">{f.feedbackId}</span>
                            </th>
                            <td>
                              {topicLabel(f.topic)}
                              {f.followUpOf && <span className="feedback__id">{t('feedback.followUp', { id: f.followUpOf })}</span>}
                            </td>
                            <td>{formatInstant(f.receivedAt)}</td>
                            <td>{formatInstant(f.dueAt)}</td>
                            <td>
                              {left && (
                                <span className={`feedback__left feedback__left--${left.tone}`}>
                                  {left.text}
                                  {left.tone === 'soon' && <span className="feedback__soon"> · {t('feedback.dueSoon')}</span>}
                                </span>
                              )}
                            </td>
                            <td>{f.dossierId ? <code>{f.dossierId}</code> : <span className="feedback__none">{t('feedback.noDossier')}</span>}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
              {list.data && list.data.total > FEEDBACK_PAGE_SIZE && (
                <nav className="pager" aria-label={t('feedback.pager')}>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    disabled={page <= 1}
                    onClick={() => view.update({ [FEEDBACK_PARAMS.page]: page > 2 ? String(page - 1) : undefined })}
                  >
                    {t('feedback.previous')}
                  </button>
                  <span>{t('feedback.more', { page, pages, total: formatCount(list.data.total) })}</span>
                  <button type="button" className="button button--secondary button--small" disabled={page >= pages} onClick={() => view.update({ [FEEDBACK_PARAMS.page]: String(page + 1) })}>
                    {t('feedback.next')}
                  </button>
                </nav>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
