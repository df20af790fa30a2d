import { Injectable } from '@nestjs/common';
import { type DossierChange, type DossierFacts, bucketStart, nextBucket, overdueWhileOpenFrom } from '@ioc/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../common/transaction.js';
import type { Queryable } from '../database/queryable.js';
import { provinceTotalUnit } from './rollup-tables.js';

/**
 * Per-unit stocks kept up to date as dossiers change, so an alert tick reads
 * one small row per unit instead of summing every rollup bucket up to now.
 *
 * The table holds each unit's stocks as of one instant `asOf` (shared by all
 * rows, in `running_stock_state`), counted exactly as the rollups count them
 * (see `contribute`: ipDelta +1 at receipt, −1 at max(completion, receipt);
 * odDelta +1 at overdueWhileOpenFrom, −1 at the same leaving instant), with
 * D the end of asOf's local day and S its start:
 * - `ip`: in progress, the rollup sum before D (what the live stock reads);
 * - `od`: overdue at asOf: the rollup sum before D minus `turning`;
 * - `turning`: open dossiers turning overdue in [asOf, D): counted by today's
 *   rollup row already, not true yet;
 * - `ip_day_start`, `od_day_start`: the rollup sums before S (the growth rule's
 *   "overdue at the start of the day");
 * - `first_at`: the unit's earliest receipt, so a read returns the same units as
 *   the rollups do (a unit has rollup rows before D iff it has a receipt before D).
 *
 * Stocks move without events (a dossier turns overdue when its overdue_at
 * passes), so a change is applied as deltas evaluated at asOf, and asOf is
 * advanced separately: within a day only open dossiers turning overdue in
 * between change anything (found by the partial index on dossier(overdue_at));
 * across a day boundary the day's rollup deltas are added (the rollups move in
 * the same transactions as this table, so they always agree).
 */

/** A unit's stocks: dossiers in progress and overdue (the rollups' stock deltas summed, or kept here). */
export interface Stock {
  ip: number;
  od: number;
}

/** One unit's counts as of the stock's instant. */
export interface StockCounts {
  ip: number;
  od: number;
  turning: number;
  ipDayStart: number;
  odDayStart: number;
}
const COUNT_KEYS = ['ip', 'od', 'turning', 'ipDayStart', 'odDayStart'] as const;
const zeroCounts = (): StockCounts => ({ ip: 0, od: 0, turning: 0, ipDayStart: 0, odDayStart: 0 });

/** A unit's live stocks at an instant, and at the start of its day. */
export interface RunningStock extends Stock {
  ipDayStart: number;
  odDayStart: number;
}
/** Stocks keyed as the rollup-derived stock is: commune (or province-level unit) codes, or province codes for the province totals. */
export interface RunningStockRead {
  unit: Map<string, RunningStock>;
  province: Map<string, RunningStock>;
  /** The stocks at earlier day starts asked for (rolling windows' starts), as the rollups sum them before each. */
  before: Map<number, { unit: Map<string, Stock>; province: Map<string, Stock> }>;
}

interface StockRow extends StockCounts {
  unit: string;
  province: string;
  firstAt: number | null;
}

/** The local day [start, end) containing `t`. */
function dayOf(t: number): { start: number; end: number } {
  const start = bucketStart(t, 'day');
  return { start, end: nextBucket(start, 'day') };
}

/**
 * One dossier's rollup stock deltas summed before instant `x` (0 or 1 each):
 * in progress when received before x and not left before it; overdue when it
 * turned overdue before x and did not leave before it.
 */
export function stockBefore(f: DossierFacts, x: number): { ip: number; od: number } {
  const rec = f.received;
  if (rec === null) return { ip: 0, od: 0 };
  // A completion stamped before the receipt leaves at the receipt (as in contribute).
  const left = f.completed === null ? Infinity : Math.max(f.completed.at, rec.at);
  const o = overdueWhileOpenFrom(f);
  return { ip: rec.at < x && x <= left ? 1 : 0, od: o !== null && o < x && x <= left ? 1 : 0 };
}

/** Whether an open dossier turns overdue in [from, to). */
function turningWithin(f: DossierFacts, from: number, to: number): number {
  if (f.completed !== null) return 0;
  const o = overdueWhileOpenFrom(f);
  return o !== null && from <= o && o < to ? 1 : 0;
}

/** What one dossier adds to its unit's counts as of `asOf`. */
export function contributionAt(f: DossierFacts, asOf: number): StockCounts {
  const { start, end } = dayOf(asOf);
  const atEnd = stockBefore(f, end);
  const atStart = stockBefore(f, start);
  const turning = turningWithin(f, asOf, end);
  return { ip: atEnd.ip, od: atEnd.od - turning, turning, ipDayStart: atStart.ip, odDayStart: atStart.od };
}

/** Adds `d` × `sign` into `into`. */
function addCounts(into: StockCounts, d: StockCounts, sign: number): void {
  for (const k of COUNT_KEYS) into[k] += sign * d[k];
}

/** Per-unit sums keyed by unit code, every change also added to its province's total row. */
class UnitSums {
  readonly rows = new Map<string, { province: string; firstAt: number | null; c: StockCounts }>();

  add(unit: string, province: string, c: StockCounts, sign: number, firstAt: number | null = null): void {
    for (const u of [unit, provinceTotalUnit(province)]) {
      let r = this.rows.get(u);
      if (!r) this.rows.set(u, (r = { province, firstAt: null, c: zeroCounts() }));
      addCounts(r.c, c, sign);
      if (firstAt !== null && (r.firstAt === null || firstAt < r.firstAt)) r.firstAt = firstAt;
    }
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Recomputes every unit's stocks from the dossier table as of `asOf` (after a
 * bulk load, a rebuild, or in the migration). Call inside a transaction: the
 * state row is locked first, so a concurrent `apply` waits for the result.
 */
export async function rebuildRunningStocks(q: Queryable, asOf: number): Promise<void> {
  const { start, end } = dayOf(asOf);
  await q.query(`INSERT INTO running_stock_state (id, as_of) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET as_of = excluded.as_of`, [iso(asOf)]);
  await q.query(`SELECT 1 FROM running_stock_state WHERE id = 1 FOR UPDATE`);
  await q.query(`DELETE FROM running_stock`);
  // left = greatest(completed_at, received_at): a completion stamped before the receipt leaves at the receipt.
  await q.query(
    `INSERT INTO running_stock (unit_code, province_code, first_at, ip, od, turning, ip_day_start, od_day_start)
     SELECT CASE WHEN grouping(unit_code) = 1 THEN 'P' || province_code ELSE unit_code END, province_code, min(received_at),
            count(*) FILTER (WHERE received_at < $2 AND (completed_at IS NULL OR greatest(completed_at, received_at) >= $2)),
            count(*) FILTER (WHERE overdue_at < $2 AND CASE WHEN completed_at IS NULL THEN overdue_at < $1 ELSE greatest(completed_at, received_at) >= $2 END),
            count(*) FILTER (WHERE completed_at IS NULL AND overdue_at >= $1 AND overdue_at < $2),
            count(*) FILTER (WHERE received_at < $3 AND (completed_at IS NULL OR greatest(completed_at, received_at) >= $3)),
            count(*) FILTER (WHERE overdue_at < $3 AND (completed_at IS NULL OR greatest(completed_at, received_at) >= $3))
       FROM dossier WHERE received_at IS NOT NULL
      GROUP BY GROUPING SETS ((province_code, unit_code), (province_code))`,
    [iso(asOf), iso(end), iso(start)],
  );
}

/** Open dossiers turning overdue in [from, to), per unit (province totals added). */
async function turningBetween(q: Queryable, from: number, to: number): Promise<UnitSums> {
  const sums = new UnitSums();
  if (from >= to) return sums;
  const rows = (await q.query(
    `SELECT unit_code, province_code, count(*)::int AS n FROM dossier
      WHERE overdue_at >= $1 AND overdue_at < $2 AND completed_at IS NULL GROUP BY unit_code, province_code`,
    [iso(from), iso(to)],
  )) as { unit_code: string; province_code: string; n: number }[];
  for (const r of rows) sums.add(r.unit_code, r.province_code, { ...zeroCounts(), od: r.n }, 1);
  return sums;
}

/** Rollup stock deltas of the whole days in [from, to) per rollup row (province total rows included), negated when to < from. */
async function rollupDeltas(q: Queryable, from: number, to: number): Promise<Map<string, { ip: number; od: number }>> {
  if (from === to) return new Map();
  const sign = from < to ? 1 : -1;
  const rows = (await q.query(`SELECT unit_code, sum(ip_delta)::int AS ip, sum(od_delta)::int AS od FROM kpi_daily WHERE bucket >= $1 AND bucket < $2 GROUP BY unit_code`, [
    iso(Math.min(from, to)),
    iso(Math.max(from, to)),
  ])) as { unit_code: string; ip: number; od: number }[];
  return new Map(rows.map((r) => [r.unit_code, { ip: sign * r.ip, od: sign * r.od }]));
}

/**
 * The rows moved from instant `from` to `to` (either direction), in place;
 * returns the units whose counts changed. Reads the dossier index (and, across
 * days, the daily rollups) in the caller's snapshot, which must be the rows'.
 */
export async function moveRows(q: Queryable, rows: Map<string, StockRow>, from: number, to: number): Promise<Set<string>> {
  const changed = new Set<string>();
  if (from === to) return changed;
  const a = dayOf(from);
  const b = dayOf(to);
  if (a.start === b.start) {
    // Same day: open dossiers whose overdue_at lies between become (or, going back, stop being) overdue.
    const sign = from < to ? 1 : -1;
    const turned = await turningBetween(q, Math.min(from, to), Math.max(from, to));
    for (const [unit, t] of turned.rows) {
      const r = rows.get(unit);
      if (!r) continue;
      r.od += sign * t.c.od;
      r.turning -= sign * t.c.od;
      changed.add(unit);
    }
    return changed;
  }
  // Another day: the rollup sums before its end and start, from those before this day's end.
  const toEnd = await rollupDeltas(q, a.end, b.end);
  const toStart = await rollupDeltas(q, a.end, b.start);
  const turning = await turningBetween(q, to, b.end);
  for (const [unit, r] of rows) {
    const ip = r.ip;
    const odEnd = r.od + r.turning;
    const e = toEnd.get(unit);
    const s = toStart.get(unit);
    const t = turning.rows.get(unit)?.c.od ?? 0;
    r.ip = ip + (e?.ip ?? 0);
    r.turning = t;
    r.od = odEnd + (e?.od ?? 0) - t;
    r.ipDayStart = ip + (s?.ip ?? 0);
    r.odDayStart = odEnd + (s?.od ?? 0);
    changed.add(unit);
  }
  return changed;
}

async function readRows(q: Queryable): Promise<Map<string, StockRow>> {
  const rows = (await q.query(`SELECT unit_code, province_code, extract(epoch FROM first_at) * 1000 AS first_at, ip, od, turning, ip_day_start, od_day_start FROM running_stock`)) as {
    unit_code: string;
    province_code: string;
    first_at: string | null;
    ip: number;
    od: number;
    turning: number;
    ip_day_start: number;
    od_day_start: number;
  }[];
  return new Map(
    rows.map((r) => [
      r.unit_code,
      {
        unit: r.unit_code,
        province: r.province_code,
        firstAt: r.first_at === null ? null : Number(r.first_at),
        ip: r.ip,
        od: r.od,
        turning: r.turning,
        ipDayStart: r.ip_day_start,
        odDayStart: r.od_day_start,
      },
    ]),
  );
}

/** The live view of the rows at `at`: only units with a receipt before the end of its day, as the rollup-derived stock has. */
function toRead(rows: Map<string, StockRow>, at: number): RunningStockRead {
  const { end } = dayOf(at);
  const out: RunningStockRead = { unit: new Map(), province: new Map(), before: new Map() };
  for (const r of rows.values()) {
    if (r.firstAt === null || r.firstAt >= end) continue;
    const s: RunningStock = { ip: r.ip, od: r.od, ipDayStart: r.ipDayStart, odDayStart: r.odDayStart };
    if (r.unit.startsWith('P')) out.province.set(r.province, s);
    else out.unit.set(r.unit, s);
  }
  return out;
}

/** A change of one dossier, as the projector folds it: its facts before (null when new) and after. */
@Injectable()
export class RunningStocks {
  constructor(private readonly db: DataSource) {}

  /**
   * Applies dossier changes to the stocks, inside the caller's transaction (the
   * one that writes the dossiers and rollups): each change adds its after
   * contribution and removes its before one, both evaluated at the stock's
   * instant. Takes the state row FOR SHARE, so an advance waits for the batch
   * (and the batch for an advance in progress). `now` starts the stock of an
   * empty database that has no instant yet.
   */
  async apply(m: EntityManager, changes: readonly DossierChange[], provinceOf: (unit: string) => string, now = Date.now()): Promise<void> {
    if (changes.length === 0) return;
    const asOf = await lockedAsOf(m, 'SHARE', now);
    const sums = new UnitSums();
    for (const { before, after } of changes) {
      if (before?.received) sums.add(before.unitCode, provinceOf(before.unitCode), contributionAt(before, asOf), -1);
      if (after.received) sums.add(after.unitCode, provinceOf(after.unitCode), contributionAt(after, asOf), 1, after.received.at);
    }
    if (sums.rows.size === 0) return;
    // In key order, so concurrent writers lock rows in the same order.
    const rows = [...sums.rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const json = JSON.stringify(
      rows.map(([unit, r]) => ({
        unit_code: unit,
        province_code: r.province,
        first_at: r.firstAt === null ? null : iso(r.firstAt),
        ip: r.c.ip,
        od: r.c.od,
        turning: r.c.turning,
        ip_day_start: r.c.ipDayStart,
        od_day_start: r.c.odDayStart,
      })),
    );
    // A change that moves nothing writes nothing (most events do not move a stock); a unit's first receipt creates its row.
    await m.query(
      `INSERT INTO running_stock AS s (unit_code, province_code, first_at, ip, od, turning, ip_day_start, od_day_start)
       SELECT unit_code, province_code, first_at, ip, od, turning, ip_day_start, od_day_start FROM json_populate_recordset(null::running_stock, $1::json)
       ON CONFLICT (unit_code) DO UPDATE SET first_at = least(s.first_at, excluded.first_at),
         ip = s.ip + excluded.ip, od = s.od + excluded.od, turning = s.turning + excluded.turning,
         ip_day_start = s.ip_day_start + excluded.ip_day_start, od_day_start = s.od_day_start + excluded.od_day_start
       WHERE excluded.ip <> 0 OR excluded.od <> 0 OR excluded.turning <> 0 OR excluded.ip_day_start <> 0 OR excluded.od_day_start <> 0
          OR excluded.first_at < s.first_at OR s.first_at IS NULL`,
      [json],
    );
  }

  /**
   * Every unit's stocks at `now`. Advances the stored stock to `now` when it is
   * behind and no projector batch holds it (a short transaction: within a day,
   * only the dossiers that turned overdue since); otherwise computes the missing
   * interval on the fly, in one snapshot with the rows, without writing.
   */
  async read(now: number, dayStarts: readonly number[] = []): Promise<RunningStockRead> {
    return inTransaction(this.db, async (m) => {
      // One snapshot for the state, the rows and the dossiers and rollups read to move them.
      await m.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const locked = (await m.query(`SELECT extract(epoch FROM as_of) * 1000 AS as_of FROM running_stock_state WHERE id = 1 FOR UPDATE SKIP LOCKED`)) as { as_of: string }[];
      const asOf = locked.length > 0 ? Number(locked[0]!.as_of) : await lockedAsOf(m, null, now);
      const rows = await readRows(m);
      const changed = await moveRows(m, rows, asOf, now);
      // Only forward, and only when no batch is applying at the stored instant.
      if (locked.length > 0 && now > asOf) await writeRows(m, rows, changed, now);
      const out = toRead(rows, now);
      out.before = await stocksAtDayStarts(m, rows, now, dayStarts);
      return out;
    });
  }

  /** Recomputes all stocks from the dossier table as of `asOf`, in a transaction of its own. */
  rebuild(asOf = Date.now()): Promise<void> {
    return inTransaction(this.db, (m) => rebuildRunningStocks(m, asOf));
  }
}

/**
 * The stocks at earlier day starts X (a rolling window's carried-over stock): the stock at the start
 * of today less the daily rollup deltas of [X, today), one grouped scan for all of them; a unit
 * counts from its first receipt before X, as in the rollups.
 */
async function stocksAtDayStarts(q: Queryable, rows: Map<string, StockRow>, now: number, dayStarts: readonly number[]): Promise<RunningStockRead['before']> {
  const today = dayOf(now).start;
  const xs = [...new Set(dayStarts)].filter((x) => x <= today && bucketStart(x, 'day') === x);
  const out: RunningStockRead['before'] = new Map();
  if (xs.length === 0) return out;
  const sums = (await q.query(
    `SELECT unit_code, ${xs.map((_, i) => `coalesce(sum(ip_delta) FILTER (WHERE bucket >= $${i + 2}), 0)::int AS ip${i}, coalesce(sum(od_delta) FILTER (WHERE bucket >= $${i + 2}), 0)::int AS od${i}`).join(', ')}
       FROM kpi_daily WHERE bucket >= $${xs.length + 2} AND bucket < $1 GROUP BY unit_code`,
    [iso(today), ...xs.map(iso), iso(Math.min(...xs))],
  )) as Record<string, string | number>[];
  const byUnit = new Map(sums.map((r) => [String(r.unit_code), r]));
  xs.forEach((x, i) => {
    const at = { unit: new Map<string, Stock>(), province: new Map<string, Stock>() };
    for (const r of rows.values()) {
      if (r.firstAt === null || r.firstAt >= x) continue;
      const d = byUnit.get(r.unit);
      const s: Stock = { ip: r.ipDayStart - Number(d?.[`ip${i}`] ?? 0), od: r.odDayStart - Number(d?.[`od${i}`] ?? 0) };
      if (r.unit.startsWith('P')) at.province.set(r.province, s);
      else at.unit.set(r.unit, s);
    }
    out.set(x, at);
  });
  return out;
}

/** The stock's instant, the state row locked as asked; a missing one is created at `now` (an empty database). */
async function lockedAsOf(q: Queryable, lock: 'SHARE' | null, now: number): Promise<number> {
  const sql = `SELECT extract(epoch FROM as_of) * 1000 AS as_of FROM running_stock_state WHERE id = 1${lock ? ` FOR ${lock}` : ''}`;
  let rows = (await q.query(sql)) as { as_of: string }[];
  if (rows.length === 0) {
    await q.query(`INSERT INTO running_stock_state (id, as_of) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [iso(now)]);
    rows = (await q.query(sql)) as { as_of: string }[];
  }
  return Number(rows[0]!.as_of);
}

/** Writes the moved rows (those in `changed`) and the new instant. */
async function writeRows(q: Queryable, rows: Map<string, StockRow>, changed: Set<string>, asOf: number): Promise<void> {
  if (changed.size > 0) {
    const json = JSON.stringify(
      [...changed].sort().map((u) => {
        const r = rows.get(u)!;
        return { unit_code: u, ip: r.ip, od: r.od, turning: r.turning, ip_day_start: r.ipDayStart, od_day_start: r.odDayStart };
      }),
    );
    await q.query(
      `UPDATE running_stock s SET ip = x.ip, od = x.od, turning = x.turning, ip_day_start = x.ip_day_start, od_day_start = x.od_day_start
         FROM json_to_recordset($1::json) AS x(unit_code text, ip int, od int, turning int, ip_day_start int, od_day_start int)
        WHERE s.unit_code = x.unit_code`,
      [json],
    );
  }
  await q.query(`UPDATE running_stock_state SET as_of = $1 WHERE id = 1`, [iso(asOf)]);
}
