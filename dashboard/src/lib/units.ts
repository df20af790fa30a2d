import { api } from './api';
import { type RequestArgs, type RouteResponse, routePath } from './apiRoutes';
import { queryClient } from './queryClient';

type UnitRoute = 'units.provinces' | 'units.communes' | 'units.commune';

/**
 * The administrative units (public reference data, the same until the next
 * reform): read once into the query cache and kept, read again only after a failure.
 */
function cached<R extends UnitRoute>(route: R, args: RequestArgs<R>): Promise<RouteResponse<R>> {
  return queryClient.fetchQuery({ queryKey: ['units', routePath(route, args)], queryFn: () => api.get(route, args), staleTime: Infinity, gcTime: Infinity });
}
export function fetchProvinces() {
  return cached('units.provinces', {});
}

export function fetchCommunesOf(provinceCode: string) {
  return cached('units.communes', { params: { code: provinceCode } });
}

export function fetchCommune(code: string) {
  return cached('units.commune', { params: { code } });
}
