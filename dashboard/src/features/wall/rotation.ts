/** The wall's views, in rotation order. */
export const WALL_VIEWS = ['map', 'alerts', 'ranking'] as const;
export type WallView = (typeof WALL_VIEWS)[number];

export interface RotationState {
  index: number;
  /** Time spent on the current view, ms (frozen while paused). */
  elapsedMs: number;
  periodMs: number;
  paused: boolean;
}

export type RotationEvent =
  | { type: 'tick'; ms: number }
  | { type: 'next' }
  | { type: 'previous' }
  | { type: 'togglePause' }
  | { type: 'goto'; view: WallView }
  /** A critical alert arrived: show the alerts, for a whole period. */
  | { type: 'critical' };

export const DEFAULT_EVERY_SECONDS = 20;
const MIN_EVERY_SECONDS = 5;
const MAX_EVERY_SECONDS = 600;

/** `?every=30` of the wall's address → 30 s; missing or unusable → 20 s; kept within 5–600 s. */
export function everySecondsOf(query: string): number {
  const raw = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query).get('every');
  const n = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(n)) return DEFAULT_EVERY_SECONDS;
  return Math.min(MAX_EVERY_SECONDS, Math.max(MIN_EVERY_SECONDS, Math.round(n)));
}

/** The query part of a hash route: `#/wall?every=30` → `?every=30`. */
export function hashQuery(hash: string): string {
  const i = hash.indexOf('?');
  return i < 0 ? '' : hash.slice(i);
}

export function initialRotation(everySeconds: number): RotationState {
  return { index: 0, elapsedMs: 0, periodMs: everySeconds * 1000, paused: false };
}

const n = WALL_VIEWS.length;

export function rotate(s: RotationState, e: RotationEvent): RotationState {
  switch (e.type) {
    case 'tick': {
      if (s.paused || e.ms <= 0) return s;
      const elapsed = s.elapsedMs + e.ms;
      if (elapsed < s.periodMs) return { ...s, elapsedMs: elapsed };
      // A long gap (a sleeping tab) moves one view, not several.
      return { ...s, index: (s.index + 1) % n, elapsedMs: 0 };
    }
    case 'next':
      return { ...s, index: (s.index + 1) % n, elapsedMs: 0 };
    case 'previous':
      return { ...s, index: (s.index + n - 1) % n, elapsedMs: 0 };
    case 'togglePause':
      return { ...s, paused: !s.paused };
    case 'goto':
      return { ...s, index: WALL_VIEWS.indexOf(e.view), elapsedMs: 0 };
    case 'critical':
      return { ...s, index: WALL_VIEWS.indexOf('alerts'), elapsedMs: 0 };
  }
}

export function currentView(s: RotationState): WallView {
  return WALL_VIEWS[s.index]!;
}

/** Share of the current view's time spent, 0–1, for the progress bar. */
export function progressOf(s: RotationState): number {
  return s.periodMs > 0 ? Math.min(1, s.elapsedMs / s.periodMs) : 0;
}
