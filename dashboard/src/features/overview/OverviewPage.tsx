import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KPI_VERSION, type KpiResponse, type RankingEntry, SILENT_AFTER_MINUTES, type UnitRef, can, formatScope } from '@ioc/shared';
import { useLocation } from 'wouter';
import { paths } from '../../app/routes';
import { childrenTable } from '../../lib/access';
import { describeError } from '../../lib/http';
import { formatDateRange, formatInstant } from '../../lib/format';
import { choiceRange, previousRange, trendGrain } from '../../lib/period';
import { useHourlyKeptFrom } from '../../lib/clientConfig';
import { periodTitle } from '../../lib/periodText';
import { usePeriodParam, useViewParams } from '../../lib/viewParams';
import { type MapLayer, isIndexMetric } from '../map/choropleth';
import { layerFromParam, layerToParam } from '../map/colourBy';
import { preloadMap } from '../map/preload';
import { useSession } from '../auth/useAuth';
import { CountsSummary } from './CountsSummary';
import { Extremes } from './Extremes';
import { FreshnessPanel, silentUnits } from './FreshnessPanel';
import { IndexV2Panel } from './IndexV2Panel';
import { KpiCards, KpiCardsSkeleton } from './KpiCards';
import { useIndexV2 } from '../../lib/useIndexV2';
import { MapPanel } from './MapPanel';
import { type Crumb, PageHeader } from './PageHeader';
import { PeriodSelector } from './PeriodSelector';
import { ProvinceWhyPanel } from '../readiness/ProvinceWhyPanel';
import { RankingPanel } from './RankingPanel';
import { LiveStatus, PollingStatus } from './RefreshStatus';
import { EmptyPanel, ErrorPanel, StaleNotice } from '../../lib/StatePanels';
import { StatusBanners } from './StatusBanners';
import { TrendPanel } from './TrendPanel';
import { useHealth } from './useHealth';
import { type ChildrenMode, REFRESH_INTERVAL_MS, useOverviewData, usePreviousKpis, useSeries } from './useOverviewData';
import { useScopeUnit } from './useScopeUnit';
import { useUnitsBelow } from './useUnitsBelow';
import { useIndexRanking } from './useIndexRanking';
import { useRefreshWhileLoading } from '../../lib/useRefreshWhileLoading';
import { type OverviewEntry, rankedBy, withIndexV2 } from './ranking';
import { scopeNameOf } from '../../lib/scopeName';

const REFRESH_SECONDS = REFRESH_INTERVAL_MS / 1000;

function hasNoDossiers(k: KpiResponse): boolean {
  const c = k.counts;
  return c.received === 0 && c.resolved === 0 && c.inProgress === 0;
}

/**
 * The overview of a scope (the signed-in person's own by default): KPI cards,
 * the map and the ranking of the units below, the trend, data freshness.
 * Leaders land here; a click on the map or the table drills down.
 */
export function OverviewPage({ scope: routeScope }: { scope?: string }) {
  const { t } = useTranslation('overview');
  const { user, person } = useSession();
  const [, navigate] = useLocation();
  const scope = routeScope ?? formatScope(person.scope);
  // The nation's and a province's overviews show a map: its code and boundaries start now, beside the figures.
  useState(() => {
    if (scope === 'nation') preloadMap('province');
    else if (/^province:\d{2}$/.test(scope)) preloadMap('commune', scope.slice('province:'.length));
  });
  const [choice, setChoice] = usePeriodParam();
  const view = useViewParams();
  // What colours the map and orders the ranking: the kpi-v2 index unless the address names another (`?kpi=2.1`, `?kpi=online`).
  const metric: MapLayer = layerFromParam(view.params.get('kpi'));
  const needsIndex = metric !== 'links' && metric !== 'points' && isIndexMetric(metric);
  const rankParam = view.params.get('rank');
  const rankView = rankParam === 'best' || rankParam === 'worst' || rankParam === 'all' ? rankParam : null;
  const trendBy = view.params.get('trend') === 'month' ? 'month' : 'period';
  // A drill-down keeps the period and the KPI on the map: the next scope opens on the same view.
  const drillPath = (unit: UnitRef): string => view.carry(paths.overview(formatScope(unit)));
  const { unit, error: unitError } = useScopeUnit(scope);
  const ref = unit?.ref ?? null;
  const mayRead = ref !== null && can(person, 'figures', ref);
  const units = useUnitsBelow(ref ?? person.scope);
  // What the map shows, known from the address alone, so the map starts before the scope's details arrive.
  const provinceOfScope = /^province:(\d{2})$/.exec(scope)?.[1];
  const map: { level: 'province' | 'commune'; provinceCode?: string } | null =
    scope === 'nation' ? { level: 'province' } : provinceOfScope ? { level: 'commune', provinceCode: provinceOfScope } : null;

  let mode: ChildrenMode | null = null;
  if (ref && units.below && mayRead) {
    if (ref.kind === 'commune') mode = 'none';
    else if (childrenTable(person, ref, units.below.refs) === 'allowed') mode = 'live';
    else mode = units.below.refs.every((u) => can(person, 'compare', u)) ? 'compare' : 'none';
  }
  const overview = useOverviewData(mayRead ? scope : 'nation', choice, mayRead ? mode : null);
  const range = overview.data ? { from: overview.data.kpis.from, to: overview.data.kpis.to } : null;
  const previous = usePreviousKpis(scope, mayRead ? range : null);
  const hourlyFrom = useHourlyKeptFrom();
  const sparkSeries = useSeries(scope, mayRead ? range : null, range ? trendGrain(range, hourlyFrom) : 'day');
  const health = useHealth();
  const { data, error, fetching, refresh, live } = overview;
  // The national index (kpi-v2): in the REST answer, read beside the live figures (which carry kpi-v1 only).
  const indexV2 = useIndexV2(mayRead ? scope : null, range, data?.kpis ?? null);
  // Each unit's kpi-v2 index, read beside the rows (live rows carry kpi-v1 only); the period's dates from the choice, so it starts with the rest.
  const choiceDates = choiceRange(choice, new Date());
  const indexRanking = useIndexRanking(scope, range ?? choiceDates, mayRead && (mode === 'live' || mode === 'compare') && needsIndex);
  useRefreshWhileLoading(indexRanking, data?.kpis ?? null);
  const previousIndexV2 = previous.data ? (previous.data.indexV2 ?? null) : previous.error !== null ? null : undefined;

  const scopeName = unit?.name ?? (scope === formatScope(person.scope) ? scopeNameOf(user.scope, user.scopeName) : '…');
  const crumbs: Crumb[] = [{ label: t('scope.nation'), href: view.carry(paths.overview('nation')) }];
  if (unit?.provinceCode && unit.provinceName) crumbs.push({ label: unit.provinceName, href: view.carry(paths.overview(`province:${unit.provinceCode}`)) });
  if (ref?.kind === 'commune') crumbs.push({ label: unit!.name, href: null });

  const linkOf = (e: RankingEntry): string | null => {
    const u: UnitRef = ref?.kind === 'nation' ? { kind: 'province', code: e.unitCode } : { kind: 'commune', code: e.unitCode, provinceCode: e.provinceCode };
    return can(person, 'figures', u) ? drillPath(u) : null;
  };
  const names = useMemo(() => Object.fromEntries((data?.rankings?.entries ?? []).map((e) => [e.unitCode, e.unitName])), [data?.rankings]);
  const merged = useMemo(() => withIndexV2(data?.rankings?.entries ?? null, needsIndex ? indexRanking.data : null), [data?.rankings, needsIndex, indexRanking.data]);
  const rows = useMemo(() => mapRows(merged, data?.lastEvents ?? null), [merged, data?.lastEvents]);
  // The ranking follows the map's choice; by the index it waits for the index rather than show every unit without one.
  const indexPending = needsIndex && indexRanking.data === null && indexRanking.error === null;
  const ranked = useMemo(() => {
    const period = data?.rankings ?? indexRanking.data;
    if (!merged || !period || indexPending) return null;
    return { from: period.from, to: period.to, entries: rankedBy(merged, metric) };
  }, [merged, data?.rankings, indexRanking.data, indexPending, metric]);
  const common = indexRanking.data?.commonSubIndicators ? { count: indexRanking.data.commonSubIndicators.length, pmax: indexRanking.data.commonPmax ?? 0 } : null;
  const silent = useMemo(() => (data?.lastEvents ? silentUnits(data.lastEvents, names, Date.now(), SILENT_AFTER_MINUTES) : null), [data?.lastEvents, names]);

  const periodText = periodTitle(choice, data?.kpis.asOf ?? null);
  const fileParts = [scope.replace(':', '-'), range ? `${range.from}_${range.to}` : ''];
  const periodWithDates = data ? `${periodText} · ${formatDateRange(data.kpis.from, data.kpis.to)}` : periodText;
  const exportInfo = { scopeName, periodText: periodWithDates, fileParts, who: `${user.displayName} (${user.username})` };
  const reason = error !== null ? describeError(error) : null;
  const loading = data === null && reason === null;

  if (unitError !== null || (ref !== null && !mayRead)) {
    return (
      <main id="main" className="page-main">
        <EmptyPanel>{unitError !== null ? t('scope.failed', { reason: describeError(unitError) }) : t('scope.forbidden', { scope: scopeName })}</EmptyPanel>
      </main>
    );
  }

  const printedAt = formatInstant(Date.now());
  return (
    <div className="page">
      <PageHeader
        crumbs={crumbs}
        title={scopeName}
        periodLabel={periodWithDates}
        asOf={data ? formatInstant(data.kpis.asOf) : null}
        noAsOf={reason === null ? t('header.loading') : t('header.noData')}
        demo={health.data?.demoFeed.enabled === true}
        controls={<PeriodSelector value={choice} onChange={setChoice} />}
        actions={
          <button type="button" className="button button--secondary button--small" onClick={() => window.print()}>
            {t('header.print')}
          </button>
        }
        status={live ? <LiveStatus {...live} /> : <PollingStatus fetching={fetching} updatedAt={overview.updatedAt} refreshSeconds={REFRESH_SECONDS} />}
      />
      <header className="print-only print-header">
        <p className="print-header__product">{t('header.printProduct')}</p>
        <p className="print-header__scope">{t('header.printScope', { scope: ref?.kind === 'commune' && unit?.provinceName ? `${scopeName}, ${unit.provinceName}` : scopeName })}</p>
        <p>{t('header.period', { period: periodWithDates })}</p>
        <p>
          {data ? t('header.printFreshness', { time: formatInstant(data.kpis.asOf) }) : t('header.printFreshnessNone')} ·{' '}
          {t('header.printedAt', { time: printedAt, who: `${user.displayName} (${user.username})` })}
        </p>
      </header>

      <main id="main" className="page-main" aria-busy={loading}>
        <StatusBanners health={health.data} loading={data ? data.kpis.loading : undefined} />
        {data && reason && <StaleNotice text={t('states.stale', { reason })} retryLabel={fetching ? t('states.retrying') : t('states.retry')} onRetry={refresh} retrying={fetching} />}

        {data === null && reason !== null ? (
          <ErrorPanel
            text={t('states.loadFailed', { reason })}
            hint={t('states.retryIn', { seconds: REFRESH_SECONDS })}
            retryLabel={fetching ? t('states.retrying') : t('states.retry')}
            onRetry={refresh}
            retrying={fetching}
          />
        ) : (
          <div className="layout layout--overview">
            <section className="panel panel--kpis" aria-labelledby="kpi-heading">
              <div className="panel__head">
                <h2 id="kpi-heading">{t('cards.heading')}</h2>
                <p className="panel__note">{range ? t('cards.note', { previous: formatDateRange(previousRange(range).from, previousRange(range).to) }) : t('cards.noteShort')}</p>
              </div>
              {loading || !data ? (
                <>
                  <p className="visually-hidden" role="status">
                    {t('states.loading')}
                  </p>
                  <KpiCardsSkeleton />
                </>
              ) : (
                <>
                  {hasNoDossiers(data.kpis) && <EmptyPanel>{t('states.noDossiers')}</EmptyPanel>}
                  <KpiCards
                    current={data.kpis}
                    previous={previous.data ?? (previous.error !== null ? null : undefined)}
                    points={sparkSeries.data?.points ?? []}
                    indexV2={indexV2.view ?? (indexV2.error !== null || data.kpis.kpiVersion !== 'kpi-v2' ? null : 'loading')}
                    previousIndexV2={previousIndexV2}
                  />
                </>
              )}
            </section>

            {map && mode !== 'none' && (
              <MapPanel
                level={map.level}
                provinceCode={map.provinceCode}
                rows={rows}
                metric={metric}
                indexState={needsIndex ? { loading: indexPending && mode !== null, error: indexRanking.error } : undefined}
                onMetric={(m) => view.update({ kpi: layerToParam(m) })}
                onSelect={(code) => {
                  const u: UnitRef = map.level === 'province' ? { kind: 'province', code } : { kind: 'commune', code, provinceCode: map.provinceCode! };
                  if (can(person, 'figures', u)) navigate(drillPath(u));
                }}
              />
            )}

            {ref && ref.kind !== 'commune' && mode !== 'none' && <Extremes entries={ranked?.entries ?? null} noun={units.below?.noun ?? ''} linkOf={linkOf} metric={metric} />}

            {data && (indexV2.view !== null || data.kpis.kpiVersion === 'kpi-v2') && <IndexV2Panel view={indexV2.view} error={indexV2.error} />}

            {data && (
              <section className="panel panel--counts" aria-labelledby="counts-heading">
                <h2 className="subheading" id="counts-heading">
                  {t('counts.heading')}
                </h2>
                <CountsSummary counts={data.kpis.counts} />
              </section>
            )}

            {ref && ref.kind !== 'commune' && (
              <RankingPanel
                mode={mode === null ? 'pending' : mode === 'none' ? 'none' : 'shown'}
                units={units.below}
                unitsError={units.error}
                rankings={ranked}
                metric={metric}
                common={common}
                indexError={needsIndex ? indexRanking.error : null}
                scopeName={scopeName}
                nation={ref.kind === 'nation'}
                linkOf={linkOf}
                exportInfo={exportInfo}
                view={rankView}
                onView={(v) => view.update({ rank: v })}
              />
            )}

            {ref?.kind === 'province' && mode !== null && mode !== 'none' && <ProvinceWhyPanel provinceCode={ref.code} entries={data?.rankings?.entries ?? null} />}

            {ref?.kind === 'commune' && (
              <section className="panel" aria-labelledby="commune-more">
                <h2 id="commune-more">{t('commune.heading')}</h2>
                <p className="panel__text">{t('commune.text')}</p>
                <p>
                  <a className="button button--secondary button--small" href={`#${view.carry(paths.commune(ref.code))}`}>
                    {t('commune.open')}
                  </a>
                </p>
              </section>
            )}

            <TrendPanel scope={scope} range={range} periodSeries={sparkSeries} exportInfo={exportInfo} by={trendBy} onBy={(b) => view.update({ trend: b === 'month' ? 'month' : undefined })} />

            {silent && (
              <FreshnessPanel
                units={silent}
                total={Object.keys(data?.lastEvents ?? {}).length}
                linkOf={(code) => linkOf({ unitCode: code, provinceCode: ref?.kind === 'province' ? ref.code : code } as RankingEntry)}
              />
            )}
          </div>
        )}
      </main>
      <footer className="page-footer">
        <p>{t('footer', { version: data?.kpis.kpiVersion ?? KPI_VERSION })}</p>
      </footer>
    </div>
  );
}

/** The ranking rows with each unit's last event, as the map reads them. */
function mapRows(entries: readonly OverviewEntry[] | null, lastEvents: Readonly<Record<string, string | null>> | null) {
  const rows: Record<string, OverviewEntry & { lastEventAt?: string | null }> = {};
  for (const e of entries ?? []) rows[e.unitCode] = lastEvents ? { ...e, lastEventAt: lastEvents[e.unitCode] ?? null } : e;
  return rows;
}
