import { requestJson } from '../../lib/http';
import type { FeatureCollectionLike } from './choropleth';

/** A boundary collection as the server serves it: polygons with `properties.code` and `properties.name`. */
export interface BoundaryCollection extends FeatureCollectionLike {
  type: 'FeatureCollection';
}

/**
 * The boundaries of a level (public reference data, the same until the next
 * reform): fetched once per page load, again only after a failure.
 */
const cache = new Map<string, Promise<BoundaryCollection>>();

export function boundariesPath(level: 'province' | 'commune', provinceCode?: string): string | null {
  if (level === 'province') return '/api/v1/geo/provinces';
  return provinceCode ? `/api/v1/geo/provinces/${encodeURIComponent(provinceCode)}/communes` : null;
}

export function fetchBoundaries(path: string): Promise<BoundaryCollection> {
  let p = cache.get(path);
  if (!p) {
    p = requestJson<BoundaryCollection>(path);
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}
