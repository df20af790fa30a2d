import { INDEX_COMPONENTS, type RankingEntry } from '@ioc/shared';
import { t } from '../../i18n';
import type { CsvColumn } from '../../lib/csv';
import { kpiNameOf } from '../../lib/kpiText';

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

/**
 * Whether the ranking says anything: when every unit with a score has the same
 * one (all 100 at dawn, all 0 on a quiet holiday), an order would be drawn from
 * ties and is not shown; the page says the values are equal instead.
 */
export type RankingSpread = { kind: 'ranked' } | { kind: 'tied'; score: number; count: number } | { kind: 'none' };

export function rankingSpread(entries: readonly RankingEntry[]): RankingSpread {
  const scores = entries.map((e) => e.index.score).filter((v): v is number => v !== null);
  if (scores.length === 0) return { kind: 'none' };
  if (scores.length >= 2 && scores.every((v) => v === scores[0])) return { kind: 'tied', score: scores[0]!, count: scores.length };
  return { kind: 'ranked' };
}

/** Every unit by name, for a ranking that has no order to show. */
export function byName(entries: readonly RankingEntry[]): RankingEntry[] {
  return [...entries].sort((a, b) => a.unitName.localeCompare(b.unitName, 'vi'));
}

const RATE_KPIS = ['onTime', 'online', 'fullOnline', 'digitized', 'eResult', 'onlinePayment', 'satisfaction'] as const;

/** The export's columns (CSV and Excel): codes as text, figures as numbers, one value a cell. */
export function rankingColumns(unitHeader: string): CsvColumn<RankingEntry>[] {
  const h = (key: 'rank' | 'code' | 'score' | 'points' | 'maxPoints' | 'received') => t(`ranking.${key}`, { ns: 'overview' });
  return [
    { header: h('rank'), value: (e) => e.rank },
    { header: h('code'), value: (e) => e.unitCode, kind: 'text' },
    { header: unitHeader, value: (e) => e.unitName, kind: 'text' },
    { header: h('score'), value: (e) => e.index.score },
    { header: h('points'), value: (e) => e.index.points },
    { header: h('maxPoints'), value: (e) => e.index.maxPoints },
    ...INDEX_COMPONENTS.map((c): CsvColumn<RankingEntry> => ({ header: t('ranking.lostCsv', { ns: 'overview', name: kpiNameOf(c.kpi) }), value: (e) => pointsLost(e)[c.id] })),
    ...RATE_KPIS.map((k): CsvColumn<RankingEntry> => ({ header: `${kpiNameOf(k)} (%)`, value: (e) => e.kpis[k].value })),
    { header: h('received'), value: (e) => e.received },
  ];
}
