import { type DossierChange, type FeeProcedureCounts, type Grain, type Scope, bucketStart, feeProcedureEntry, formatScope, nextBucket } from '@ioc/shared';
import { provinceTotalUnit } from './rollup-accumulator.js';
import type { Queryable } from '../database/queryable.js';
import type { GroupBy, PastReadCache } from './kpi-query.repository.js';

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

/** Applies the dossiers' changes: each fee-bearing dossier leaves its old entry and joins its new one. */
export async function foldFeeProcedures(m: Queryable, changes: readonly DossierChange[], provinceOf: (unit: string) => string): Promise<void> {
  const deltas = new Map<string, { day: number; unit: string; procedure: string; paid: number | null; n: number }>();
  const add = (c: DossierChange['after'] | null, sign: 1 | -1) => {
    const e = c === null ? null : feeProcedureEntry(c);
    if (e === null) return;
    const key = `${e.receivedDay}|${e.unitCode}|${e.procedureCode}|${e.paidDay ?? ''}`;
    const d = deltas.get(key);
    if (d) d.n += sign;
    else deltas.set(key, { day: e.receivedDay, unit: e.unitCode, procedure: e.procedureCode, paid: e.paidDay, n: sign });
  };
  for (const c of changes) {
    add(c.before, -1);
    add(c.after, 1);
  }
  // In key order, so two writers lock rows in the same order.
  const rows = [...deltas.values()].filter((d) => d.n !== 0);
  if (rows.length === 0) return;
  rows.sort((a, b) => a.day - b.day || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0) || (a.procedure < b.procedure ? -1 : a.procedure > b.procedure ? 1 : 0) || (a.paid ?? Infinity) - (b.paid ?? Infinity));
  const emptied = (await m.query(
    `INSERT INTO kpi_fee_procedure AS t (received_day, unit_code, procedure_code, paid_day, province_code, n)
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::int[])
     ON CONFLICT (province_code, received_day, unit_code, procedure_code, paid_day) DO UPDATE SET n = t.n + excluded.n
     RETURNING received_day, unit_code, procedure_code, paid_day, n`,
    [
      rows.map((r) => iso(r.day)),
      rows.map((r) => r.unit),
      rows.map((r) => r.procedure),
      rows.map((r) => (r.paid === null ? NOT_PAID : iso(r.paid))),
      rows.map((r) => provinceOf(r.unit)),
      rows.map((r) => r.n),
    ],
  )) as { received_day: Date; unit_code: string; procedure_code: string; paid_day: Date | string; n: number }[];
  // A pair no dossier holds any more goes, so the table is what folding the log from scratch gives.
  const gone = emptied.filter((r) => r.n === 0);
  if (gone.length > 0) await m.query(
    `DELETE FROM kpi_fee_procedure t USING unnest($1::timestamptz[], $2::text[], $3::text[], $4::timestamptz[]) AS g(d, u, p, paid)
     WHERE t.received_day = g.d AND t.unit_code = g.u AND t.procedure_code = g.p AND t.paid_day = g.paid AND t.n = 0`,
    [gone.map((r) => r.received_day), gone.map((r) => r.unit_code), gone.map((r) => r.procedure_code), gone.map((r) => r.paid_day)],
  );
  await refreshSummaries(m, rows, provinceOf);
}

/*
 * A day's or a month's counts are what a series point, a one-day period or a (month-to-date)
 * month asks, and what a ranking of a month reads for thousands of units: they are kept per
 * unit and bucket in `kpi_fee_summary`, with province total rows (`P<code>`) like the rollups'.
 * A bucket's counts are recounted from kpi_fee_procedure whenever a change touches it (a
 * distinct count cannot take deltas); the province totals take the difference.
 */

type SummaryGrain = 'd' | 'm';
interface SummaryKey {
  grain: SummaryGrain;
  bucket: number;
  end: number;
  unit: string;
  province: string;
}

async function refreshSummaries(m: Queryable, rows: readonly { day: number; unit: string }[], provinceOf: (unit: string) => string): Promise<void> {
  const keys = new Map<string, SummaryKey>();
  for (const r of rows) {
    const province = provinceOf(r.unit);
    const month = bucketStart(r.day, 'month');
    keys.set(`d|${r.unit}|${r.day}`, { grain: 'd', bucket: r.day, end: nextBucket(r.day, 'day'), unit: r.unit, province });
    keys.set(`m|${r.unit}|${month}`, { grain: 'm', bucket: month, end: nextBucket(month, 'month'), unit: r.unit, province });
  }
  const list = [...keys.values()];
  const args = [list.map((k) => k.grain), list.map((k) => iso(k.bucket)), list.map((k) => iso(k.end)), list.map((k) => k.unit), list.map((k) => k.province)];
  const counted = (await m.query(
    `SELECT t.g, t.b, t.u, count(DISTINCT f.procedure_code)::int AS received, count(DISTINCT f.procedure_code) FILTER (WHERE f.paid_day < t.e)::int AS paid,
            coalesce(s.received, 0) AS old_received, coalesce(s.paid, 0) AS old_paid
     FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[]) AS t(g, b, e, u, p)
     LEFT JOIN kpi_fee_procedure f ON f.province_code = t.p AND f.received_day >= t.b AND f.received_day < t.e AND f.unit_code = t.u
     LEFT JOIN kpi_fee_summary s ON s.grain = t.g AND s.unit_code = t.u AND s.bucket = t.b
     GROUP BY t.g, t.b, t.u, s.received, s.paid`,
    args,
  )) as { g: SummaryGrain; b: Date; u: string; received: number; paid: number; old_received: number; old_paid: number }[];
  // Unit rows take their new counts; province totals the difference.
  const out = new Map<string, { g: SummaryGrain; b: number; u: string; p: string; received: number; paid: number; add: boolean }>();
  for (const r of counted) {
    if (r.received === r.old_received && r.paid === r.old_paid) continue;
    const b = r.b.getTime();
    const p = provinceOf(r.u);
    out.set(`${r.g}|${r.u}|${b}`, { g: r.g, b, u: r.u, p, received: r.received, paid: r.paid, add: false });
    const total = provinceTotalUnit(p);
    const key = `${r.g}|${total}|${b}`;
    const t = out.get(key) ?? { g: r.g, b, u: total, p, received: 0, paid: 0, add: true };
    t.received += r.received - r.old_received;
    t.paid += r.paid - r.old_paid;
    out.set(key, t);
  }
  const changed = [...out.values()].filter((r) => !r.add || r.received !== 0 || r.paid !== 0);
  if (changed.length === 0) return;
  changed.sort((a, b) => (a.g < b.g ? -1 : a.g > b.g ? 1 : 0) || (a.u < b.u ? -1 : a.u > b.u ? 1 : 0) || a.b - b.b);
  const set = (sql: string, part: typeof changed) =>
    part.length === 0
      ? Promise.resolve()
      : m.query(sql, [part.map((r) => r.g), part.map((r) => iso(r.b)), part.map((r) => r.u), part.map((r) => r.p), part.map((r) => r.received), part.map((r) => r.paid)]);
  const insert = `INSERT INTO kpi_fee_summary AS s (grain, bucket, unit_code, province_code, received, paid)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[])
     ON CONFLICT (grain, unit_code, bucket) DO UPDATE SET`;
  await set(`${insert} received = excluded.received, paid = excluded.paid`, changed.filter((r) => !r.add));
  await set(`${insert} received = s.received + excluded.received, paid = s.paid + excluded.paid`, changed.filter((r) => r.add));
  await m.query(
    `DELETE FROM kpi_fee_summary s USING unnest($1::text[], $2::timestamptz[], $3::text[]) AS t(g, b, u)
     WHERE s.grain = t.g AND s.unit_code = t.u AND s.bucket = t.b AND s.received = 0`,
    [changed.map((r) => r.g), changed.map((r) => iso(r.b)), changed.map((r) => r.u)],
  );
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
    if (!m) out.set(String(r.k), (m = new Map()));
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
