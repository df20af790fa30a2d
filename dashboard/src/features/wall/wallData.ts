import type { ChildrenData, RankingEntry, RankingResponse } from '@ioc/shared';
import type { MapDatum } from '../map/choropleth';
import { metricDatum } from '../map/mapData';

/** What the wall's map draws for one unit. */
export type WallMapDatum = MapDatum;

/**
 * The wall's map data: the kpi-v2 index today (earned ÷ available; the wall's
 * headline) from the ranking by it, and when each unit last delivered, from the
 * live `children` rows. A unit the index ranking has not brought yet has no value.
 */
export function wallMapData(rows: ChildrenData | null, index: RankingResponse | null = null): Record<string, WallMapDatum> {
  const out: Record<string, WallMapDatum> = {};
  const byCode = new Map((index?.entries ?? []).map((e) => [e.unitCode, e]));
  for (const r of Object.values(rows ?? {})) {
    const e = byCode.get(r.unitCode);
    out[r.unitCode] = { code: r.unitCode, name: r.unitName, ...(e ? metricDatum(e, 'index') : { value: null }), lastEventAt: r.lastEventAt };
  }
  // Units the live rows have not brought yet.
  for (const e of byCode.values()) if (!(e.unitCode in out)) out[e.unitCode] = { code: e.unitCode, name: e.unitName, ...metricDatum(e, 'index') };
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
 * The best and the worst `n` units by the kpi-v2 index today, as the ranking by it ranks
 * them: on the points of the sub-indicators every unit with data has (`value` of
 * `commonPmax`). Units without a rank are left out of both; with fewer than 2n ranked
 * units the lists do not overlap.
 */
export function bestAndWorst(index: RankingResponse | null, n = 5): { best: RankingEntry[]; worst: RankingEntry[]; scored: number; pmax: number | null } {
  if (!index) return { best: [], worst: [], scored: 0, pmax: null };
  const scored = index.entries.filter((e) => e.rank !== null && e.value !== null).sort((a, b) => a.rank! - b.rank!);
  const best = scored.slice(0, n);
  const worst = scored.slice(Math.max(n, scored.length - n)).reverse();
  return { best, worst, scored: scored.length, pmax: index.commonPmax ?? null };
}
