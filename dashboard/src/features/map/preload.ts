import { fetchBoundaries } from './boundaries';

let chunk: Promise<typeof import('./ChoroplethMap')> | null = null;

/** The map's code (maplibre and its worker): one download, started as early as a page knows it will show a map. */
export function loadMapChunk(): Promise<typeof import('./ChoroplethMap')> {
  chunk ??= import('./ChoroplethMap');
  chunk.catch(() => {
    chunk = null;
  });
  return chunk;
}

/**
 * Starts what a map of the provinces, or of a province's communes, needs before
 * the page has its figures: the code and the boundaries, side by side.
 */
export function preloadMap(level: 'province' | 'commune', provinceCode?: string): void {
  void loadMapChunk().catch(() => undefined);
  void fetchBoundaries(level, provinceCode)?.catch(() => undefined);
}
