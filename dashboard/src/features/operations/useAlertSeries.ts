import { useCallback } from 'react';
import type { SeriesResponse } from '@ioc/shared';
import { type QueryState, useApiQuery } from '../../lib/useApiQuery';
import { fetchSeries } from '../../lib/api';
import type { ChartPlan } from './alertChart';

const REFRESH_MS = 60_000;

/** The series an alert's chart draws; nothing asked for a rule with no chart. */
export function useAlertSeries(plan: ChartPlan | null): QueryState<SeriesResponse> {
  const series = plan?.kind === 'series' ? plan : null;
  const key = series ? ['series', series.scope, series.from, series.to, series.granularity] : null;
  // What the request depends on, as values: a new plan with the same ones asks nothing again.
  const { scope, from, to, granularity } = series ?? {};
  const fetcher = useCallback(
    (signal: AbortSignal) => {
      if (!scope || !from || !to || !granularity) throw new Error('no series');
      return fetchSeries(scope, { from, to }, granularity, signal);
    },
    [scope, from, to, granularity],
  );
  return useApiQuery(key, fetcher, { refetchMs: REFRESH_MS });
}
