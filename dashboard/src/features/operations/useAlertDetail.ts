import { useCallback, useEffect } from 'react';
import type { AlertDetail } from '@ioc/shared';
import { type PollingState, usePolling } from '../../lib/usePolling';
import { fetchAlert } from './api';

const REFRESH_MS = 30_000;

/** One alert with its history; fetched again whenever `version` (the live list's `updatedAt` of it) moves. */
export function useAlertDetail(id: string | null, version: string | null): PollingState<AlertDetail> {
  const fetcher = useCallback((signal: AbortSignal) => fetchAlert(id ?? '', signal), [id]);
  const state = usePolling(id === null ? null : `alert|${id}`, fetcher, REFRESH_MS);
  const { refresh } = state;
  const known = state.data?.updatedAt ?? null;
  useEffect(() => {
    if (version !== null && known !== null && version !== known) refresh();
  }, [version, known, refresh]);
  return state;
}
