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
  const fetcher = useCallback(
    (signal: AbortSignal) => {
      if (!series) throw new Error('no series');
      return fetchSeries(series.scope, { from: series.from, to: series.to }, series.granularity, signal);
    },
    // The key says everything the request depends on.
    [series?.scope, series?.from, series?.to, series?.granularity],
  );
  return useApiQuery(key, fetcher, { refetchMs: REFRESH_MS });
}
