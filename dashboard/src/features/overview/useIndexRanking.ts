import { useCallback } from 'react';
import type { RankingResponse } from '@ioc/shared';
import { fetchRankings } from '../../lib/api';
import type { DateRange } from '../../lib/period';
import { type QueryState, useApiQuery } from '../../lib/useApiQuery';

/** The index moves with events too, but a leader's map and ranking by it need not follow every second. */
const INDEX_RANKING_REFRESH_MS = 60_000;

/**
 * The units below a scope ranked by the kpi-v2 index (`/rankings?by=index`):
 * each unit's earned of available points and points per sub-indicator, beside
 * the rows the overview already has (live `children` rows carry kpi-v1 only).
 * Read apart from them, so the map and the table never wait for it.
 */
export function useIndexRanking(scope: string, range: DateRange | null, enabled: boolean): QueryState<RankingResponse> {
  // The dates, not the range: the caller's object may be new on every render.
  const from = range?.from;
  const to = range?.to;
  const fetcher = useCallback((signal: AbortSignal) => fetchRankings(scope, 'index', { from: from!, to: to! }, signal), [scope, from, to]);
  return useApiQuery(enabled && range ? ['rankings', 'index', scope, range.from, range.to] : null, fetcher, { refetchMs: INDEX_RANKING_REFRESH_MS });
}
