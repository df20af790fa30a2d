import {
  type ContributionSink,
  HOUR_MS,
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
/** Rows per upsert statement. */
const FLUSH_CHUNK = 20_000;
export const GRAIN_TABLE: Record<Grain, string> = { hour: 'kpi_hourly', day: 'kpi_daily', month: 'kpi_monthly' };

interface Row {
  unit: string;
  bucket: number;
  v: Float64Array;
}
interface DeferredRow {
  grain: 'd' | 'm';
  unit: string;
  cohort: number;
  achieved: number;
  v: Float64Array;
}

/** Unit code of the row that totals a province (its communes and its province-level dossiers). */
export const provinceTotalUnit = (provinceCode: string) => `P${provinceCode}`;

/**
 * Sums the rollup changes of many dossiers in memory so a batch touches each
 * (unit, bucket) row once, then writes them with one upsert per table, in key
 * order so concurrent writers lock rows in the same order. Every change is
 * also added to its province's total row, so a province or the nation is read
 * from 1 or 34 rows per bucket instead of a hundred or thousands.
 */
export class RollupAccumulator implements ContributionSink {
  private readonly rows: Record<Grain, Map<number, Row>> = { hour: new Map(), day: new Map(), month: new Map() };
  /** Deferred rows by (grain, unit, cohort), then by achievement day. */
  private readonly deferred = new Map<number, Map<number, DeferredRow>>();
  /** Per unit code: its number in row keys, and its province's total row. */
  private readonly unitIds = new Map<string, { id: number; total: string }>();

  constructor(private readonly provinceOf: (unit: string) => string) {}

  private provinceOfRow(unit: string): string {
    return unit.startsWith('P') ? unit.slice(1) : this.provinceOf(unit);
  }

  /** Units as small numbers (commune 0–99,999; province-level 100,000+; province total 200,000+), so row keys are numbers, not strings built per call. */
  private unit(code: string): { id: number; total: string } {
    let u = this.unitIds.get(code);
    if (!u) {
      const id = code.startsWith('P') ? 200_000 + Number(code.slice(1)) : code.length === 2 ? 100_000 + Number(code) : Number(code);
      u = { id, total: code.startsWith('P') ? code : provinceTotalUnit(this.provinceOf(code)) };
      this.unitIds.set(code, u);
    }
    return u;
  }

  add(grain: Grain, unit: string, bucket: number, field: RollupField, delta: number): void {
    this.addRow(grain, unit, bucket, field, delta);
    this.addRow(grain, this.unit(unit).total, bucket, field, delta);
  }

  private addRow(grain: Grain, unit: string, bucket: number, field: RollupField, delta: number): void {
    const map = this.rows[grain];
    // Buckets start on whole hours: the hour number fits in 20 bits until 2089.
    const key = this.unit(unit).id * 1_048_576 + bucket / HOUR_MS;
    let row = map.get(key);
    if (!row) {
      row = { unit, bucket, v: new Float64Array(ROLLUP_FIELDS.length) };
      map.set(key, row);
    }
    row.v[FIELD_INDEX.get(field)!]! += delta;
  }

  addDeferred(grain: Grain, unit: string, cohort: number, achieved: number, field: DeferredField, delta: number): void {
    this.addDeferredRow(grain, unit, cohort, achieved, field, delta);
    this.addDeferredRow(grain, this.unit(unit).total, cohort, achieved, field, delta);
  }

  private addDeferredRow(grain: Grain, unit: string, cohort: number, achieved: number, field: DeferredField, delta: number): void {
    const g = grain === 'month' ? 'm' : 'd';
    // Numeric keys as for rollup rows (unit, grain, cohort hour), then the achievement instant: no string per call.
    const key = (this.unit(unit).id * 2 + (g === 'm' ? 1 : 0)) * 1_048_576 + cohort / HOUR_MS;
    let byDay = this.deferred.get(key);
    if (!byDay) this.deferred.set(key, (byDay = new Map()));
    let row = byDay.get(achieved);
    if (!row) {
      row = { grain: g, unit, cohort, achieved, v: new Float64Array(DEFERRED_FIELDS.length) };
      byDay.set(achieved, row);
    }
    row.v[DEFERRED_INDEX.get(field)!]! += delta;
  }

  get size(): number {
    let deferred = 0;
    for (const byDay of this.deferred.values()) deferred += byDay.size;
    return this.rows.hour.size + this.rows.day.size + this.rows.month.size + deferred;
  }

  private record(v: Float64Array, columns: readonly string[], key: Record<string, string>): Record<string, string | number> {
    const out: Record<string, string | number> = { ...key };
    columns.forEach((c, i) => (out[c] = v[i]!));
    return out;
  }

  async flush(m: EntityManager): Promise<void> {
    const provinceOf = (unit: string) => this.provinceOfRow(unit);
    for (const grain of ['hour', 'day', 'month'] as const) {
      const rows = [...this.rows[grain].values()].filter((r) => r.v.some((x) => x !== 0));
      if (rows.length === 0) continue;
      rows.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.bucket - b.bucket));
      const table = GRAIN_TABLE[grain];
      for (let i = 0; i < rows.length; i += FLUSH_CHUNK) {
        // Rows keyed by column name, read with json_populate_recordset: the parameter is parsed once.
        const json = JSON.stringify(
          rows.slice(i, i + FLUSH_CHUNK).map((r) => this.record(r.v, ROLLUP_COLUMNS, { unit_code: r.unit, province_code: provinceOf(r.unit), bucket: new Date(r.bucket).toISOString() })),
        );
        await m.query(
          `INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1::json)
           ON CONFLICT (unit_code, bucket) DO UPDATE SET
           ${ROLLUP_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
          [json],
        );
      }
    }
    const deferred = [...this.deferred.values()].flatMap((byDay) => [...byDay.values()]).filter((r) => r.v.some((x) => x !== 0));
    if (deferred.length > 0) {
      deferred.sort((a, b) =>
        a.grain !== b.grain ? (a.grain < b.grain ? -1 : 1) : a.unit !== b.unit ? (a.unit < b.unit ? -1 : 1) : a.cohort - b.cohort || a.achieved - b.achieved,
      );
      for (let i = 0; i < deferred.length; i += FLUSH_CHUNK) {
        const json = JSON.stringify(
          deferred.slice(i, i + FLUSH_CHUNK).map((r) =>
            this.record(r.v, DEFERRED_COLUMNS, {
              grain: r.grain,
              unit_code: r.unit,
              province_code: provinceOf(r.unit),
              cohort_bucket: new Date(r.cohort).toISOString(),
              achieved_day: new Date(r.achieved).toISOString(),
            }),
          ),
        );
        await m.query(
          `INSERT INTO kpi_deferred SELECT * FROM json_populate_recordset(null::kpi_deferred, $1::json)
           ON CONFLICT (grain, unit_code, cohort_bucket, achieved_day) DO UPDATE SET
           ${DEFERRED_COLUMNS.map((c) => `${c} = kpi_deferred.${c} + excluded.${c}`).join(', ')}`,
          [json],
        );
      }
    }
  }
}
