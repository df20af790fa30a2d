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
import type { Queryable } from '../database/queryable.js';

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

  /**
   * @param hourlyFrom hour buckets before this instant get no rows: the hour-by-hour figures
   *   kept (hourlyKeptFrom); the retention drops older ones, so none are written for them.
   */
  constructor(
    private readonly provinceOf: (unit: string) => string,
    private readonly hourlyFrom = Number.NEGATIVE_INFINITY,
  ) {}

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

  /**
   * The rows the last add of each grain went to (the unit's and its province total's):
   * a dossier's contributions come as runs of fields in one bucket, so most adds find
   * their rows here without a lookup.
   */
  private readonly last: Record<Grain, { unit: string; bucket: number; row: Row; total: Row } | null> = { hour: null, day: null, month: null };

  add(grain: Grain, unit: string, bucket: number, field: RollupField, delta: number): void {
    if (grain === 'hour' && bucket < this.hourlyFrom) return;
    let last = this.last[grain];
    if (last === null || last.unit !== unit || last.bucket !== bucket) {
      last = this.last[grain] = { unit, bucket, row: this.rowOf(grain, unit, bucket), total: this.rowOf(grain, this.unit(unit).total, bucket) };
    }
    const i = FIELD_INDEX.get(field)!;
    last.row.v[i]! += delta;
    last.total.v[i]! += delta;
  }

  private rowOf(grain: Grain, unit: string, bucket: number): Row {
    const map = this.rows[grain];
    // Buckets start on whole hours: the hour number fits in 20 bits until 2089.
    const key = this.unit(unit).id * 1_048_576 + bucket / HOUR_MS;
    let row = map.get(key);
    if (!row) {
      row = { unit, bucket, v: new Float64Array(ROLLUP_FIELDS.length) };
      map.set(key, row);
    }
    return row;
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
    if (!byDay) this.deferred.set(key, (byDay = new Map<number, DeferredRow>()));
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

  /** Writes the summed changes: one upsert per table (per chunk of rows). */
  async flush(m: Queryable): Promise<void> {
    for (const [sql, params] of await this.statements()) await m.query(sql, params);
  }

  /**
   * The upserts that write the summed changes, built now (the JS work of a batch) and
   * run later (the database's), so a batch can be built while the previous one is written.
   */
  async statements(): Promise<[sql: string, params: string[]][]> {
    const out: [string, string[]][] = [];
    // Building the literals of a large batch takes a while: the event loop gets turns in between
    // (a batch being written meanwhile goes on with its next statement).
    const columns = async (chunk: readonly { v: Float64Array }[], n: number) => {
      const literals: string[] = [];
      for (let c = 0; c < n; c++) {
        literals.push(counterLiteral(chunk, c));
        if (chunk.length > 2_000) await yieldToLoop();
      }
      return literals;
    };
    const provinceOf = (unit: string) => this.provinceOfRow(unit);
    for (const grain of ['hour', 'day', 'month'] as const) {
      const rows = [...this.rows[grain].values()].filter((r) => r.v.some((x) => x !== 0));
      if (rows.length === 0) continue;
      rows.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.bucket - b.bucket));
      const table = GRAIN_TABLE[grain];
      for (let i = 0; i < rows.length; i += FLUSH_CHUNK) {
        const chunk = rows.slice(i, i + FLUSH_CHUNK);
        // One array per column, unnested side by side: no JSON to build per row, none for PostgreSQL to unpack.
        out.push([
          `INSERT INTO ${table} (unit_code, province_code, bucket, ${ROLLUP_COLUMNS.join(', ')})
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], ${ROLLUP_COLUMNS.map((_, c) => `$${c + 4}::bigint[]`).join(', ')})
           ON CONFLICT (unit_code, bucket) DO UPDATE SET
           ${ROLLUP_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
          [
            arrayLiteral(chunk, (r) => r.unit),
            arrayLiteral(chunk, (r) => provinceOf(r.unit)),
            arrayLiteral(chunk, (r) => new Date(r.bucket).toISOString()),
            ...(await columns(chunk, ROLLUP_COLUMNS.length)),
          ],
        ]);
      }
    }
    const deferred = [...this.deferred.values()].flatMap((byDay) => [...byDay.values()]).filter((r) => r.v.some((x) => x !== 0));
    if (deferred.length > 0) {
      deferred.sort((a, b) =>
        a.grain !== b.grain ? (a.grain < b.grain ? -1 : 1) : a.unit !== b.unit ? (a.unit < b.unit ? -1 : 1) : a.cohort - b.cohort || a.achieved - b.achieved,
      );
      for (let i = 0; i < deferred.length; i += FLUSH_CHUNK) {
        const chunk = deferred.slice(i, i + FLUSH_CHUNK);
        out.push([
          `INSERT INTO kpi_deferred (grain, unit_code, province_code, cohort_bucket, achieved_day, ${DEFERRED_COLUMNS.join(', ')})
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], ${DEFERRED_COLUMNS.map((_, c) => `$${c + 6}::bigint[]`).join(', ')})
           ON CONFLICT (grain, unit_code, cohort_bucket, achieved_day) DO UPDATE SET
           ${DEFERRED_COLUMNS.map((c) => `${c} = kpi_deferred.${c} + excluded.${c}`).join(', ')}`,
          [
            arrayLiteral(chunk, (r) => r.grain),
            arrayLiteral(chunk, (r) => r.unit),
            arrayLiteral(chunk, (r) => provinceOf(r.unit)),
            arrayLiteral(chunk, (r) => new Date(r.cohort).toISOString()),
            arrayLiteral(chunk, (r) => new Date(r.achieved).toISOString()),
            ...(await columns(chunk, DEFERRED_COLUMNS.length)),
          ],
        ]);
      }
    }
    return out;
  }
}

/** Lets the event loop run what is waiting (I/O callbacks included) before going on. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A PostgreSQL array literal of one column of the rows. The elements are unit codes,
 * grains, ISO instants and integers: none holds a character an array literal quotes.
 */
function arrayLiteral<R>(rows: readonly R[], value: (r: R) => string): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) parts[i] = value(rows[i]!);
  return `{${parts.join(',')}}`;
}

/** The array literal of one counter column (most values are 0). */
function counterLiteral(rows: readonly { v: Float64Array }[], column: number): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i]!.v[column]!;
    parts[i] = x === 0 ? '0' : x === 1 ? '1' : String(x);
  }
  return `{${parts.join(',')}}`;
}
