import { API_ROUTES, type ApiRoute, type ApiRoutes, type EndpointAccess } from '@ioc/shared';
import { type HttpMethod, requestJson } from './http';

/**
 * The contract's routes (shared/src/contract) as the dashboard calls them: a route's arguments and answer are the
 * table's types, its URL the table's path. `api` (lib/api.ts) sends them as the signed-in person.
 */

/** True for an answer in JSON (or none): a type name, or a `…json` media type. */
type JsonAnswer<T extends string> = T extends `${string}/${string}` ? (T extends `${string}json` ? true : false) : true;

/** The routes the dashboard may call: those answering JSON or nothing (not a file or text), not the source systems' (ingest key). */
export type ClientRoute = {
  [R in ApiRoute]: ApiRoutes[R]['access'] extends 'ingest-key' ? never : JsonAnswer<ApiRoutes[R]['responseType']> extends true ? R : never;
}[ApiRoute];

/** The routes of one method. */
export type RouteOf<M extends HttpMethod> = { [R in ClientRoute]: ApiRoutes[R]['method'] extends M ? R : never }[ClientRoute];

/** A query as the dashboard gives it: the table's, with a number wherever any text is taken (sent as decimal text). */
type QueryArgs<Q> = { [K in keyof Q]: string extends Q[K] ? Q[K] | number : Q[K] };

/** What a route's URL is made of: its path parameters when it has any, and its query when it takes one. */
export type UrlArgs<R extends ApiRoute> = ([keyof ApiRoutes[R]['params']] extends [never] ? { params?: undefined } : { params: ApiRoutes[R]['params'] }) &
  (ApiRoutes[R]['query'] extends undefined ? { query?: undefined } : { query?: QueryArgs<ApiRoutes[R]['query']> });

/** A request's arguments: its URL's, and the body when the route takes one. */
export type RequestArgs<R extends ApiRoute> = UrlArgs<R> & (ApiRoutes[R]['body'] extends undefined ? { body?: undefined } : { body: ApiRoutes[R]['body'] });

/** What a route answers on success. */
export type RouteResponse<R extends ApiRoute> = ApiRoutes[R]['response'];

/** The arguments as they are read at run time. */
interface LooseArgs {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/**
 * The URL of a route: the contract's path with its parameters filled in (encoded), then the query's defined
 * values in the order given (`/api/v1/kpis?scope=province%3A01&from=2026-05-01`; no `?` without any).
 */
export function routePath<R extends ApiRoute>(route: R, args: UrlArgs<R>): string {
  const { params = {}, query = {} } = args as LooseArgs;
  const path = API_ROUTES[route].path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
  const q = search.toString();
  return q ? `${path}?${q}` : path;
}

/** A route's request: its URL, method and body, and who may call it (a public route goes without a token). */
export function routeRequest<R extends ClientRoute>(route: R, args: RequestArgs<R>): { path: string; method: HttpMethod; body: unknown; access: EndpointAccess } {
  const { method, access } = API_ROUTES[route];
  return { path: routePath(route, args), method, body: (args as LooseArgs).body, access };
}

/** One request of a route with the token given, or none: for the sign-in itself (lib/auth.ts), which `api` depends on. */
export function requestRoute<R extends ClientRoute>(route: R, args: RequestArgs<R>, options: { token?: string | null; signal?: AbortSignal } = {}): Promise<RouteResponse<R>> {
  const { path, method, body } = routeRequest(route, args);
  return requestJson<RouteResponse<R>>(path, { method, body, ...options });
}
