import { useCallback } from 'react';
import { type QueryKey, useQuery } from '@tanstack/react-query';

/** What a panel reads of an API query. */
export interface QueryState<T> {
  /** Last successful result for the current key (kept while a refresh fails). */
  data: T | null;
  /** Error of the last attempt (after its retries), null after a success. */
  error: unknown;
  /** True while a request is in flight. */
  fetching: boolean;
  /** When `data` was last fetched, epoch ms. */
  updatedAt: number | null;
  /** Fetch now. */
  refresh: () => void;
}

export interface ApiQueryOptions {
  /** Fetch again every so often while the page is visible; false: only when stale and asked again. */
  refetchMs: number | false;
  /** How long an answer is fresh (no refetch on focus or remount); by default half the refetch interval. */
  staleMs?: number;
}

/**
 * An API read through the shared query cache. `key` names the resource and its
 * parameters (`['kpis', scope, from, to]`), so every panel asking the same thing
 * shares the answer; a null key reads nothing. A new key starts empty (never the
 * previous scope's figures); a failed refresh keeps the last good data.
 */
export function useApiQuery<T>(key: QueryKey | null, fetcher: (signal: AbortSignal) => Promise<T>, options: ApiQueryOptions): QueryState<T> {
  const { refetchMs, staleMs } = options;
  const q = useQuery({
    queryKey: key ?? ['none'],
    queryFn: ({ signal }) => fetcher(signal),
    enabled: key !== null,
    refetchInterval: refetchMs,
    staleTime: staleMs ?? (refetchMs === false ? Infinity : refetchMs / 2),
  });
  const { refetch } = q;
  const refresh = useCallback(() => void refetch(), [refetch]);
  if (key === null) return { data: null, error: null, fetching: false, updatedAt: null, refresh: noop };
  return {
    data: q.data ?? null,
    error: q.error ?? null,
    fetching: q.isFetching,
    updatedAt: q.dataUpdatedAt > 0 ? q.dataUpdatedAt : null,
    refresh,
  };
}

const noop = () => undefined;
