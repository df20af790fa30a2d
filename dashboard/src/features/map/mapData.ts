import { INDEX_V2_BY_ID, type IndexV2Summary, type KpiSet } from '@ioc/shared';
import { type IndexMetric, type MapDatum, type MapMetric, isIndexMetric } from './choropleth';

/**
 * A row the overview already has for each unit below its scope: a ranking entry
 * (`/rankings`) or a live `children` row. Only the live row knows when the unit
 * last delivered an event; only a ranking by the kpi-v2 index carries `indexV2`.
 */
export interface MapSourceRow {
  unitCode: string;
  unitName: string;
  kpis: KpiSet;
  index: { score: number | null };
  indexV2?: IndexV2Summary;
  lastEventAt?: string | null;
}

export type MapSourceRows = Readonly<Record<string, MapSourceRow>> | readonly MapSourceRow[];

/** A row's value and points for a kpi-v2 metric: earned ÷ available, or a sub-indicator's points ÷ Pmax (a not-scored one: its rate). */
function indexDatum(row: MapSourceRow, metric: IndexMetric): Pick<MapDatum, 'value' | 'points'> {
  const s = row.indexV2;
  if (metric === 'index') {
    if (!s || s.available <= 0) return { value: null };
    return { value: (s.earned / s.available) * 100, points: { earned: s.earned, of: s.available } };
  }
  const d = INDEX_V2_BY_ID[metric];
  if (!d.scored) return { value: d.kpiV1 ? (row.kpis[d.kpiV1]?.value ?? null) : null };
  const p = s?.points[metric];
  if (typeof p !== 'number') return { value: null };
  return { value: (p / d.pmax) * 100, points: { earned: p, of: d.pmax } };
}

/** The metric's value of a row and, for the kpi-v2 index and its sub-indicators, the points behind it. */
export function metricDatum(row: MapSourceRow, metric: MapMetric): Pick<MapDatum, 'value' | 'points'> {
  if (metric === 'points') return { value: row.index.score ?? null };
  if (isIndexMetric(metric)) return indexDatum(row, metric);
  return { value: row.kpis[metric]?.value ?? null };
}

/** The metric's value of a row: a KPI percent, the kpi-v1 index score, or a kpi-v2 share in percent. */
export function metricValue(row: MapSourceRow, metric: MapMetric): number | null {
  return metricDatum(row, metric).value;
}

/** The rows as the map's data, by unit code. */
export function toMapData(rows: MapSourceRows, metric: MapMetric): Record<string, MapDatum> {
  const list: readonly MapSourceRow[] = Array.isArray(rows) ? rows : Object.values(rows as Readonly<Record<string, MapSourceRow>>);
  const out: Record<string, MapDatum> = {};
  for (const r of list) {
    const d: MapDatum = { code: r.unitCode, name: r.unitName, ...metricDatum(r, metric) };
    if (d.points === undefined) delete d.points;
    if (r.lastEventAt !== undefined) d.lastEventAt = r.lastEventAt;
    out[r.unitCode] = d;
  }
  return out;
}
