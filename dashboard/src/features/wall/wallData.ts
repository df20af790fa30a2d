import type { ChildrenData, RankingEntry } from '@ioc/shared';
import { rankChildren } from '../../lib/liveFigures';

/** What the wall's map draws for one unit. */
export interface WallMapDatum {
  code: string;
  name: string;
  value: number | null;
  lastEventAt?: string | null;
}

/** The live `children` rows as the map's data: the index score today (the wall's headline), and when each unit last delivered. */
export function wallMapData(rows: ChildrenData | null): Record<string, WallMapDatum> {
  const out: Record<string, WallMapDatum> = {};
  if (!rows) return out;
  for (const r of Object.values(rows)) out[r.unitCode] = { code: r.unitCode, name: r.unitName, value: r.index.score, lastEventAt: r.lastEventAt };
  return out;
}

/** `?cycle=provinces` of the wall's address: the map view shows the next province at each turn. */
export function cyclesProvinces(query: string): boolean {
  return new URLSearchParams(query.startsWith('?') ? query.slice(1) : query).get('cycle') === 'provinces';
}

/** The province shown at a turn of the rotation: the provinces by code, one per turn, round and round. */
export function provinceAt(codes: readonly string[], turn: number): string | null {
  if (codes.length === 0) return null;
  const sorted = [...codes].sort();
  return sorted[((turn % sorted.length) + sorted.length) % sorted.length]!;
}

/**
 * The best and the worst `n` units by index score (units without a score are
 * left out of both); with fewer than 2n scored units the lists do not overlap.
 */
export function bestAndWorst(rows: ChildrenData | null, n = 5): { best: RankingEntry[]; worst: RankingEntry[]; scored: number } {
  if (!rows) return { best: [], worst: [], scored: 0 };
  const scored = rankChildren(rows).filter((e) => e.value !== null);
  const best = scored.slice(0, n);
  const worst = scored.slice(Math.max(n, scored.length - n)).reverse();
  return { best, worst, scored: scored.length };
}
