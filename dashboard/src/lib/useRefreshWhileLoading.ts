import { useEffect, useRef } from 'react';
import type { HistoryLoading, ProjectionMark } from '@ioc/shared';
import type { QueryState } from './useApiQuery';

/** While history loads, a query read beside the live figures follows them at most this often. */
export const LOADING_REFRESH_MS = 10_000;

/**
 * Keeps a query that is read beside the live figures (and otherwise refreshed slowly) in
 * step with them while the period's history is loading: when the live figures have moved
 * on since its last read, it is read again (at most every LOADING_REFRESH_MS), and once
 * more when the loading is over. A page opened during an import would otherwise show the
 * first rows it read (a few units with data) until its next slow refresh.
 */
export function useRefreshWhileLoading(q: QueryState<unknown>, live: { loading: HistoryLoading | null; projection: ProjectionMark } | null): void {
  const marker = live === null ? null : live.loading ? `loading@${live.projection.watermark}` : 'complete';
  const readAt = useRef<string | null>(null);
  const { refresh, updatedAt, fetching } = q;
  useEffect(() => {
    if (marker === null || fetching || updatedAt === null) return;
    // Its first answer was read with the figures as they are now.
    if (readAt.current === null) {
      readAt.current = marker;
      return;
    }
    if (marker === readAt.current) return;
    const timer = setTimeout(
      () => {
        readAt.current = marker;
        refresh();
      },
      Math.max(0, updatedAt + LOADING_REFRESH_MS - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [marker, fetching, updatedAt, refresh]);
}
