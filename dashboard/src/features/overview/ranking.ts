import { INDEX_COMPONENTS, type RankingEntry } from '@ioc/shared';

/** Best first; units without a score (no dossiers) go last, by name. */
export function sortRanking(entries: readonly RankingEntry[]): RankingEntry[] {
  return [...entries].sort((a, b) => {
    if (a.rank !== null && b.rank !== null) return a.rank - b.rank || a.unitName.localeCompare(b.unitName, 'vi');
    if (a.rank !== null) return -1;
    if (b.rank !== null) return 1;
    return a.unitName.localeCompare(b.unitName, 'vi');
  });
}

export type RankingView = 'best' | 'worst' | 'all';

/**
 * The rows a view shows: the `n` best, the `n` worst (worst first, among units
 * that have a score: a unit with no dossiers is not "worst"), or all.
 */
export function rankingRows(entries: readonly RankingEntry[], view: RankingView, n: number): RankingEntry[] {
  const sorted = sortRanking(entries);
  if (view === 'all') return sorted;
  const ranked = sorted.filter((e) => e.rank !== null);
  return view === 'best' ? ranked.slice(0, n) : ranked.slice(-n).reverse();
}

/** Points lost per index component, in the catalogue's order; null where the component could not be computed. */
export function pointsLost(entry: RankingEntry): Record<string, number | null> {
  const lost: Record<string, number | null> = {};
  for (const c of INDEX_COMPONENTS) {
    lost[c.id] = entry.index.components.find((x) => x.id === c.id)?.lost ?? null;
  }
  return lost;
}
