import type { Commune, Province } from '@ioc/shared';
import { requestJson } from './http';
import { queryClient } from './queryClient';

/**
 * The administrative units (public reference data, the same until the next
 * reform): read once into the query cache and kept, read again only after a failure.
 */
function cached<T>(path: string): Promise<T> {
  return queryClient.fetchQuery({ queryKey: ['units', path], queryFn: () => requestJson<T>(path), staleTime: Infinity, gcTime: Infinity });
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
