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
  rankings: RankingResponse;
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
 * National KPIs and the province ranking for a period: pushed over the live
 * stream for the rolling periods it serves; fetched every 15 s for other
 * periods, and while the stream refuses or does not answer the subscription.
 */
export function useOverviewData(scope: string, preset: PeriodPreset): OverviewState {
  const period = livePeriodOf(preset);
  const summary = useLiveTopic(period ? { scope, view: 'summary', period } : null);
  const children = useLiveTopic(period ? { scope, view: 'children', period } : null);
  const connection = useLiveConnection();
  const live = period !== null && summary.error === null && children.error === null;

  const fetcher = useCallback(
    async (signal: AbortSignal): Promise<OverviewData> => {
      // Dates are computed at each refresh so "Hôm nay" rolls over at local midnight.
      const range = periodRange(preset, new Date());
      const [kpis, rankings] = await Promise.all([
        fetchKpis(scope, range, signal),
        fetchRankings(scope, 'points', range, signal),
      ]);
      return { kpis, rankings };
    },
    [scope, preset],
  );
  const rest = usePolling(live ? null : `${scope}|${preset}`, fetcher, REFRESH_INTERVAL_MS);

  const liveData = useMemo((): OverviewData | null => {
    const kpis = liveKpis(scope, summary.state);
    const rankings = liveRanking(scope, children.state);
    return kpis && rankings ? { kpis, rankings } : null;
  }, [scope, summary.state, children.state]);

  if (!live) return { ...rest, live: null };
  const topics = summarizeTopics([summary, children]);
  return {
    data: liveData,
    error: null,
    fetching: false,
    updatedAt: null,
    refresh: rest.refresh,
    live: { indicator: liveIndicator(connection, topics), asOf: topics.asOf },
  };
}
