import { type ContributionSink, HOUR_MS, DEFERRED_FIELDS, type DeferredField, type Grain, ROLLUP_FIELDS, type RollupField } from '@ioc/shared';
import type pg from 'pg';
import type { EntityManager } from 'typeorm';
import { BinaryCopyWriter, copyIn } from '../database/copy.js';
import { DEFERRED_COLUMNS, GRAIN_TABLE, ROLLUP_COLUMNS, provinceTotalUnit } from './rollup-tables.js';

const FIELD_INDEX = new Map<string, number>(ROLLUP_FIELDS.map((f, i) => [f, i]));
const DEFERRED_INDEX = new Map<string, number>(DEFERRED_FIELDS.map((f, i) => [f, i]));

/** A row's counters are `width` numbers at `at` in its arena. */
interface Row {
  unit: string;
  bucket: number;
  at: number;
}
interface DeferredRow {
  grain: 'd' | 'm';
  unit: string;
  cohort: number;
  achieved: number;
  at: number;
}

/**
 * The counters of many rows in one growing Float64Array: a batch has tens of thousands
 * of rows, which as an array each would be as many objects for the collector to trace
 * and move; here they are one.
 */
class CounterArena {
  data: Float64Array;
  private used = 0;

  constructor(private readonly width: number) {
    this.data = new Float64Array(width * 1024);
  }

  /** A new row of zeros: its offset (stable when the arena grows). */
  alloc(): number {
    if (this.used + this.width > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    const at = this.used;
    this.used += this.width;
    return at;
  }

  /** Whether the row at `at` has a counter other than 0. */
  any(at: number): boolean {
    const d = this.data;
    for (let i = at; i < at + this.width; i++) if (d[i] !== 0) return true;
    return false;
  }
}

/**
 * Sums the rollup changes of many dossiers in memory so a batch touches each
 * (unit, bucket) row once, then writes them with one upsert per table, in key
 * order so concurrent writers lock rows in the same order. Every change is
 * also added to its province's total row, so a province or the nation is read
 * from 1 or 34 rows per bucket instead of a hundred or thousands.
 */
export class RollupAccumulator implements ContributionSink {
  private readonly rows: Record<Grain, Map<number, Row>> = { hour: new Map(), day: new Map(), month: new Map() };
  private readonly counters: Record<Grain, CounterArena> = {
    hour: new CounterArena(ROLLUP_FIELDS.length),
    day: new CounterArena(ROLLUP_FIELDS.length),
    month: new CounterArena(ROLLUP_FIELDS.length),
  };
  private readonly deferredCounters = new CounterArena(DEFERRED_FIELDS.length);
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
  private readonly last: Record<Grain, { unit: string; bucket: number; row: number; total: number }> = {
    hour: { unit: '', bucket: NaN, row: 0, total: 0 },
    day: { unit: '', bucket: NaN, row: 0, total: 0 },
    month: { unit: '', bucket: NaN, row: 0, total: 0 },
  };

  add(grain: Grain, unit: string, bucket: number, field: RollupField, delta: number): void {
    if (grain === 'hour' && bucket < this.hourlyFrom) return;
    const last = this.last[grain];
    if (last.unit !== unit || last.bucket !== bucket) {
      last.row = this.rowOf(grain, unit, bucket).at;
      last.total = this.rowOf(grain, this.unit(unit).total, bucket).at;
      last.unit = unit;
      last.bucket = bucket;
    }
    const i = FIELD_INDEX.get(field)!;
    const v = this.counters[grain].data;
    v[last.row + i]! += delta;
    v[last.total + i]! += delta;
  }

  private rowOf(grain: Grain, unit: string, bucket: number): Row {
    const map = this.rows[grain];
    // Buckets start on whole hours: the hour number fits in 20 bits until 2089.
    const key = this.unit(unit).id * 1_048_576 + bucket / HOUR_MS;
    let row = map.get(key);
    if (!row) {
      row = { unit, bucket, at: this.counters[grain].alloc() };
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
      row = { grain: g, unit, cohort, achieved, at: this.deferredCounters.alloc() };
      byDay.set(achieved, row);
    }
    this.deferredCounters.data[row.at + DEFERRED_INDEX.get(field)!]! += delta;
  }

  get size(): number {
    let deferred = 0;
    for (const byDay of this.deferred.values()) deferred += byDay.size;
    return this.rows.hour.size + this.rows.day.size + this.rows.month.size + deferred;
  }

  /** Writes the summed changes (see `writes` and `writeRollups`). */
  async flush(m: EntityManager): Promise<void> {
    await writeRollups(m, await this.writes());
  }

  /**
   * The summed changes as one COPY input per table (binary: 8 bytes a counter, no text
   * to build or parse) with the upsert that adds them from the staging table, built now
   * (the JS work of a batch) and run later by `writeRollups` (the database's), so a batch
   * can be built while the previous one is written.
   */
  async writes(): Promise<RollupWrite[]> {
    const out: RollupWrite[] = [];
    const provinceOf = (unit: string) => this.provinceOfRow(unit);
    for (const grain of ['hour', 'day', 'month'] as const) {
      const counters = this.counters[grain];
      const rows = [...this.rows[grain].values()].filter((r) => counters.any(r.at));
      if (rows.length === 0) continue;
      // Key order, so concurrent writers lock rows in the same order.
      rows.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.bucket - b.bucket));
      const w = new BinaryCopyWriter(rows.length * (40 + 12 * ROLLUP_COLUMNS.length));
      for (let i = 0; i < rows.length; i++) {
        // Encoding a large batch takes a while: the event loop gets turns (a batch being written meanwhile goes on).
        if (i % 5_000 === 4_999) await yieldToLoop();
        const r = rows[i]!;
        w.row(3 + ROLLUP_COLUMNS.length);
        w.text(r.unit);
        w.text(provinceOf(r.unit));
        w.timestamptz(r.bucket);
        const v = counters.data;
        for (let c = 0; c < ROLLUP_COLUMNS.length; c++) w.int8(v[r.at + c]!);
      }
      out.push({ table: GRAIN_TABLE[grain], rows: rows.length, copy: w.finish() });
    }
    const dc = this.deferredCounters;
    const deferred = [...this.deferred.values()].flatMap((byDay) => [...byDay.values()]).filter((r) => dc.any(r.at));
    if (deferred.length > 0) {
      deferred.sort((a, b) => (a.grain !== b.grain ? (a.grain < b.grain ? -1 : 1) : a.unit !== b.unit ? (a.unit < b.unit ? -1 : 1) : a.cohort - b.cohort || a.achieved - b.achieved));
      const w = new BinaryCopyWriter(deferred.length * (60 + 12 * DEFERRED_COLUMNS.length));
      for (let i = 0; i < deferred.length; i++) {
        if (i % 5_000 === 4_999) await yieldToLoop();
        const r = deferred[i]!;
        w.row(5 + DEFERRED_COLUMNS.length);
        w.text(r.grain);
        w.text(r.unit);
        w.text(provinceOf(r.unit));
        w.timestamptz(r.cohort);
        w.timestamptz(r.achieved);
        for (let c = 0; c < DEFERRED_COLUMNS.length; c++) w.int8(dc.data[r.at + c]!);
      }
      out.push({ table: 'kpi_deferred', rows: deferred.length, copy: w.finish() });
    }
    return out;
  }
}

/** One rollup table's summed changes, as `writeRollups` sends them. */
export interface RollupWrite {
  table: string;
  rows: number;
  /** COPY (FORMAT binary) input for the table's staging table, rows in key order. */
  copy: Buffer;
}

/** A rollup table as `writeRollups` writes it: its key, its leading columns with their types, its counters, its staging table. */
interface RollupTable {
  key: string[];
  columns: string[];
  counters: readonly string[];
  staging: string;
}

const grainTable = (t: string): RollupTable => ({
  key: ['unit_code', 'bucket'],
  columns: ['unit_code text', 'province_code text', 'bucket timestamptz'],
  counters: ROLLUP_COLUMNS,
  staging: `${t}_in`,
});
const ROLLUP_TABLES = new Map<string, RollupTable>([
  ...Object.values(GRAIN_TABLE).map((t): [string, RollupTable] => [t, grainTable(t)]),
  [
    'kpi_deferred',
    {
      key: ['grain', 'unit_code', 'cohort_bucket', 'achieved_day'],
      columns: ['grain text', 'unit_code text', 'province_code text', 'cohort_bucket timestamptz', 'achieved_day timestamptz'],
      counters: DEFERRED_COLUMNS,
      staging: 'kpi_deferred_in',
    },
  ],
]);

/**
 * Adds summed rollup changes to their tables, inside the caller's transaction: each
 * table's rows are copied into a staging table of this session (temporary: no WAL,
 * emptied after use) and added from there with one upsert.
 */
export async function writeRollups(m: EntityManager, writes: readonly RollupWrite[]): Promise<void> {
  if (writes.length === 0) return;
  if (!m.queryRunner) throw new Error('writeRollups needs a transaction (an EntityManager with its query runner)');
  const client = (await m.queryRunner.connect()) as pg.PoolClient;
  for (const w of writes) {
    const t = ROLLUP_TABLES.get(w.table)!;
    const columns = [...t.columns.map((c) => c.split(' ')[0]!), ...t.counters];
    // Created once per session (a temporary table lives as long as its connection).
    await m.query(
      `DO $$ BEGIN
         IF to_regclass('pg_temp.${t.staging}') IS NULL THEN
           CREATE TEMPORARY TABLE ${t.staging} (${[...t.columns, ...t.counters.map((c) => `${c} bigint`)].join(', ')});
         END IF;
       END $$`,
    );
    await copyIn(client, `COPY ${t.staging} (${columns.join(', ')}) FROM STDIN (FORMAT binary)`, w.copy);
    // Rows come out of a freshly filled staging table in the order they went in: key order.
    await m.query(
      `INSERT INTO ${w.table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${t.staging}
       ON CONFLICT (${t.key.join(', ')}) DO UPDATE SET ${t.counters.map((c) => `${c} = ${w.table}.${c} + excluded.${c}`).join(', ')}`,
    );
    await m.query(`TRUNCATE ${t.staging}`);
  }
}

/** Lets the event loop run what is waiting (I/O callbacks included) before going on. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
