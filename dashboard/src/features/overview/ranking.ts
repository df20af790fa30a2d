import { INDEX_COMPONENTS, INDEX_V2_BY_ID, type RankingEntry, type RankingResponse, type SubIndicatorId, rankEntries } from '@ioc/shared';
import { NO_VALUE, formatCount, formatDecimal } from '../../lib/format';
import type { MapLayer } from '../map/choropleth';
import { formatDatum, metricName } from '../map/format';

const metricNameOf = (layer: MapLayer) => metricName(layer === 'links' ? 'points' : layer);
import { metricDatum, metricValue } from '../map/mapData';
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

export function rankingSpread(entries: readonly RankingEntry[], valueOf: (e: RankingEntry) => number | null = (e) => e.index.score): RankingSpread {
  const scores = entries.map(valueOf).filter((v): v is number => v !== null);
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
    { header: t('ranking.v2Earned', { ns: 'overview' }), value: (e) => e.indexV2?.earned ?? null },
    { header: t('ranking.v2Available', { ns: 'overview' }), value: (e) => e.indexV2?.available ?? null },
    { header: t('ranking.comparable', { ns: 'overview' }), value: (e) => (e as OverviewEntry).comparable ?? null },
  ];
}

/** A unit below the scope as the overview holds it: with `comparable`, its kpi-v2 points over the sub-indicators every ranked unit has. */
export type OverviewEntry = RankingEntry & { comparable?: number | null };

/**
 * The rows the overview has (live `children` rows or a REST ranking, kpi-v1)
 * with each unit's kpi-v2 index from the ranking by it; that ranking alone when
 * the others have not come.
 */
export function withIndexV2(entries: readonly RankingEntry[] | null, index: RankingResponse | null): OverviewEntry[] | null {
  if (!index) return entries ? [...entries] : null;
  const byCode = new Map(index.entries.map((e) => [e.unitCode, e]));
  const source = entries ?? index.entries;
  return source.map((e) => {
    const x = byCode.get(e.unitCode);
    return x ? { ...e, indexV2: x.indexV2, comparable: x.value } : e;
  });
}

/**
 * The entries ranked by what colours the map, as `/rankings` ranks (value
 * descending, competition ranking): the kpi-v2 index by its comparable points
 * (the sub-indicators every unit has, so units are compared on the same set); a
 * sub-indicator by its points; a kpi-v1 KPI or score by its value. The
 * connectivity layer ranks by the kpi-v1 score, as the live rows come.
 */
export function rankedBy(entries: readonly OverviewEntry[], layer: MapLayer): OverviewEntry[] {
  const metric = layer === 'links' ? 'points' : layer;
  const out = entries.map((e) => ({ ...e, value: metric === 'index' ? (e.comparable ?? null) : metricValue(e, metric) }));
  return rankEntries(out) as OverviewEntry[];
}

/** kpi-v2 points lost per scored sub-indicator with data (Pmax − points), the most first. */
export function subIndicatorsLost(entry: RankingEntry): { id: SubIndicatorId; lost: number }[] {
  const points = entry.indexV2?.points ?? {};
  const out: { id: SubIndicatorId; lost: number }[] = [];
  for (const [id, p] of Object.entries(points) as [SubIndicatorId, number | null][]) {
    if (typeof p !== 'number') continue;
    const lost = Math.round((INDEX_V2_BY_ID[id].pmax - p) * 100) / 100;
    if (lost > 0) out.push({ id, lost });
  }
  return out.sort((a, b) => b.lost - a.lost || INDEX_V2_BY_ID[b.id].pmax - INDEX_V2_BY_ID[a.id].pmax);
}

/** The measure a unit is ranked by, as the map colours it: its bar (percent) and its words ("71,40 / 82 điểm", "52,30%", "85,61"). */
export function measureOf(e: RankingEntry, layer: MapLayer, short = false): { bar: number | null; text: string } {
  if (layer === 'points' || layer === 'links') return { bar: e.index.score, text: formatDecimal(e.index.score) };
  const d = metricDatum(e, layer);
  if (d.value === null) return { bar: null, text: NO_VALUE };
  // Short, where the space is narrow (the highest and lowest units): "81,47/86".
  if (short && d.points) return { bar: d.value, text: `${formatDecimal(d.points.earned)}/${formatCount(d.points.of)}` };
  return { bar: d.value, text: formatDatum(layer, { code: e.unitCode, name: e.unitName, ...d }) };
}

/** The words of a ranking with no order to show: every unit with a value has the same one, one alone has one, or none has one. */
export function spreadText(entries: readonly RankingEntry[], spread: RankingSpread, layer: MapLayer, noun: string): string {
  const metric = metricNameOf(layer);
  const scored = entries.filter((e) => e.value !== null);
  if (spread.kind === 'ranked' && scored.length === 1) return t('ranking.single', { ns: 'overview', name: scored[0]!.unitName, metric, score: measureOf(scored[0]!, layer).text });
  if (spread.kind !== 'tied') return t('ranking.noneScored', { ns: 'overview', noun, metric });
  const first = entries.find((e) => e.value !== null);
  return t('ranking.tied', { ns: 'overview', count: spread.count, noun, metric, score: first ? measureOf(first, layer).text : formatDecimal(spread.score) });
}
