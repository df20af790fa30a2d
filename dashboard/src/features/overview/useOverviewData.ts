import { useCallback, useMemo } from 'react';
import type { KpiResponse, RankingResponse } from '@ioc/shared';
import { fetchKpis, fetchRankings } from '../../lib/api';
import { useLiveConnection, useLiveTopic } from '../../lib/live';
import { liveKpis, liveRanking } from '../../lib/liveFigures';
import { type LiveIndicator, liveIndicator, summarizeTopics } from '../../lib/liveStatus';
import { livePeriodOf, periodRange, type PeriodPreset } from '../../lib/period';
import { type PollingState, usePolling } from '../../lib/usePolling';

export const REFRESH_INTERVAL_MS = 15_000;

export interface OverviewData {
  kpis: KpiResponse;
  /** The units below the scope, ranked; null while they come, and when the page does not show them. */
  rankings: RankingResponse | null;
}

export interface LiveFeed {
  indicator: LiveIndicator;
  /** The oldest instant the figures on screen are confirmed true at. */
  asOf: string | null;
}

export interface OverviewState extends PollingState<OverviewData> {
  /** Set while the figures come from the live stream, which then replaces polling. */
  live: LiveFeed | null;
}

/**
 * A scope's KPIs and, when `children` is true, the ranking of the units below
 * it, for a period: pushed over the live stream for the rolling periods it
 * serves; fetched every 15 s for other periods, and while the stream refuses or
 * does not answer the subscription. `children` null: not decided yet, so the
 * table is asked for by neither (the KPIs already come live).
 */
export function useOverviewData(scope: string, preset: PeriodPreset, children: boolean | null): OverviewState {
  const period = livePeriodOf(preset);
  const summary = useLiveTopic(period ? { scope, view: 'summary', period } : null);
  const below = useLiveTopic(period && children === true ? { scope, view: 'children', period } : null);
  const connection = useLiveConnection();
  const live = period !== null && summary.error === null && (children !== true || below.error === null);

  const fetcher = useCallback(
    async (signal: AbortSignal): Promise<OverviewData> => {
      // Dates are computed at each refresh so "Hôm nay" rolls over at local midnight.
      const range = periodRange(preset, new Date());
      const [kpis, rankings] = await Promise.all([
        fetchKpis(scope, range, signal),
        children === true ? fetchRankings(scope, 'points', range, signal) : null,
      ]);
      return { kpis, rankings };
    },
    [scope, preset, children],
  );
  const rest = usePolling(live || children === null ? null : `${scope}|${preset}|${children}`, fetcher, REFRESH_INTERVAL_MS);

  const liveData = useMemo((): OverviewData | null => {
    const kpis = liveKpis(scope, summary.state);
    return kpis && { kpis, rankings: children === true ? liveRanking(scope, below.state) : null };
  }, [scope, children, summary.state, below.state]);

  if (!live) return { ...rest, live: null };
  const topics = summarizeTopics(children === true ? [summary, below] : [summary]);
  return {
    data: liveData,
    error: null,
    fetching: false,
    updatedAt: null,
    refresh: rest.refresh,
    live: { indicator: liveIndicator(connection, topics), asOf: topics.asOf },
  };
}
