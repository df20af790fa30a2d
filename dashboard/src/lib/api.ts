import type { HealthResponse, KpiResponse, RankBy, RankingResponse, SeriesResponse } from '@ioc/shared';
import { auth } from './auth';
import { httpStatusOf, requestJson } from './http';
import type { DateRange } from './period';

/**
 * A request as the signed-in person. A 401 means the access token ran out (or
 * the server restarted with another key): refresh once and ask again; when the
 * refresh fails too, the sign-in has ended and the page returns to the sign-in screen.
 */
export async function getAuthorized<T>(path: string, signal: AbortSignal): Promise<T> {
  const token = auth.accessToken();
  try {
    return await requestJson<T>(path, { token, signal });
  } catch (e) {
    if (httpStatusOf(e) !== 401 || signal.aborted) throw e;
    // Another request may have refreshed the token meanwhile.
    const current = auth.accessToken();
    const fresh = current !== null && current !== token ? current : await auth.refresh();
    if (fresh === null || signal.aborted) throw e;
    return requestJson<T>(path, { token: fresh, signal });
  }
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export function fetchKpis(scope: string, range: DateRange, signal: AbortSignal): Promise<KpiResponse> {
  return getAuthorized<KpiResponse>(`/api/v1/kpis?${query({ scope, ...range })}`, signal);
}

export function fetchRankings(scope: string, by: RankBy, range: DateRange, signal: AbortSignal): Promise<RankingResponse> {
  return getAuthorized<RankingResponse>(`/api/v1/rankings?${query({ scope, by, ...range })}`, signal);
}

export function fetchSeries(scope: string, range: DateRange, granularity: 'hour' | 'day' | 'month', signal: AbortSignal): Promise<SeriesResponse> {
  return getAuthorized<SeriesResponse>(`/api/v1/kpis/series?${query({ scope, ...range, granularity })}`, signal);
}

/** Public: the state of the system, shown whoever is signed in. */
export function fetchHealth(signal: AbortSignal): Promise<HealthResponse> {
  return requestJson<HealthResponse>('/api/v1/health', { signal });
}
