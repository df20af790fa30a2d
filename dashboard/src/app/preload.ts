import { clientConfigQuery } from '../lib/clientConfig';
import { queryClient } from '../lib/queryClient';

/**
 * What an address opening on an overview will need, started before the session
 * is even restored: the overview's code, the map's code (maplibre and its
 * worker) and the map's settings, side by side rather than one after the other.
 * The boundaries follow as soon as the page knows its scope.
 */
export function preloadForAddress(hash: string): void {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  if (path !== '/overview' && !/^\/overview\/(nation|province:\d{2})$/.test(path)) return;
  void import('../features/overview/OverviewPage').catch(() => undefined);
  void import('../features/map/preload').then((m) => m.loadMapChunk()).catch(() => undefined);
  void queryClient.prefetchQuery(clientConfigQuery).catch(() => undefined);
  if (path === '/overview/nation') void import('../features/map/preload').then((m) => m.preloadMap('province'));
  const province = /^\/overview\/province:(\d{2})$/.exec(path)?.[1];
  if (province) void import('../features/map/preload').then((m) => m.preloadMap('commune', province));
}
