import { useCallback, useMemo } from 'react';
import type { KpiResponse, RankingResponse, SeriesResponse } from '@ioc/shared';
import { fetchKpis, fetchRankings, fetchSeries } from '../../lib/api';
import { useLiveConnection, useLiveTopic } from '../../lib/live';
import { liveKpis, liveRanking } from '../../lib/liveFigures';
import { type LiveIndicator, liveIndicator, summarizeTopics } from '../../lib/liveStatus';
import { type DateRange, type PeriodChoice, choiceRange, livePeriodOf, previousRange } from '../../lib/period';
import { type QueryState, useApiQuery } from '../../lib/useApiQuery';

export const REFRESH_INTERVAL_MS = 15_000;
/** History changes slowly (today's bucket aside): trends and the previous period are fetched less often. */
const HISTORY_REFRESH_MS = 60_000;

/**
 * How the page gets the units below the scope:
 * - `live`: the person reads every unit's full figures: the live `children` table (REST rankings as fallback);
 * - `compare`: ranking rows only (`/rankings`, `counts: null`), polled;
 * - `none`: nothing below (a commune) or nothing the person may see.
 */
export type ChildrenMode = 'live' | 'compare' | 'none';

export interface OverviewData {
  kpis: KpiResponse;
  /** The units below the scope, ranked; null while they come, and when the page does not show them. */
  rankings: RankingResponse | null;
  /** When each unit below last delivered an event (live table only); null when not known. */
  lastEvents: Record<string, string | null> | null;
}

export interface LiveFeed {
  indicator: LiveIndicator;
  /** The oldest instant the figures on screen are confirmed true at. */
  asOf: string | null;
}

export interface OverviewState extends QueryState<OverviewData> {
  /** Set while the figures come from the live stream, which then replaces polling. */
  live: LiveFeed | null;
}

const choiceKey = (c: PeriodChoice) => (c.preset === 'custom' ? `custom:${c.from}:${c.to}` : c.preset);

/**
 * A scope's KPIs and the ranking of the units below it for a period: pushed
 * over the live stream for the rolling periods it serves; fetched every 15 s
 * for custom dates, for ranking rows only (`compare`), and while the stream
 * refuses or does not answer a subscription. `children` null: not decided yet.
 */
export function useOverviewData(scope: string, choice: PeriodChoice, children: ChildrenMode | null): OverviewState {
  const period = choice.preset === 'custom' ? null : livePeriodOf(choice.preset);
  const summary = useLiveTopic(period ? { scope, view: 'summary', period } : null);
  const below = useLiveTopic(period && children === 'live' ? { scope, view: 'children', period } : null);
  const connection = useLiveConnection();
  const summaryLive = period !== null && summary.error === null;
  const belowLive = children !== 'live' || (period !== null && below.error === null);
  const key = choiceKey(choice);

  const fetcher = useCallback(
    async (signal: AbortSignal): Promise<OverviewData> => {
      // Dates are computed at each refresh so "Hôm nay" rolls over at local midnight.
      const range = choiceRange(choice, new Date());
      const [kpis, rankings] = await Promise.all([fetchKpis(scope, range, signal), children === 'live' || children === 'compare' ? fetchRankings(scope, 'points', range, signal) : null]);
      return { kpis, rankings, lastEvents: null };
    },
    // The key names the choice; the object may be new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [scope, key, children],
  );
  const allLive = summaryLive && belowLive && children !== 'compare';
  const rest = useApiQuery(allLive || children === null ? null : ['overview', scope, key, children], fetcher, { refetchMs: REFRESH_INTERVAL_MS });

  const liveData = useMemo((): OverviewData | null => {
    const kpis = liveKpis(scope, summary.state);
    const rows = children === 'live' ? below.state?.data : undefined;
    const lastEvents = rows ? Object.fromEntries(Object.values(rows).map((r) => [r.unitCode, r.lastEventAt])) : null;
    return kpis && { kpis, rankings: children === 'live' ? liveRanking(scope, below.state) : null, lastEvents };
  }, [scope, children, summary.state, below.state]);

  if (!summaryLive || !belowLive) return { ...rest, live: null };
  const topics = summarizeTopics(children === 'live' ? [summary, below] : [summary]);
  const live = { indicator: liveIndicator(connection, topics), asOf: topics.asOf };
  if (children !== 'compare') return { data: liveData, error: null, fetching: false, updatedAt: null, refresh: rest.refresh, live };
  // Live KPIs, polled ranking rows.
  return {
    ...rest,
    data: liveData && { kpis: liveData.kpis, rankings: rest.data?.rankings ?? null, lastEvents: null },
    live,
  };
}

/** The same scope over the period just before, for "change against the previous period". */
export function usePreviousKpis(scope: string, range: DateRange | null): QueryState<KpiResponse> {
  const prev = range ? previousRange(range) : null;
  // The dates, not the range: a new object on every render.
  const from = prev?.from;
  const to = prev?.to;
  const fetcher = useCallback((signal: AbortSignal) => fetchKpis(scope, { from: from!, to: to! }, signal), [scope, from, to]);
  return useApiQuery(prev ? ['kpis', scope, prev.from, prev.to] : null, fetcher, { refetchMs: HISTORY_REFRESH_MS * 5 });
}

/** The scope's KPIs per hour, day or month over a range: the cards' sparklines and the trend chart. */
export function useSeries(scope: string, range: DateRange | null, granularity: 'hour' | 'day' | 'month'): QueryState<SeriesResponse> {
  const from = range?.from;
  const to = range?.to;
  const fetcher = useCallback((signal: AbortSignal) => fetchSeries(scope, { from: from!, to: to! }, granularity, signal), [scope, from, to, granularity]);
  return useApiQuery(range ? ['series', scope, range.from, range.to, granularity] : null, fetcher, { refetchMs: HISTORY_REFRESH_MS });
}
