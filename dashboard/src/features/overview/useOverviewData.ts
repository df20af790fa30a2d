import { useCallback } from 'react';
import type { KpiResponse, RankingResponse } from '@ioc/shared';
import { fetchKpis, fetchRankings } from '../../lib/api';
import { periodRange, type PeriodPreset } from '../../lib/period';
import { usePolling, type PollingState } from '../../lib/usePolling';

export const REFRESH_INTERVAL_MS = 15_000;

export interface OverviewData {
  kpis: KpiResponse;
  rankings: RankingResponse;
}

/** National KPIs and the province ranking for a period, refreshed every 15 s. */
export function useOverviewData(scope: string, preset: PeriodPreset): PollingState<OverviewData> {
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
  return usePolling(`${scope}|${preset}`, fetcher, REFRESH_INTERVAL_MS);
}
