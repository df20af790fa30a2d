import { useCallback } from 'react';
import type { AlertListResponse } from '@ioc/shared';
import { type QueryState, useApiQuery } from '../../lib/useApiQuery';
import { fetchAlerts } from './api';
import type { AlertFilters } from './alertList';

export const HISTORY_PAGE_SIZE = 50;
const HISTORY_REFRESH_MS = 30_000;

/**
 * Every alert of the scope, cleared and acknowledged ones too, a page at a
 * time; severity, state, acknowledgement and assignment to the signed-in person are filtered by the server. Null
 * `scope`: not shown, nothing asked.
 */
export function useAlertHistory(scope: string | null, filters: AlertFilters, page: number): QueryState<AlertListResponse> {
  const { severities, state, ack, mine } = filters;
  const fetcher = useCallback(
    (signal: AbortSignal) =>
      fetchAlerts(
        {
          scope: scope ?? undefined,
          severity: severities,
          status: state === 'all' ? undefined : state,
          acknowledged: ack === 'all' ? undefined : ack === 'acknowledged',
          assignee: mine ? 'me' : undefined,
          page,
          pageSize: HISTORY_PAGE_SIZE,
        },
        signal,
      ),
    [scope, severities, state, ack, mine, page],
  );
  return useApiQuery(scope === null ? null : ['alerts', 'history', scope, severities.join(','), state, ack, mine, page], fetcher, { refetchMs: HISTORY_REFRESH_MS });
}
