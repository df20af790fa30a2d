import { useCallback } from 'react';
import type { IndexV2View, KpiResponse } from '@ioc/shared';
import { fetchKpis } from './api';
import type { DateRange } from './period';
import { type QueryState, useApiQuery } from './useApiQuery';

const INDEX_V2_REFRESH_MS = 60_000;

/**
 * The national index (`indexV2`) of a scope over a range. The nation's live
 * summary carries it; a province's or commune's is read from
 * `GET /api/v1/kpis` (shared with other panels asking the same scope and
 * range), refreshed every minute.
 */
export function useIndexV2(scope: string | null, range: DateRange | null, shown: KpiResponse | null): QueryState<IndexV2View> & { view: IndexV2View | null } {
  const inline = shown?.indexV2 ?? null;
  // The dates, not the range: the caller's object may be new on every render.
  const from = range?.from;
  const to = range?.to;
  const fetcher = useCallback((signal: AbortSignal) => fetchKpis(scope!, { from: from!, to: to! }, signal), [scope, from, to]);
  const q = useApiQuery(scope !== null && range !== null && inline === null ? ['kpis', scope, range.from, range.to] : null, fetcher, {
    refetchMs: INDEX_V2_REFRESH_MS,
  });
  const view = inline ?? q.data?.indexV2 ?? null;
  return { data: view, view, error: inline ? null : q.error, fetching: q.fetching, updatedAt: q.updatedAt, refresh: q.refresh };
}
