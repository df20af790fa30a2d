import { type Severity, SEVERITIES } from '@ioc/shared';
import { type KeyboardEvent, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { paths } from '../../app/routes';
import { csvFileName, downloadCsv } from '../../lib/csv';
import { describeError } from '../../lib/http';
import { formatClock, formatCount, formatInstant } from '../../lib/format';
import { vietnamDateOf } from '../../lib/period';
import { downloadXlsx, readSheet } from '../../lib/xlsx';
import { pickParams, useViewParams, withParams } from '../../lib/viewParams';
import { useSession } from '../auth/useAuth';
import { useAlertDeliveries } from '../notifications/AlertDeliveries';
import { ExportButtons } from '../overview/ExportButtons';
import { LiveStatus } from '../overview/RefreshStatus';
import { AlertDetailPanel } from './AlertDetailPanel';
import { AlertFilterBar } from './AlertFilterBar';
import { type AlertFilters, FILTER_PARAMS, NO_FILTERS, alertCsvColumns, filterAndSort, filterParams, filtersFromParams, isFiltered, matchesFilters, severityCounts, severityLabel } from './alertList';
import { AssignedBanner } from './AssignedBanner';
import { emptyOpenText, evaluationLine } from './evaluationText';
import { AlertTable } from './AlertTable';
import { CriticalBanner } from './CriticalBanner';
import { FeedbackPanel } from './FeedbackPanel';
import { SeveritySummary } from './SeveritySummary';
import { unlockAudioOnGesture, useSound } from './sound';
import { FALLBACK_INTERVAL_MS, useAlertFeed } from './useAlertFeed';
import { useAlertEvaluation } from './useAlertEvaluation';
import { useAssignedToMe } from './useAssignedToMe';
import { HISTORY_PAGE_SIZE, useAlertHistory } from './useAlertHistory';
import { useNewCriticals } from './useNewCriticals';
import { useNow } from './useNow';
import { EmptyPanel, ErrorPanel, LoadingRows, StaleNotice } from '../../lib/StatePanels';
import { useProvinceNames } from '../../lib/useProvinces';
import { useRuleOverrides } from './useRuleOverrides';
import './operations.css';
import { scopeNameOf } from '../../lib/scopeName';

type Tab = 'open' | 'history';
const AGE_TICK_MS = 30_000;

/** The live alert list of the signed-in person's scope (operators' home), with one alert's detail beside it. */
export function OperationsPage({ alertId }: { alertId?: string }) {
  const { t } = useTranslation('operations');
  const { user, person } = useSession();
  const [, navigate] = useLocation();
  const now = useNow(AGE_TICK_MS);
  const provinceName = useProvinceNames();
  const feed = useAlertFeed(user.scope);
  const overrides = useRuleOverrides(feed.alerts);
  // The tab, the filters and the history's page are in the address, so a link or Back reopens the same list.
  const view = useViewParams();
  const filters = useMemo(() => filtersFromParams(view.params), [view.params]);
  // Alerts are assigned to those who may act on them: only they are offered "assigned to me".
  const assignable = person.role === 'operator' || person.role === 'commune_chair' || person.role === 'admin';
  const me = user.username;
  const tab: Tab = view.params.get('tab') === 'history' ? 'history' : 'open';
  const page = Math.max(1, Number.parseInt(view.params.get('page') ?? '1', 10) || 1);
  const setTab = (next: Tab) => view.update({ tab: next === 'history' ? 'history' : undefined, page: undefined });
  const setPage = (next: number) => view.update({ page: next > 1 ? String(next) : undefined });
  const listPath = (path: string) => withParams(path, pickParams(view.params, ['tab', 'page', ...FILTER_PARAMS]));
  const history = useAlertHistory(tab === 'history' ? user.scope : null, filters, page);
  const criticals = useNewCriticals(feed.alerts);
  const assigned = useAssignedToMe(assignable ? feed.alerts : null, me);
  const evaluation = useAlertEvaluation(feed.alerts);
  const deliveries = useAlertDeliveries(person);
  const [sound, setSound] = useSound();
  useEffect(() => unlockAudioOnGesture(), []);

  const changeFilters = (f: AlertFilters) => view.update({ ...filterParams(f), page: undefined });
  const toggleSeverity = (s: Severity) =>
    changeFilters({ ...filters, severities: filters.severities.includes(s) ? filters.severities.filter((x) => x !== s) : SEVERITIES.filter((x) => x === s || filters.severities.includes(x)) });

  const openRows = useMemo(() => (feed.alerts ? filterAndSort(feed.alerts, filters, provinceName, me) : null), [feed.alerts, filters, provinceName, me]);
  // The server filtered the page by severity, state and acknowledgement; the text filters what it sent.
  const historyRows = useMemo(
    () => (history.data ? history.data.items.filter((a) => matchesFilters(a, { ...NO_FILTERS, text: filters.text }, provinceName)) : null),
    [history.data, filters.text, provinceName],
  );
  const rows = tab === 'open' ? openRows : historyRows;
  const counts = feed.alerts ? severityCounts(feed.alerts) : null;
  const unacknowledged = feed.alerts ? feed.alerts.filter((a) => !a.acknowledged).length : null;
  const liveVersion = alertId ? (feed.alerts?.find((a) => a.id === alertId)?.updatedAt ?? null) : null;

  const source = tab === 'open' ? { error: feed.error, fetching: feed.fetching, refresh: feed.refresh } : { error: history.error, fetching: history.fetching, refresh: history.refresh };
  const errorText = source.error ? describeError(source.error) : null;

  const open = (id: string) => navigate(listPath(paths.alert(id)));
  const close = () => {
    const id = alertId;
    navigate(listPath(paths.operations()));
    // Back to the row the panel was opened from.
    if (id) setTimeout(() => document.querySelector<HTMLElement>(`tr[data-alert-id="${CSS.escape(id)}"]`)?.focus(), 0);
  };

  const fileBase = () => csvFileName(tab === 'open' ? 'canh-bao-dang-mo' : `canh-bao-lich-su-trang-${page}`, user.scope, vietnamDateOf(new Date()));
  const exportCsv = () => {
    if (!rows) return;
    downloadCsv(fileBase(), alertCsvColumns(provinceName), rows);
  };
  const exportXlsx = async () => {
    if (!rows) return;
    const filterWords = [
      ...filters.severities.map(severityLabel),
      filters.state !== 'all' ? t(`state.${filters.state}`) : null,
      filters.ack !== 'all' ? t(`filters.${filters.ack}`) : null,
      filters.mine ? t('filters.mine') : null,
      filters.text.trim() ? `“${filters.text.trim()}”` : null,
    ].filter((w): w is string => w !== null);
    const about = {
      title: t('csv.title'),
      sheetName: t('csv.about'),
      lines: [
        [t('scope'), scopeNameOf(user.scope, user.scopeName)],
        [t('csv.list'), tab === 'open' ? t('tabs.open') : `${t('tabs.history')} · ${t('pager.status', { page, pages: totalPages, total: formatCount(history.data?.total ?? 0) })}`],
        [t('csv.filters'), filterWords.length ? filterWords.join(', ') : t('csv.noFilter')],
        [t('csv.exportedAt'), formatInstant(Date.now())],
        [t('csv.exportedBy'), `${user.displayName} (${user.username})`],
      ] as [string, string][],
    };
    await downloadXlsx(fileBase().replace(/\.csv$/, '.xlsx'), about, [readSheet({ name: t('csv.sheet'), columns: alertCsvColumns(provinceName), rows })]);
  };

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const next: Tab = tab === 'open' ? 'history' : 'open';
    setTab(next);
    document.getElementById(`ops-tab-${next}`)?.focus();
  };

  const totalPages = history.data ? Math.max(1, Math.ceil(history.data.total / HISTORY_PAGE_SIZE)) : 1;

  return (
    <main id="main" className="page page-main ops" aria-busy={rows === null && errorText === null}>
      <header className="ops__header">
        <div>
          <h1 className="ops__title">{t('title')}</h1>
          <p className="ops__scope">
            {t('scope')}: <strong>{scopeNameOf(user.scope, user.scopeName)}</strong>
            {assignable && assigned.count !== null && assigned.count > 0 && (
              <button type="button" className="ops__mine-count" aria-pressed={filters.mine} onClick={() => changeFilters({ ...filters, mine: !filters.mine })}>
                {t('mine.count', { count: assigned.count, n: formatCount(assigned.count) })}
              </button>
            )}
          </p>
          <p className="ops__evaluation">{evaluationLine(evaluation.data)}</p>
        </div>
        <div className="ops__tools">
          {feed.live ? (
            <LiveStatus {...feed.live} />
          ) : (
            <p className="page-header__refresh" role="status">
              {t('fallback', { seconds: FALLBACK_INTERVAL_MS / 1000, time: feed.updatedAt ? formatClock(feed.updatedAt) : '—' })}
            </p>
          )}
          <button type="button" className="button button--secondary button--small" aria-pressed={sound} onClick={() => setSound(!sound)}>
            {sound ? t('sound.on') : t('sound.off')}
          </button>
          <ExportButtons csvLabel={t('csv.export')} xlsxLabel={t('csv.xlsx')} onCsv={exportCsv} onXlsx={exportXlsx} disabled={!rows || rows.length === 0} />
        </div>
      </header>

      <CriticalBanner alerts={criticals.alerts} provinceName={provinceName} onDismiss={criticals.dismiss} />
      <AssignedBanner alerts={assigned.fresh} provinceName={provinceName} onDismiss={assigned.dismiss} />

      <SeveritySummary counts={counts} unacknowledged={unacknowledged} selected={filters.severities} onToggle={toggleSeverity} />

      <div className={`ops__layout${alertId ? ' ops__layout--detail' : ''}`}>
        <section className="panel ops__list" aria-labelledby="ops-list-heading">
          <div className="ops__list-head">
            <h2 id="ops-list-heading" className="visually-hidden">
              {t('listHeading')}
            </h2>
            <div role="tablist" aria-label={t('tabs.label')} className="tabs">
              {(['open', 'history'] as const).map((k) => (
                <button
                  key={k}
                  id={`ops-tab-${k}`}
                  type="button"
                  role="tab"
                  aria-selected={tab === k}
                  aria-controls="ops-tabpanel"
                  tabIndex={tab === k ? 0 : -1}
                  className="tabs__tab"
                  onClick={() => {
                    setTab(k);
                  }}
                  onKeyDown={onTabKey}
                >
                  {t(`tabs.${k}`)}
                  {k === 'open' && feed.alerts && <span className="tabs__count">{formatCount(feed.alerts.length)}</span>}
                </button>
              ))}
            </div>
          </div>
          <AlertFilterBar value={filters} onChange={changeFilters} textHint={tab === 'history' ? t('filters.textPageHint') : undefined} showMine={assignable} />

          <div id="ops-tabpanel" role="tabpanel" aria-labelledby={`ops-tab-${tab}`}>
            {errorText && rows !== null && <StaleNotice text={t('staleError', { reason: errorText })} retryLabel={t('retry')} onRetry={source.refresh} retrying={source.fetching} />}
            {rows === null ? (
              errorText ? (
                <ErrorPanel text={t('error', { reason: errorText })} retryLabel={source.fetching ? t('retrying') : t('retry')} onRetry={source.refresh} retrying={source.fetching} />
              ) : (
                <LoadingRows text={t('loading')} rows={5} className="ops__loading" />
              )
            ) : rows.length === 0 ? (
              <EmptyPanel>
                {tab === 'open' && feed.alerts?.length === 0
                  ? emptyOpenText(evaluation.data)
                  : tab === 'history' && history.data?.total === 0 && !isFiltered(filters)
                    ? t('empty.history')
                    : t('empty.filtered')}
              </EmptyPanel>
            ) : (
              <AlertTable
                alerts={rows}
                now={now}
                provinceName={provinceName}
                overrides={overrides}
                selectedId={alertId ?? null}
                newIds={criticals.ids}
                onOpen={open}
                caption={t(`tabs.${tab}`)}
                deliveries={deliveries ? deliveries.byAlert : undefined}
              />
            )}
            {tab === 'history' && history.data && history.data.total > 0 && (
              <nav className="pager" aria-label={t('pager.label')}>
                <button type="button" className="button button--secondary button--small" disabled={page <= 1} onClick={() => setPage(Math.max(1, page - 1))}>
                  {t('pager.previous')}
                </button>
                <span>{t('pager.status', { page, pages: totalPages, total: formatCount(history.data.total) })}</span>
                <button type="button" className="button button--secondary button--small" disabled={page >= totalPages} onClick={() => setPage(page + 1)}>
                  {t('pager.next')}
                </button>
              </nav>
            )}
          </div>
        </section>

        {alertId && (
          <div
            className="ops__detail"
            onKeyDown={(e) => {
              // A note being written is not thrown away by Escape.
              const typing = e.target instanceof HTMLTextAreaElement && e.target.value.trim() !== '';
              if (e.key === 'Escape' && !typing) close();
            }}
          >
            <AlertDetailPanel key={alertId} id={alertId} version={liveVersion} person={person} now={now} provinceName={provinceName} onClose={close} deliveries={deliveries} />
          </div>
        )}
      </div>

      <FeedbackPanel scope={user.scope} scopeName={scopeNameOf(user.scope, user.scopeName)} view={view} />

      <details className="ops__vocabulary">
        <summary>{t('vocabulary.label')}</summary>
        <ul>
          <li>{t('vocabulary.rule')}</li>
          <li>{t('vocabulary.alert')}</li>
          <li>{t('vocabulary.case')}</li>
        </ul>
      </details>
    </main>
  );
}
