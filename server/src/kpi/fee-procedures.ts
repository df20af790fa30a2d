import { type DossierChange, type FeeProcedureCounts, type Grain, type Scope, bucketStart, feeProcedureEntry, formatScope, nextBucket } from '@ioc/shared';
import { provinceTotalUnit } from './rollup-accumulator.js';
import type { Queryable } from '../database/queryable.js';
import type { GroupBy } from '../units/group-by.js';
import type { PastReadCache } from './kpi-query.repository.js';

/*
 * Sub-indicator 3.5b (distinct fee-bearing procedures, and those paid online) from
 * `kpi_fee_procedure` (migration 1765958400000): the fee-bearing dossiers per unit,
 * procedure, receipt day and online payment day, with their number. The projector
 * keeps it in the batch that changes the dossiers (foldFeeProcedures); readers count
 * distinct (unit, procedure) pairs, the rule countFeeProcedures states in shared/.
 */

const NOT_PAID = 'infinity';
const iso = (ms: number) => new Date(ms).toISOString();
const KEY_SQL: Record<GroupBy, string> = { none: `'*'`, unit: 'unit_code', province: 'province_code' };

/** A change of one fee-bearing entry: +1 or −1 dossier at (receipt day, unit, procedure, payment day). */
interface Delta {
  day: number;
  unit: string;
  procedure: string;
  /** Day of the first online payment; Infinity when not paid online. */
  paid: number;
  province: string;
  n: number;
}

const byKey = (a: { unit: string; procedure: string }, b: { unit: string; procedure: string }) =>
  a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.procedure < b.procedure ? -1 : a.procedure > b.procedure ? 1 : 0;
const paidParam = (ms: number) => (Number.isFinite(ms) ? iso(ms) : NOT_PAID);

/*
 * A day's and a month's counts are what a series point, a one-day period or a (month-to-date)
 * month asks, and what a ranking of a month reads for thousands of units: they are kept per
 * unit and bucket in `kpi_fee_summary`, with province total rows (`P<code>`) like the
 * rollups'. A distinct count takes no deltas, but its changes can be found from the batch
 * alone: a (unit, procedure) pair enters or leaves a day when its first row of the day appears
 * or its last one goes (looked up by key in kpi_fee_procedure), and a month when its number of
 * dossiers in `kpi_fee_month` leaves or reaches 0 (likewise for those paid online by the
 * month's end). So a batch costs what it touches, however much the month already holds.
 */

/** Applies the dossiers' changes: each fee-bearing dossier leaves its old entry and joins its new one. */
export async function foldFeeProcedures(m: Queryable, changes: readonly DossierChange[], provinceOf: (unit: string) => string): Promise<void> {
  const deltas = new Map<string, Delta>();
  const add = (c: DossierChange['after'] | null, sign: 1 | -1) => {
    const e = c === null ? null : feeProcedureEntry(c);
    if (e === null) return;
    const paid = e.paidDay ?? Number.POSITIVE_INFINITY;
    const key = `${e.receivedDay}|${e.unitCode}|${e.procedureCode}|${paid}`;
    const d = deltas.get(key);
    if (d) d.n += sign;
    else deltas.set(key, { day: e.receivedDay, unit: e.unitCode, procedure: e.procedureCode, paid, province: provinceOf(e.unitCode), n: sign });
  };
  for (const c of changes) {
    add(c.before, -1);
    add(c.after, 1);
  }
  // In key order, so two writers lock rows in the same order.
  const rows = [...deltas.values()].filter((d) => d.n !== 0);
  if (rows.length === 0) return;
  rows.sort((a, b) => (a.province < b.province ? -1 : a.province > b.province ? 1 : 0) || a.day - b.day || byKey(a, b) || a.paid - b.paid);
  const stored = (await m.query(
    `INSERT INTO kpi_fee_procedure AS t (received_day, unit_code, procedure_code, paid_day, province_code, n)
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::int[])
     ON CONFLICT (province_code, received_day, unit_code, procedure_code, paid_day) DO UPDATE SET n = t.n + excluded.n
     RETURNING extract(epoch FROM received_day) * 1000 AS d, unit_code AS u, procedure_code AS c, (extract(epoch FROM paid_day) * 1000)::float8 AS paid, n`,
    [rows.map((r) => iso(r.day)), rows.map((r) => r.unit), rows.map((r) => r.procedure), rows.map((r) => paidParam(r.paid)), rows.map((r) => r.province), rows.map((r) => r.n)],
  )) as { d: string | number; u: string; c: string; paid: string | number; n: number }[];
  // A row that went from 0 (new) or to 0 (gone) may change its day's counts.
  const appeared: Delta[] = [];
  const gone: Delta[] = [];
  for (const r of stored) {
    const d = deltas.get(`${Number(r.d)}|${r.u}|${r.c}|${Number(r.paid)}`)!;
    if (r.n === 0) gone.push(d);
    else if (r.n === d.n) appeared.push(d);
  }
  // A pair no dossier holds any more goes, so the table is what folding the log from scratch gives.
  if (gone.length > 0) {
    await m.query(
      `DELETE FROM kpi_fee_procedure t USING unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::timestamptz[]) AS g(p, d, u, c, paid)
       WHERE t.province_code = g.p AND t.received_day = g.d AND t.unit_code = g.u AND t.procedure_code = g.c AND t.paid_day = g.paid AND t.n = 0`,
      [gone.map((r) => r.province), gone.map((r) => iso(r.day)), gone.map((r) => r.unit), gone.map((r) => r.procedure), gone.map((r) => paidParam(r.paid))],
    );
  }
  const summary = new SummaryDeltas(provinceOf);
  await dayChanges(m, appeared, gone, summary);
  await monthChanges(m, rows, summary);
  await summary.write(m);
}

/** What the batch changed in each day's counts, from the rows that appeared or went. */
async function dayChanges(m: Queryable, appeared: readonly Delta[], gone: readonly Delta[], summary: SummaryDeltas): Promise<void> {
  if (appeared.length === 0 && gone.length === 0) return;
  // Per (day, unit, procedure): its payment days now, and those that appeared or went.
  const keys = new Map<string, { day: number; unit: string; procedure: string; province: string; now: Set<number>; appeared: Set<number>; gone: Set<number> }>();
  const keyOf = (r: Delta) => {
    const k = `${r.day}|${r.unit}|${r.procedure}`;
    let e = keys.get(k);
    if (!e) keys.set(k, (e = { day: r.day, unit: r.unit, procedure: r.procedure, province: r.province, now: new Set(), appeared: new Set(), gone: new Set() }));
    return e;
  };
  for (const r of appeared) keyOf(r).appeared.add(r.paid);
  for (const r of gone) keyOf(r).gone.add(r.paid);
  const list = [...keys.values()];
  const now = (await m.query(
    `SELECT f.received_day AS d, f.unit_code AS u, f.procedure_code AS c, (extract(epoch FROM f.paid_day) * 1000)::float8 AS paid
     FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS k(p, d, u, c)
     JOIN kpi_fee_procedure f ON f.province_code = k.p AND f.received_day = k.d AND f.unit_code = k.u AND f.procedure_code = k.c`,
    [list.map((k) => k.province), list.map((k) => iso(k.day)), list.map((k) => k.unit), list.map((k) => k.procedure)],
  )) as { d: Date; u: string; c: string; paid: number | string }[];
  for (const r of now) keys.get(`${r.d.getTime()}|${r.u}|${r.c}`)?.now.add(Number(r.paid));
  for (const k of list) {
    const before = new Set([...k.now].filter((p) => !k.appeared.has(p)));
    for (const p of k.gone) before.add(p);
    // Paid the same day: online payment days are never before the receipt's.
    summary.add('d', k.unit, k.day, Number(k.now.size > 0) - Number(before.size > 0), Number(k.now.has(k.day)) - Number(before.has(k.day)));
  }
}

/** What the batch changed in each month's counts, through the number of dossiers per (month, unit, procedure). */
async function monthChanges(m: Queryable, rows: readonly Delta[], summary: SummaryDeltas): Promise<void> {
  const months = new Map<string, { month: number; unit: string; procedure: string; province: string; received: number; paid: number }>();
  for (const r of rows) {
    const month = bucketStart(r.day, 'month');
    const k = `${month}|${r.unit}|${r.procedure}`;
    let e = months.get(k);
    if (!e) months.set(k, (e = { month, unit: r.unit, procedure: r.procedure, province: r.province, received: 0, paid: 0 }));
    e.received += r.n;
    if (r.paid < nextBucket(month, 'month')) e.paid += r.n;
  }
  const list = [...months.values()].filter((e) => e.received !== 0 || e.paid !== 0);
  if (list.length === 0) return;
  list.sort((a, b) => (a.province < b.province ? -1 : a.province > b.province ? 1 : 0) || a.month - b.month || byKey(a, b));
  const stored = (await m.query(
    `INSERT INTO kpi_fee_month AS t (province_code, month, unit_code, procedure_code, received, paid)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[])
     ON CONFLICT (province_code, month, unit_code, procedure_code) DO UPDATE SET received = t.received + excluded.received, paid = t.paid + excluded.paid
     RETURNING extract(epoch FROM month) * 1000 AS b, unit_code AS u, procedure_code AS c, received, paid`,
    [list.map((e) => e.province), list.map((e) => iso(e.month)), list.map((e) => e.unit), list.map((e) => e.procedure), list.map((e) => e.received), list.map((e) => e.paid)],
  )) as { b: string | number; u: string; c: string; received: number; paid: number }[];
  const emptied: typeof list = [];
  for (const now of stored) {
    const e = months.get(`${Number(now.b)}|${now.u}|${now.c}`)!;
    summary.add('m', e.unit, e.month, Number(now.received > 0) - Number(now.received - e.received > 0), Number(now.paid > 0) - Number(now.paid - e.paid > 0));
    if (now.received === 0) emptied.push(e);
  }
  if (emptied.length > 0) {
    await m.query(
      `DELETE FROM kpi_fee_month t USING unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS g(p, b, u, c)
       WHERE t.province_code = g.p AND t.month = g.b AND t.unit_code = g.u AND t.procedure_code = g.c AND t.received = 0`,
      [emptied.map((e) => e.province), emptied.map((e) => iso(e.month)), emptied.map((e) => e.unit), emptied.map((e) => e.procedure)],
    );
  }
}

type SummaryGrain = 'd' | 'm';

/** Changes of the day and month counts, per unit and added to its province's total row. */
class SummaryDeltas {
  private readonly rows = new Map<string, { g: SummaryGrain; b: number; u: string; p: string; received: number; paid: number }>();

  constructor(private readonly provinceOf: (unit: string) => string) {}

  add(g: SummaryGrain, unit: string, b: number, received: number, paid: number): void {
    if (received === 0 && paid === 0) return;
    const p = this.provinceOf(unit);
    for (const u of [unit, provinceTotalUnit(p)]) {
      const k = `${g}|${u}|${b}`;
      const r = this.rows.get(k);
      if (r) {
        r.received += received;
        r.paid += paid;
      } else this.rows.set(k, { g, b, u, p, received, paid });
    }
  }

  async write(m: Queryable): Promise<void> {
    const rows = [...this.rows.values()].filter((r) => r.received !== 0 || r.paid !== 0);
    if (rows.length === 0) return;
    rows.sort((a, b) => (a.g < b.g ? -1 : a.g > b.g ? 1 : 0) || (a.u < b.u ? -1 : a.u > b.u ? 1 : 0) || a.b - b.b);
    const args = [rows.map((r) => r.g), rows.map((r) => iso(r.b)), rows.map((r) => r.u)];
    await m.query(
      `INSERT INTO kpi_fee_summary AS s (grain, bucket, unit_code, province_code, received, paid)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[])
       ON CONFLICT (grain, unit_code, bucket) DO UPDATE SET received = s.received + excluded.received, paid = s.paid + excluded.paid`,
      [...args, rows.map((r) => r.p), rows.map((r) => r.received), rows.map((r) => r.paid)],
    );
    await m.query(
      `DELETE FROM kpi_fee_summary s USING unnest($1::text[], $2::timestamptz[], $3::text[]) AS t(g, b, u)
       WHERE s.grain = t.g AND s.unit_code = t.u AND s.bucket = t.b AND s.received = 0`,
      args,
    );
  }
}

/** Which summary rows answer a query, as the rollups' rows do (rollupWhere): province totals, or unit rows. */
function summaryWhere(scope: Scope, groupBy: GroupBy, params: unknown[]): string {
  if (groupBy === 'unit') {
    if (scope.kind === 'commune') {
      params.push(scope.code);
      return `unit_code = $${params.length}`;
    }
    if (scope.kind === 'nation') return `unit_code NOT LIKE 'P%'`;
    params.push(scope.code);
    return `unit_code NOT LIKE 'P%' AND province_code = $${params.length}`;
  }
  if (scope.kind === 'nation') return `unit_code LIKE 'P%'`;
  params.push(scope.kind === 'province' ? provinceTotalUnit(scope.code) : scope.code);
  return `unit_code = $${params.length}`;
}

/** The summary bucket [start, end) is, if any: one local day, or one month (whole, or to date when live). */
function summaryBucket(start: number, end: number, live: boolean): SummaryGrain | null {
  if (bucketStart(start, 'day') !== start) return null;
  if (end === nextBucket(start, 'day') || (live && end < nextBucket(start, 'day'))) return 'd';
  if (bucketStart(start, 'month') === start && (end === nextBucket(start, 'month') || (live && end < nextBucket(start, 'month')))) return 'm';
  return null;
}

async function readSummary(db: Queryable, scope: Scope, grain: SummaryGrain, from: number, to: number, groupBy: GroupBy | 'bucket'): Promise<Map<string, FeeProcedureCounts>> {
  const params: unknown[] = [grain, iso(from), iso(to)];
  const key = groupBy === 'bucket' ? `(extract(epoch FROM bucket) * 1000)::bigint::text` : groupBy === 'unit' ? 'unit_code' : groupBy === 'province' ? 'province_code' : `'*'`;
  const rows = (await db.query(
    `SELECT ${key} AS k, sum(received)::int AS received, sum(paid)::int AS paid FROM kpi_fee_summary
     WHERE grain = $1 AND bucket >= $2 AND bucket < $3 AND ${summaryWhere(scope, groupBy === 'bucket' ? 'none' : groupBy, params)} GROUP BY 1`,
    params,
  )) as { k: string; received: number; paid: number }[];
  return new Map(rows.map((r) => [String(r.k), { feeProceduresReceived: r.received, feeProceduresPaidOnline: r.paid }]));
}

/**
 * A scope as a WHERE fragment over kpi_fee_procedure (which holds unit rows only, no
 * province totals), always naming the provinces, which lead its key.
 */
function scopeWhere(scope: Scope, params: unknown[], t = 'kpi_fee_procedure'): string {
  if (scope.kind === 'nation') return `${t}.province_code = ANY(ARRAY(SELECT code FROM province))`;
  params.push(scope.code);
  const p = `$${params.length}`;
  return scope.kind === 'province' ? `${t}.province_code = ${p}` : `${t}.province_code = (SELECT c.province_code FROM commune c WHERE c.code = ${p}) AND ${t}.unit_code = ${p}`;
}

/** The (unit, procedure) pairs received in [$1, $2) with whether one of them was paid online before $3, keyed like the rollup queries. */
const pairsSql = (groupBy: GroupBy, where: string) =>
  `SELECT ${KEY_SQL[groupBy]} AS k, unit_code, procedure_code, bool_or(paid_day < $3) AS paid
   FROM kpi_fee_procedure WHERE received_day >= $1 AND received_day < $2 AND ${where}
   GROUP BY 1, 2, 3`;

type Counts = Map<string, FeeProcedureCounts>;

/**
 * 3.5b's counts of a scope over [start, end), grouped like the rollup queries ('*', per
 * unit or per province). A period that does not start on a local day (an hour) has none.
 * With `past`, a past period's counts are kept until a change touches its days, and a live
 * period's past days are kept as their pairs, so only today's are read afresh.
 */
export async function feeProcedureCounts(db: Queryable, scope: Scope, start: number, end: number, live: boolean, groupBy: GroupBy, past?: PastReadCache): Promise<Counts> {
  if (bucketStart(start, 'day') !== start) return new Map();
  const grain = summaryBucket(start, end, live);
  if (grain !== null) return readSummary(db, scope, grain, start, start + 1, groupBy);
  const key = `fee|${formatScope(scope)}|${groupBy}`;
  const today = bucketStart(end, 'day');
  if (past !== undefined && live && today > start) {
    // Whatever was paid online so far was paid before the end (now): the past days' pairs hold for any later end.
    const [before, now] = await Promise.all([
      past.get(`${key}|pairs|${start}|${today}`, () => readPairs(db, scope, start, today, Number.POSITIVE_INFINITY, groupBy), { from: start, to: today }),
      readPairs(db, scope, today, end, end, groupBy),
    ]);
    return countPairs(before, now);
  }
  const read = () => readCounts(db, scope, start, end, groupBy);
  return past !== undefined && !live ? past.get(`${key}|${start}|${end}`, read, { from: start, to: end }) : read();
}

async function readCounts(db: Queryable, scope: Scope, start: number, end: number, groupBy: GroupBy): Promise<Counts> {
  const params: unknown[] = [iso(start), iso(end), iso(end)];
  const rows = (await db.query(
    `SELECT k, count(*)::int AS received, count(*) FILTER (WHERE paid)::int AS paid FROM (${pairsSql(groupBy, scopeWhere(scope, params))}) x GROUP BY k`,
    params,
  )) as { k: string; received: number; paid: number }[];
  return new Map(rows.map((r) => [String(r.k), { feeProceduresReceived: r.received, feeProceduresPaidOnline: r.paid }]));
}

/** Per key, its (unit, procedure) pairs as `unit|procedure`, with whether one was paid online before `paidBefore`. */
type Pairs = Map<string, Map<string, boolean>>;

async function readPairs(db: Queryable, scope: Scope, start: number, end: number, paidBefore: number, groupBy: GroupBy): Promise<Pairs> {
  const params: unknown[] = [iso(start), iso(end), Number.isFinite(paidBefore) ? iso(paidBefore) : NOT_PAID];
  const rows = (await db.query(pairsSql(groupBy, scopeWhere(scope, params)), params)) as { k: string; unit_code: string; procedure_code: string; paid: boolean }[];
  const out: Pairs = new Map();
  for (const r of rows) {
    let m = out.get(String(r.k));
    if (!m) out.set(String(r.k), (m = new Map<string, boolean>()));
    m.set(`${r.unit_code}|${r.procedure_code}`, r.paid);
  }
  return out;
}

function countPairs(a: Pairs, b: Pairs): Counts {
  const out: Counts = new Map();
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    let received = x?.size ?? 0;
    let paid = 0;
    if (x) for (const p of x.values()) if (p) paid++;
    if (y) {
      for (const [pair, p] of y) {
        const had = x?.get(pair);
        if (had === undefined) {
          received++;
          if (p) paid++;
        } else if (p && !had) paid++;
      }
    }
    out.set(k, { feeProceduresReceived: received, feeProceduresPaidOnline: paid });
  }
  return out;
}

/**
 * 3.5b's counts for each bucket of a series, from the day or month summaries. Hour buckets
 * have none: a distinct count of procedures is a matter of days and months.
 */
export async function feeProcedureSeries(db: Queryable, scope: Scope, grain: Grain, buckets: readonly number[], end: number): Promise<(FeeProcedureCounts | undefined)[]> {
  if (grain === 'hour' || buckets.length === 0) return buckets.map(() => undefined);
  const byBucket = await readSummary(db, scope, grain === 'day' ? 'd' : 'm', buckets[0]!, end, 'bucket');
  return buckets.map((b) => byBucket.get(String(b)));
}
