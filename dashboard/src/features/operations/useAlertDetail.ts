import { useCallback, useEffect } from 'react';
import type { AlertDetail } from '@ioc/shared';
import { type QueryState, useApiQuery } from '../../lib/useApiQuery';
import { fetchAlert } from './api';

const REFRESH_MS = 30_000;

/** One alert with its history; fetched again whenever `version` (the live list's `updatedAt` of it) moves. */
export function useAlertDetail(id: string | null, version: string | null): QueryState<AlertDetail> {
  const fetcher = useCallback((signal: AbortSignal) => fetchAlert(id ?? '', signal), [id]);
  const state = useApiQuery(id === null ? null : ['alert', id], fetcher, { refetchMs: REFRESH_MS });
  const { refresh } = state;
  const known = state.data?.updatedAt ?? null;
  useEffect(() => {
    if (version !== null && known !== null && version !== known) refresh();
  }, [version, known, refresh]);
  return state;
}
