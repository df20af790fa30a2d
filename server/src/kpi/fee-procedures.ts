import { type FeeProcedureCounts, type Grain, type Scope, bucketStart, formatScope, nextBucket } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';
import { type FeeSummaryGrain, NOT_PAID, provinceTotalUnit } from '../projection/rollup-tables.js';
import type { GroupBy } from '../units/group-by.js';
import type { PastReadCache } from './kpi-query.repository.js';

/*
 * Sub-indicator 3.5b (distinct fee-bearing procedures, and those paid online) from
 * `kpi_fee_procedure` (migration 1765958400000): the fee-bearing dossiers per unit,
 * procedure, receipt day and online payment day, with their number. The projector
 * keeps it in the batch that changes the dossiers (foldFeeProcedures, in
 * projection/fee-procedures.ts); readers count distinct (unit, procedure) pairs, the
 * rule countFeeProcedures states in shared/.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const KEY_SQL: Record<GroupBy, string> = { none: `'*'`, unit: 'unit_code', province: 'province_code' };

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
function summaryBucket(start: number, end: number, live: boolean): FeeSummaryGrain | null {
  if (bucketStart(start, 'day') !== start) return null;
  if (end === nextBucket(start, 'day') || (live && end < nextBucket(start, 'day'))) return 'd';
  if (bucketStart(start, 'month') === start && (end === nextBucket(start, 'month') || (live && end < nextBucket(start, 'month')))) return 'm';
  return null;
}

async function readSummary(db: Queryable, scope: Scope, grain: FeeSummaryGrain, from: number, to: number, groupBy: GroupBy | 'bucket'): Promise<Map<string, FeeProcedureCounts>> {
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
  const rows = (await db.query(`SELECT k, count(*)::int AS received, count(*) FILTER (WHERE paid)::int AS paid FROM (${pairsSql(groupBy, scopeWhere(scope, params))}) x GROUP BY k`, params)) as {
    k: string;
    received: number;
    paid: number;
  }[];
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
