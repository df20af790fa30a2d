import { type DossierChange, bucketStart, feeProcedureEntry, nextBucket } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';
import { type FeeSummaryGrain, NOT_PAID, provinceTotalUnit } from './rollup-tables.js';

/*
 * The fold of sub-indicator 3.5b (distinct fee-bearing procedures, and those paid online)
 * into `kpi_fee_procedure` (migration 1765958400000): the fee-bearing dossiers per unit,
 * procedure, receipt day and online payment day, with their number, kept in the batch
 * that changes the dossiers. kpi/fee-procedures.ts reads it; the rule it counts by is
 * countFeeProcedures in shared/.
 */

const iso = (ms: number) => new Date(ms).toISOString();

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

/** Changes of the day and month counts, per unit and added to its province's total row. */
class SummaryDeltas {
  private readonly rows = new Map<string, { g: FeeSummaryGrain; b: number; u: string; p: string; received: number; paid: number }>();

  constructor(private readonly provinceOf: (unit: string) => string) {}

  add(g: FeeSummaryGrain, unit: string, b: number, received: number, paid: number): void {
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
