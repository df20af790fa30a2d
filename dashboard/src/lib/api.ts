import type { HealthResponse, KpiResponse, RankBy, RankingResponse, SeriesResponse } from '@ioc/shared';
import { auth } from './auth';
import { type HttpMethod, errorCodeOf, requestJson } from './http';
import type { DateRange } from './period';

/**
 * A request as the signed-in person. A 401 means the access token ran out (or
 * the server restarted with another key): refresh once and ask again; when the
 * refresh fails too, the sign-in has ended and the page returns to the sign-in screen.
 */
async function authorized<T>(path: string, options: { method?: HttpMethod; body?: unknown; signal?: AbortSignal }): Promise<T> {
  const token = auth.accessToken();
  try {
    return await requestJson<T>(path, { ...options, token });
  } catch (e) {
    if (errorCodeOf(e) !== 'UNAUTHORIZED' || options.signal?.aborted) throw e;
    // Another request may have refreshed the token meanwhile.
    const current = auth.accessToken();
    const fresh = current !== null && current !== token ? current : await auth.refresh();
    if (fresh === null || options.signal?.aborted) throw e;
    return requestJson<T>(path, { ...options, token: fresh });
  }
}

export function getAuthorized<T>(path: string, signal: AbortSignal): Promise<T> {
  return authorized<T>(path, { signal });
}

/** A POST as the signed-in person, with the same one refresh on 401 as reads. */
export function postAuthorized<T>(path: string, body: unknown): Promise<T> {
  return authorized<T>(path, { method: 'POST', body });
}

/** A change (PUT, PATCH, DELETE) as the signed-in person; a DELETE answers undefined (204). */
export function sendAuthorized<T>(method: Exclude<HttpMethod, 'GET'>, path: string, body?: unknown): Promise<T> {
  return authorized<T>(path, { method, body });
}

/** A query string of the parameters that are set. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}

export function fetchKpis(scope: string, range: DateRange, signal: AbortSignal): Promise<KpiResponse> {
  return getAuthorized<KpiResponse>(`/api/v1/kpis?${query({ scope, ...range })}`, signal);
}

export function fetchRankings(scope: string, by: RankBy, range: DateRange, signal: AbortSignal, level?: 'commune'): Promise<RankingResponse> {
  return getAuthorized<RankingResponse>(`/api/v1/rankings?${query({ scope, by, level, ...range })}`, signal);
}

export function fetchSeries(scope: string, range: DateRange, granularity: 'hour' | 'day' | 'month', signal: AbortSignal): Promise<SeriesResponse> {
  return getAuthorized<SeriesResponse>(`/api/v1/kpis/series?${query({ scope, ...range, granularity })}`, signal);
}

/** Public: the state of the system, shown whoever is signed in. */
export function fetchHealth(signal: AbortSignal): Promise<HealthResponse> {
  return requestJson<HealthResponse>('/api/v1/health', { signal });
}
