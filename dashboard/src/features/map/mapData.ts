import type { KpiSet } from '@ioc/shared';
import type { MapDatum, MapMetric } from './choropleth';

/**
 * A row the overview already has for each unit below its scope: a ranking entry
 * (`/rankings`) or a live `children` row. Only the live row knows when the unit
 * last delivered an event.
 */
export interface MapSourceRow {
  unitCode: string;
  unitName: string;
  kpis: KpiSet;
  index: { score: number | null };
  lastEventAt?: string | null;
}

export type MapSourceRows = Readonly<Record<string, MapSourceRow>> | readonly MapSourceRow[];

/** The metric's value of a row: a KPI percent, or the index score. */
export function metricValue(row: MapSourceRow, metric: MapMetric): number | null {
  if (metric === 'points') return row.index.score ?? null;
  return row.kpis[metric]?.value ?? null;
}

/** The rows as the map's data, by unit code. */
export function toMapData(rows: MapSourceRows, metric: MapMetric): Record<string, MapDatum> {
  const list: readonly MapSourceRow[] = Array.isArray(rows) ? rows : Object.values(rows as Readonly<Record<string, MapSourceRow>>);
  const out: Record<string, MapDatum> = {};
  for (const r of list) {
    const d: MapDatum = { code: r.unitCode, name: r.unitName, value: metricValue(r, metric) };
    if (r.lastEventAt !== undefined) d.lastEventAt = r.lastEventAt;
    out[r.unitCode] = d;
  }
  return out;
}
