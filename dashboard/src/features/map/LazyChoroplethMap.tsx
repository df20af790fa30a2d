import { Component, type ReactNode, lazy } from 'react';
import { loadMapChunk } from './preload';

// maplibre is its own chunk, downloaded only when a page shows a map (the page may have started it already).
export const LazyChoroplethMap = lazy(() => loadMapChunk());

interface BoundaryProps {
  /** What stands in the map's place; a function is handed a reload of the page (a new version may have been deployed). */
  fallback: ReactNode | ((reload: () => void) => ReactNode);
  children: ReactNode;
}

/** A map that cannot come (its code did not download, or the screen has no WebGL) leaves the rest of the page standing. */
export class MapBoundary extends Component<BoundaryProps, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    const { fallback } = this.props;
    return typeof fallback === 'function' ? fallback(() => window.location.reload()) : fallback;
  }
}
