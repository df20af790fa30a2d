import type { Commune, Province } from '@ioc/shared';
import { requestJson } from './http';

/**
 * The administrative units (public reference data, the same until the next
 * reform): fetched once per page load, fetched again only after a failure.
 */
const cache = new Map<string, Promise<unknown>>();

function cached<T>(path: string): Promise<T> {
  let p = cache.get(path) as Promise<T> | undefined;
  if (!p) {
    p = requestJson<T>(path);
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

export function fetchProvinces(): Promise<Province[]> {
  return cached<Province[]>('/api/v1/units/provinces');
}

export function fetchCommunesOf(provinceCode: string): Promise<Commune[]> {
  return cached<Commune[]>(`/api/v1/units/provinces/${encodeURIComponent(provinceCode)}/communes`);
}

export function fetchCommune(code: string): Promise<Commune> {
  return cached<Commune>(`/api/v1/units/communes/${encodeURIComponent(code)}`);
}
