import type { DossierListResponse, DossierState, RankingResponse } from '@ioc/shared';
import { api, fetchRankings } from '../../lib/api';
import type { DateRange } from '../../lib/period';
import { queryClient } from '../../lib/queryClient';

/** The communes of a province (`province:01`) or of the nation (`nation`) ranked by index points over a period. */
export function fetchCommuneRanking(scope: string, range: DateRange, signal: AbortSignal): Promise<RankingResponse> {
  return fetchRankings(scope, 'points', range, signal, 'commune');
}

/**
 * Rankings of months that are over hardly change (only a late event corrects
 * them): kept in the query cache for the sign-in's lifetime, so the rank history
 * asks once per month, and two panels waiting for one month share the request.
 */
export function fetchMonthRanking(scope: string, range: DateRange & { current: boolean }, signal: AbortSignal): Promise<RankingResponse> {
  const { from, to } = range;
  if (range.current) return fetchCommuneRanking(scope, { from, to }, signal);
  return queryClient.fetchQuery({
    queryKey: ['rankings', scope, 'commune', from, to],
    // Not tied to one caller's signal: another component may be waiting for the same month.
    queryFn: ({ signal: own }) => fetchCommuneRanking(scope, { from, to }, own),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export interface DossierQuery {
  scope: string;
  state?: DossierState;
  page?: number;
  pageSize?: number;
}

/** In-progress dossiers of the scope, overdue or turning overdue within 48 hours, most urgent first. */
export function fetchDossiers(q: DossierQuery, signal: AbortSignal) {
  return api.get('dossiers.list', { query: { scope: q.scope, state: q.state, page: q.page, pageSize: q.pageSize } }, signal);
}

/** Every page of a dossier list, for an export; at most `limit` dossiers. */
export async function fetchAllDossiers(q: Omit<DossierQuery, 'page' | 'pageSize'>, signal: AbortSignal, limit = 10_000): Promise<DossierListResponse['items']> {
  const pageSize = 200;
  const items: DossierListResponse['items'] = [];
  for (let page = 1; ; page++) {
    const res = await fetchDossiers({ ...q, page, pageSize }, signal);
    items.push(...res.items);
    if (res.items.length < pageSize || items.length >= res.total || items.length >= limit) return items.slice(0, limit);
  }
}

/** Where the current month's on-time rate ends up from the backlog known now. */
export function fetchProjection(scope: string, signal: AbortSignal) {
  return api.get('kpis.projection', { query: { scope } }, signal);
}
