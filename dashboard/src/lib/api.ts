import type { RankBy } from '@ioc/shared';
import { type ClientRoute, type RequestArgs, type RouteOf, type RouteResponse, routeRequest } from './apiRoutes';
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

/** A route of the contract: a public one without a token, as today; the others as the signed-in person. */
function send<R extends ClientRoute>(route: R, args: RequestArgs<R>, signal?: AbortSignal): Promise<RouteResponse<R>> {
  const { path, method, body, access } = routeRequest(route, args);
  if (access === 'public') return requestJson<RouteResponse<R>>(path, { method, body, signal });
  return authorized<RouteResponse<R>>(path, { method, body, signal });
}

/**
 * The typed client of the API: `api.get('alerts.detail', { params: { id } }, signal)`. The route names an endpoint
 * of the contract (shared/src/contract), which gives the path parameters, query, body and answer their types; a DELETE answers undefined (204).
 */
export const api = {
  get: <R extends RouteOf<'GET'>>(route: R, args: RequestArgs<R>, signal?: AbortSignal) => send(route, args, signal),
  post: <R extends RouteOf<'POST'>>(route: R, args: RequestArgs<R>, signal?: AbortSignal) => send(route, args, signal),
  put: <R extends RouteOf<'PUT'>>(route: R, args: RequestArgs<R>, signal?: AbortSignal) => send(route, args, signal),
  patch: <R extends RouteOf<'PATCH'>>(route: R, args: RequestArgs<R>, signal?: AbortSignal) => send(route, args, signal),
  delete: <R extends RouteOf<'DELETE'>>(route: R, args: RequestArgs<R>, signal?: AbortSignal) => send(route, args, signal),
};

export function fetchKpis(scope: string, range: DateRange, signal: AbortSignal) {
  return api.get('kpis.kpis', { query: { scope, from: range.from, to: range.to } }, signal);
}

export function fetchRankings(scope: string, by: RankBy, range: DateRange, signal: AbortSignal, level?: 'commune') {
  return api.get('kpis.rankings', { query: { scope, by, level, from: range.from, to: range.to } }, signal);
}

export function fetchSeries(scope: string, range: DateRange, granularity: 'hour' | 'day' | 'month', signal: AbortSignal) {
  return api.get('kpis.series', { query: { scope, from: range.from, to: range.to, granularity } }, signal);
}

/** Public: the state of the system, shown whoever is signed in. */
export function fetchHealth(signal: AbortSignal) {
  return api.get('operations.health', {}, signal);
}
