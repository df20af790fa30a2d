import { api } from '../../lib/api';
import { type RouteResponse, routePath } from '../../lib/apiRoutes';

/** A boundary collection as the server serves it: polygons with `properties.code` and `properties.name`. */
export type BoundaryCollection = RouteResponse<'units.geoProvinces'>;

/** The boundaries of a level: their URL, which names them (in the cache, on the map), and the request. */
interface BoundariesRequest {
  path: string;
  fetch: () => Promise<BoundaryCollection>;
}

/**
 * The boundaries of a level (public reference data, the same until the next
 * reform): fetched once per page load, again only after a failure.
 */
const cache = new Map<string, Promise<BoundaryCollection>>();

/** The provinces, or a province's communes; null for the communes of no province. */
function request(level: 'province' | 'commune', provinceCode?: string): BoundariesRequest | null {
  if (level === 'province') return { path: routePath('units.geoProvinces', {}), fetch: () => api.get('units.geoProvinces', {}) };
  if (!provinceCode) return null;
  const args = { params: { code: provinceCode } };
  return { path: routePath('units.geoCommunes', args), fetch: () => api.get('units.geoCommunes', args) };
}

export function boundariesPath(level: 'province' | 'commune', provinceCode?: string): string | null {
  return request(level, provinceCode)?.path ?? null;
}

/** The boundaries of a level, from the cache when asked before; null for the communes of no province. */
export function fetchBoundaries(level: 'province' | 'commune', provinceCode?: string): Promise<BoundaryCollection> | null {
  const r = request(level, provinceCode);
  if (!r) return null;
  let p = cache.get(r.path);
  if (!p) {
    p = r.fetch();
    cache.set(r.path, p);
    p.catch(() => cache.delete(r.path));
  }
  return p;
}
