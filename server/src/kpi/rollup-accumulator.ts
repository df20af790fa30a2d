import {
  type ContributionSink,
  DEFERRED_FIELDS,
  type DeferredField,
  type Grain,
  ROLLUP_FIELDS,
  type RollupField,
  columnOf,
} from '@ioc/shared';
import type { EntityManager } from 'typeorm';

const FIELD_INDEX = new Map<string, number>(ROLLUP_FIELDS.map((f, i) => [f, i]));
const DEFERRED_INDEX = new Map<string, number>(DEFERRED_FIELDS.map((f, i) => [f, i]));
export const ROLLUP_COLUMNS = ROLLUP_FIELDS.map(columnOf);
export const DEFERRED_COLUMNS = DEFERRED_FIELDS.map(columnOf);
export const GRAIN_TABLE: Record<Grain, string> = { hour: 'kpi_hourly', day: 'kpi_daily', month: 'kpi_monthly' };

interface Row {
  unit: string;
  bucket: number;
  v: Int32Array;
}
interface DeferredRow {
  grain: 'd' | 'm';
  unit: string;
  cohort: number;
  achieved: number;
  v: Int32Array;
}

/**
 * Sums the rollup changes of many dossiers in memory so a batch touches each
 * (unit, bucket) row once, then writes them with one upsert per table, in key
 * order so concurrent writers lock rows in the same order.
 */
export class RollupAccumulator implements ContributionSink {
  private readonly rows: Record<Grain, Map<string, Row>> = { hour: new Map(), day: new Map(), month: new Map() };
  private readonly deferred = new Map<string, DeferredRow>();

  add(grain: Grain, unit: string, bucket: number, field: RollupField, delta: number): void {
    const map = this.rows[grain];
    const key = `${unit}|${bucket}`;
    let row = map.get(key);
    if (!row) {
      row = { unit, bucket, v: new Int32Array(ROLLUP_FIELDS.length) };
      map.set(key, row);
    }
    row.v[FIELD_INDEX.get(field)!]! += delta;
  }

  addDeferred(grain: Grain, unit: string, cohort: number, achieved: number, field: DeferredField, delta: number): void {
    const g = grain === 'month' ? 'm' : 'd';
    const key = `${g}|${unit}|${cohort}|${achieved}`;
    let row = this.deferred.get(key);
    if (!row) {
      row = { grain: g, unit, cohort, achieved, v: new Int32Array(DEFERRED_FIELDS.length) };
      this.deferred.set(key, row);
    }
    row.v[DEFERRED_INDEX.get(field)!]! += delta;
  }

  get size(): number {
    return this.rows.hour.size + this.rows.day.size + this.rows.month.size + this.deferred.size;
  }

  async flush(m: EntityManager, provinceOf: (unit: string) => string): Promise<void> {
    for (const grain of ['hour', 'day', 'month'] as const) {
      const rows = [...this.rows[grain].values()].filter((r) => r.v.some((x) => x !== 0));
      if (rows.length === 0) continue;
      rows.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.bucket - b.bucket));
      const table = GRAIN_TABLE[grain];
      const params: unknown[] = [
        rows.map((r) => r.unit),
        rows.map((r) => provinceOf(r.unit)),
        rows.map((r) => new Date(r.bucket).toISOString()),
        ...ROLLUP_COLUMNS.map((_, i) => rows.map((r) => r.v[i])),
      ];
      const casts = ROLLUP_COLUMNS.map((_, i) => `$${i + 4}::int[]`).join(', ');
      await m.query(
        `INSERT INTO ${table} (unit_code, province_code, bucket, ${ROLLUP_COLUMNS.join(', ')})
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], ${casts})
         ON CONFLICT (unit_code, bucket) DO UPDATE SET
         ${ROLLUP_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
        params,
      );
    }
    const deferred = [...this.deferred.values()].filter((r) => r.v.some((x) => x !== 0));
    if (deferred.length > 0) {
      deferred.sort((a, b) =>
        a.grain !== b.grain ? (a.grain < b.grain ? -1 : 1) : a.unit !== b.unit ? (a.unit < b.unit ? -1 : 1) : a.cohort - b.cohort || a.achieved - b.achieved,
      );
      const casts = DEFERRED_COLUMNS.map((_, i) => `$${i + 6}::int[]`).join(', ');
      await m.query(
        `INSERT INTO kpi_deferred (grain, unit_code, province_code, cohort_bucket, achieved_day, ${DEFERRED_COLUMNS.join(', ')})
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], ${casts})
         ON CONFLICT (grain, unit_code, cohort_bucket, achieved_day) DO UPDATE SET
         ${DEFERRED_COLUMNS.map((c) => `${c} = kpi_deferred.${c} + excluded.${c}`).join(', ')}`,
        [
          deferred.map((r) => r.grain),
          deferred.map((r) => r.unit),
          deferred.map((r) => provinceOf(r.unit)),
          deferred.map((r) => new Date(r.cohort).toISOString()),
          deferred.map((r) => new Date(r.achieved).toISOString()),
          ...DEFERRED_COLUMNS.map((_, i) => deferred.map((r) => r.v[i])),
        ],
      );
    }
  }
}
