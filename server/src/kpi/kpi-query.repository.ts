import { Injectable } from '@nestjs/common';
import {
  formatScope,
  DAY_MS,
  DEFERRED_FIELDS,
  DEFERRED_FIELDS_V1,
  FLOW_FIELDS_V1,
  type FlowField,
  type Grain,
  type PeriodCounters,
  FLOW_FIELDS,
  columnOf,
  type Scope,
  bucketStart,
  nextBucket,
  zeroPeriod,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { GRAIN_TABLE, ROLLUP_COLUMNS, provinceTotalUnit } from '../projection/rollup-tables.js';
import type { Stock } from '../projection/running-stocks.js';
import type { GroupBy } from '../units/group-by.js';

const KEY_SQL: Record<GroupBy, string> = { none: `'*'`, unit: 'unit_code', province: 'province_code' };
const FLOW_COLUMNS = FLOW_FIELDS.map(columnOf);

/** Copies the summed flow columns of a result row into period counters. */
function readFlows(row: Record<string, string | number>, into: Partial<PeriodCounters>): void {
  FLOW_FIELDS.forEach((f, i) => (into[f] = Number(row[FLOW_COLUMNS[i]!])));
}

/** Stocks already read in one unit of work (an alert tick): several periods share their ends. */
export type StockMemo = Map<string, Promise<Map<string, Stock>>>;

/** Where a stock is kept in a StockMemo: a unit of work that has it from elsewhere (the running stocks) puts it there. */
export const stockMemoKey = (scope: Scope, at: number, live: boolean, groupBy: GroupBy) => `${formatScope(scope)}|${at}|${live}|${groupBy}`;

/**
 * Keeps reads of past rollups: what past days contribute to a period (only today's part of a
 * live one is read again), or the whole of a past period. Each read names the local days it
 * covers, [from, to) in epoch ms, so a cache that learns which days changed (RollupCache)
 * forgets exactly the reads a late event touches.
 */
export interface PastReadCache {
  get<T>(key: string, read: () => Promise<T>, days?: { from: number; to: number }): Promise<T>;
}

/** The stock deltas, read with a past period's flows so its end stock is its start stock plus them. */
const STOCK_DELTAS = ['ipDelta', 'odDelta'] as const;
type ReadField = FlowField | (typeof STOCK_DELTAS)[number];
type ReadRow = Partial<Record<ReadField, number>>;
export interface SeriesBucket {
  start: number;
  end: number;
  counters: PeriodCounters;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Which rollup rows answer a query: province total rows for a province or the
 * nation, unit rows for a commune, or for ranking the communes of a scope.
 */
function rollupWhere(scope: Scope, groupBy: GroupBy, params: unknown[]): string {
  if (groupBy === 'unit') {
    if (scope.kind === 'commune') return scopeWhere(scope, params);
    const within = scope.kind === 'province' ? ` AND ${scopeWhere(scope, params)}` : '';
    return `unit_code NOT LIKE 'P%'${within}`;
  }
  switch (scope.kind) {
    case 'nation':
      return `unit_code LIKE 'P%'`;
    case 'province':
      params.push(provinceTotalUnit(scope.code));
      return `unit_code = $${params.length}`;
    case 'commune':
      return scopeWhere(scope, params);
  }
}

/** A scope as a WHERE fragment over the dossier table. */
function scopeWhere(scope: Scope, params: unknown[]): string {
  switch (scope.kind) {
    case 'nation':
      return 'TRUE';
    case 'province':
      params.push(scope.code);
      return `province_code = $${params.length}`;
    case 'commune':
      params.push(scope.code);
      return `unit_code = $${params.length}`;
  }
}

/**
 * Reads KPI counters from the rollups. A period [start, end) is split into
 * whole months and the remaining days; stocks (in progress, overdue) at an
 * instant are sums of deltas before it: whole months, then days, minus the
 * dossiers that turn overdue later in the current day when the instant is now.
 */
@Injectable()
export class KpiQueryRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Period counters for [start, end), grouped by unit, province or not at all. `v1`: only the
   * counters kpi-v1 figures read (the kpi-v2 ones stay 0), for the many-unit readers that do
   * not show the national index.
   */
  async period(scope: Scope, start: number, end: number, live: boolean, groupBy: GroupBy, memo?: StockMemo, past?: PastReadCache, counters: 'v1' | 'v2' = 'v2'): Promise<Map<string, PeriodCounters>> {
    const flowFields = counters === 'v2' ? FLOW_FIELDS : FLOW_FIELDS_V1;
    const deferredFields = counters === 'v2' ? DEFERRED_FIELDS : DEFERRED_FIELDS_V1;
    const { months, days } = decompose(start, end, live);
    const today = bucketStart(end, 'day');
    // With a cache, a live period made of whole past buckets plus today reads only today's flows afresh.
    const split = past !== undefined && live && days.includes(today) && !months.some((m) => m <= end && end < nextBucket(m, 'month'));
    const key = `${formatScope(scope)}|${groupBy}|${counters}`;
    const pastDays = days.filter((d) => d !== today);
    // A past period's end stock is its start stock plus the stock deltas of its buckets, read with
    // its flows: one scan of the history before it rather than two (unless the unit of work has it).
    const endFromStart = !live && !memo?.has(stockMemoKey(scope, end, false, groupBy));
    const flowRead: readonly ReadField[] = endFromStart ? [...flowFields, ...STOCK_DELTAS] : flowFields;
    // A past period is kept whole: its flows and deferred attributes cover its days, its start stock every day before.
    const whole = past !== undefined && !live;
    const kept = <T>(what: string, from: number, to: number, read: () => Promise<T>) => (whole ? past.get(`${what}|${key}|${start}|${end}`, read, { from, to }) : read());
    const [flows, deferred, stockEnd, stockStart] = await Promise.all([
      split
        ? Promise.all([
            past.get(`flows|${key}|${months.join()}|${pastDays.join()}`, () => this.flows(scope, months, pastDays, groupBy, flowFields), { from: start, to: today }),
            this.flows(scope, [], [today], groupBy, flowFields),
          ]).then(([a, b]) => sumFlows(a, b))
        : kept(`flows${endFromStart ? '+stock' : ''}`, start, end, () => this.flows(scope, months, days, groupBy, flowRead)),
      kept('deferred', start, end, () => this.deferred(scope, months, days, end, groupBy, deferredFields)),
      endFromStart ? null : this.stock(scope, end, live, groupBy, memo),
      // A stock the unit of work already has (the running stocks) is taken over a cached one.
      (split && start < today) || (whole && !memo?.has(stockMemoKey(scope, start, false, groupBy)))
        ? past!.get(`stock|${key}|${start}`, () => this.stock(scope, start, false, groupBy), { from: 0, to: start })
        : this.stock(scope, start, false, groupBy, memo),
    ]);
    const out = new Map<string, PeriodCounters>();
    const get = (k: string) => {
      let p = out.get(k);
      if (!p) out.set(k, (p = zeroPeriod()));
      return p;
    };
    // Read, never changed: the maps may be kept for later queries.
    for (const [k, v] of flows) {
      const p = get(k);
      for (const f of flowFields) p[f] = v[f] ?? 0;
    }
    for (const [k, v] of deferred) {
      const p = get(k);
      for (const f of deferredFields) p[f] += v[f];
    }
    for (const [k, s] of stockStart) {
      const p = get(k);
      p.carriedOver = s.ip;
      if (endFromStart) {
        p.inProgress = s.ip;
        p.inProgressOverdue = s.od;
      }
    }
    if (stockEnd === null) {
      for (const [k, v] of flows) {
        const p = get(k);
        p.inProgress += v.ipDelta ?? 0;
        p.inProgressOverdue += v.odDelta ?? 0;
      }
    } else {
      for (const [k, s] of stockEnd) {
        const p = get(k);
        p.inProgress = s.ip;
        p.inProgressOverdue = s.od;
      }
    }
    if (groupBy === 'none' && !out.has('*')) out.set('*', zeroPeriod());
    return out;
  }

  /**
   * 1.4's denominator: dossiers received in [start, end) at units whose sources had sent a
   * `synced` event by its end. Reads only what does not depend on the period counters, so
   * it runs alongside `period`; the returned function fills `syncTracked` into its result
   * (same scope and grouping). Unit rows are read for whichever side is smaller: the tracked
   * units, or the units with events that are not tracked (subtracted from the province
   * totals); nothing more when no unit, or every unit of the scope, is tracked.
   */
  async syncTracked(scope: Scope, start: number, end: number, live: boolean, groupBy: GroupBy): Promise<(counters: Map<string, PeriodCounters>) => void> {
    const { months, days } = decompose(start, end, live);
    const rows = (await this.syncSince(scope)).map((r) => ({ u: r.u, tracked: r.since !== null && r.since < end }));
    const tracked = rows.filter((r) => r.tracked).map((r) => r.u);
    if (tracked.length === 0) return () => undefined;
    if (groupBy === 'unit' || scope.kind === 'commune') {
      const set = new Set(tracked);
      return (counters) => {
        for (const [k, p] of counters) if (set.has(groupBy === 'unit' ? k : (scope as { code: string }).code)) p.syncTracked = p.received;
      };
    }
    const untracked = rows.filter((r) => !r.tracked).map((r) => r.u);
    if (untracked.length <= tracked.length) {
      const minus = untracked.length === 0 ? new Map<string, ReadRow>() : await this.flows(scope, months, days, groupBy, ['received'], untracked);
      return (counters) => {
        for (const [k, p] of counters) p.syncTracked = p.received - (minus.get(k)?.received ?? 0);
      };
    }
    const only = await this.flows(scope, months, days, groupBy, ['received'], tracked);
    return (counters) => {
      for (const [k, p] of counters) p.syncTracked = only.get(k)?.received ?? 0;
    };
  }

  /** When each unit's sources last sent an event (unit_activity, which the projector writes), with its province. */
  async lastIngested(): Promise<{ unit: string; province: string; at: Date }[]> {
    const rows = (await this.db.query('SELECT unit_code, province_code, last_ingested_at FROM unit_activity')) as { unit_code: string; province_code: string; last_ingested_at: Date }[];
    return rows.map((r) => ({ unit: r.unit_code, province: r.province_code, at: r.last_ingested_at }));
  }

  /** The units of a scope with events, each with when its sources first sent a `synced` event (epoch ms; null: never). */
  private async syncSince(scope: Scope): Promise<{ u: string; since: number | null }[]> {
    const params: unknown[] = [];
    const within = scope.kind === 'nation' ? 'TRUE' : scopeWhere(scope, params);
    const rows = (await this.db.query(
      `SELECT a.unit_code AS u, extract(epoch FROM s.first_synced_at) * 1000 AS since
       FROM unit_activity a LEFT JOIN unit_sync s USING (unit_code) WHERE ${within.replace(/\b(province_code|unit_code)\b/g, 'a.$1')}`,
      params,
    )) as { u: string; since: string | number | null }[];
    return rows.map((r) => ({ u: r.u, since: r.since === null ? null : Number(r.since) }));
  }

  /** Some flow counters (received, resolved…) of [start, end), without stocks: far cheaper than a whole period over many units. */
  flowsOf(scope: Scope, start: number, end: number, live: boolean, groupBy: GroupBy, fields: readonly (typeof FLOW_FIELDS)[number][]): Promise<Map<string, Partial<PeriodCounters>>> {
    const { months, days } = decompose(start, end, live);
    return this.flows(scope, months, days, groupBy, fields);
  }

  private async flows(
    scope: Scope,
    months: number[],
    days: number[],
    groupBy: GroupBy,
    fields: readonly ReadField[] = FLOW_FIELDS,
    /** Only these units' rows (not the province totals). */
    units?: readonly string[],
  ): Promise<Map<string, ReadRow>> {
    const params: unknown[] = [months.map(iso), days.map(iso)];
    let where: string;
    if (units === undefined) where = rollupWhere(scope, groupBy, params);
    else {
      params.push(units);
      where = `unit_code = ANY($${params.length}::text[])`;
    }
    const columns = fields.map(columnOf);
    const cols = columns.join(', ');
    const rows = (await this.db.query(
      `SELECT k, ${columns.map((c) => `sum(${c})::float8 AS ${c}`).join(', ')} FROM (
         SELECT ${KEY_SQL[groupBy]} AS k, ${cols} FROM kpi_monthly WHERE bucket = ANY($1::timestamptz[]) AND ${where}
         UNION ALL
         SELECT ${KEY_SQL[groupBy]} AS k, ${cols} FROM kpi_daily WHERE bucket = ANY($2::timestamptz[]) AND ${where}
       ) x GROUP BY k`,
      params,
    )) as Record<string, string | number>[];
    const out = new Map<string, ReadRow>();
    for (const r of rows) {
      const p: ReadRow = {};
      fields.forEach((f, i) => (p[f] = Number(r[columns[i]!])));
      out.set(String(r.k), p);
    }
    return out;
  }

  private async deferred(scope: Scope, months: number[], days: number[], end: number, groupBy: GroupBy, fields: readonly (typeof DEFERRED_FIELDS)[number][] = DEFERRED_FIELDS) {
    const params: unknown[] = [months.map(iso), days.map(iso), iso(end)];
    const where = rollupWhere(scope, groupBy, params);
    const columns = fields.map(columnOf);
    const rows = (await this.db.query(
      `SELECT ${KEY_SQL[groupBy]} AS k, ${columns.map((c) => `sum(${c})::float8 AS ${c}`).join(', ')}
       FROM kpi_deferred
       WHERE ((grain = 'm' AND cohort_bucket = ANY($1::timestamptz[])) OR (grain = 'd' AND cohort_bucket = ANY($2::timestamptz[])))
         AND achieved_day < $3 AND ${where}
       GROUP BY 1`,
      params,
    )) as Record<string, string | number>[];
    const out = new Map<string, Record<(typeof DEFERRED_FIELDS)[number], number>>();
    for (const r of rows) {
      const v = {} as Record<(typeof DEFERRED_FIELDS)[number], number>;
      fields.forEach((f, i) => (v[f] = Number(r[columns[i]!])));
      out.set(String(r.k), v);
    }
    return out;
  }

  /** Dossiers in progress (and overdue among them) at instant `at`. */
  stock(scope: Scope, at: number, live: boolean, groupBy: GroupBy, memo?: StockMemo): Promise<Map<string, Stock>> {
    if (!memo) return this.readStock(scope, at, live, groupBy);
    const key = stockMemoKey(scope, at, live, groupBy);
    let r = memo.get(key);
    if (!r) memo.set(key, (r = this.readStock(scope, at, live, groupBy)));
    // Callers adjust the maps they get: each gets its own copy.
    return r.then((m) => new Map([...m].map(([k, v]) => [k, { ...v }])));
  }

  private async readStock(scope: Scope, at: number, live: boolean, groupBy: GroupBy): Promise<Map<string, Stock>> {
    const dayStart = bucketStart(at, 'day');
    const dayEnd = live ? dayStart + DAY_MS : at;
    const monthStart = bucketStart(at, 'month');
    const params: unknown[] = [iso(monthStart), iso(dayEnd)];
    const where = rollupWhere(scope, groupBy, params);
    const rows = (await this.db.query(
      `SELECT k, sum(ip)::float8 AS ip, sum(od)::float8 AS od FROM (
         SELECT ${KEY_SQL[groupBy]} AS k, ip_delta AS ip, od_delta AS od FROM kpi_monthly WHERE bucket < $1 AND ${where}
         UNION ALL
         SELECT ${KEY_SQL[groupBy]} AS k, ip_delta, od_delta FROM kpi_daily WHERE bucket >= $1 AND bucket < $2 AND ${where}
       ) x GROUP BY k`,
      params,
    )) as { k: string; ip: number; od: number }[];
    const out = new Map<string, Stock>(rows.map((r) => [String(r.k), { ip: Number(r.ip), od: Number(r.od) }]));
    if (live) {
      for (const [k, n] of await this.turningOverdue(scope, at, dayEnd, groupBy)) {
        const s = out.get(k);
        if (s) s.od -= n;
      }
    }
    return out;
  }

  /** Open dossiers that turn overdue in [from, to): counted in today's row already, but not yet true. */
  private async turningOverdue(scope: Scope, from: number, to: number, groupBy: GroupBy): Promise<Map<string, number>> {
    const params: unknown[] = [iso(from), iso(to)];
    const where = scopeWhere(scope, params);
    const rows = (await this.db.query(
      `SELECT ${KEY_SQL[groupBy]} AS k, count(*)::float8 AS n FROM dossier
       WHERE overdue_at >= $1 AND overdue_at < $2 AND completed_at IS NULL AND ${where} GROUP BY 1`,
      params,
    )) as { k: string; n: number }[];
    return new Map(rows.map((r) => [String(r.k), Number(r.n)]));
  }

  /** One scope's counters for each bucket of `grain` from `start` (aligned to the grain) to `end`. */
  async series(scope: Scope, grain: Grain, start: number, end: number, live: boolean): Promise<SeriesBucket[]> {
    const b0 = bucketStart(start, grain);
    const buckets: number[] = [];
    for (let b = b0; b < end; b = nextBucket(b, grain)) buckets.push(b);
    if (buckets.length === 0) return [];
    const last = buckets[buckets.length - 1]!;
    const params: unknown[] = [iso(b0), iso(nextBucket(last, grain))];
    const where = rollupWhere(scope, 'none', params);
    // Each point is measured at its bucket's end, the last one at now when live.
    const ends = buckets.map((b) => (b === last && live ? end : Math.min(nextBucket(b, grain), end)));
    const [rows, base, turning, syncTracked] = await Promise.all([
      this.db.query(
        `SELECT extract(epoch FROM bucket) * 1000 AS b, ${ROLLUP_COLUMNS.map((c) => `sum(${c})::float8 AS ${c}`).join(', ')}
         FROM ${GRAIN_TABLE[grain]} WHERE bucket >= $1 AND bucket < $2 AND ${where} GROUP BY bucket`,
        params,
      ) as Promise<Record<string, string | number>[]>,
      this.stock(scope, b0, false, 'none'),
      live ? this.turningOverdue(scope, end, nextBucket(last, grain), 'none') : Promise.resolve(new Map<string, number>()),
      this.seriesSyncTracked(scope, grain, buckets, ends),
    ]);
    const byBucket = new Map(rows.map((r) => [Number(r.b), r]));
    let ip = base.get('*')?.ip ?? 0;
    let od = base.get('*')?.od ?? 0;
    return buckets.map((b, i) => {
      const p = zeroPeriod();
      const r = byBucket.get(b);
      p.carriedOver = ip;
      if (r) {
        readFlows(r, p);
        ip += Number(r.ip_delta);
        od += Number(r.od_delta);
      }
      const isLast = b === last;
      p.inProgress = ip;
      p.inProgressOverdue = isLast && live ? od - (turning.get('*') ?? 0) : od;
      p.syncTracked = syncTracked(b, p.received);
      return { start: b, end: ends[i]!, counters: p };
    });
  }

  /**
   * 1.4's denominator for each bucket of a series, as `syncTracked` gives it for one period: dossiers
   * received in the bucket at units whose sources had sent a `synced` event by the bucket's end
   * (`ends`). One query, reading the smaller side: the units tracked by the last end, or those not
   * yet tracked at some bucket's end (subtracted from the scope's received).
   */
  private async seriesSyncTracked(scope: Scope, grain: Grain, buckets: number[], ends: number[]): Promise<(bucket: number, received: number) => number> {
    // Instants as epoch ms, so the microseconds of a first sync are compared, not cut.
    const params: unknown[] = [buckets.map(iso), ends, ends[0]!, ends[ends.length - 1]!, iso(buckets[0]!), iso(buckets[buckets.length - 1]!)];
    const within = scope.kind === 'nation' ? 'TRUE' : scopeWhere(scope, params).replace(/\b(province_code|unit_code)\b/g, 'a.$1');
    const rows = (await this.db.query(
      `WITH u AS (
         SELECT a.unit_code, extract(epoch FROM s.first_synced_at)::float8 * 1000 AS since
         FROM unit_activity a LEFT JOIN unit_sync s USING (unit_code) WHERE ${within}
       ), n AS (
         SELECT count(*) FILTER (WHERE since < $4) AS ever, count(*) FILTER (WHERE since IS NULL OR since >= $3) AS sometimes FROM u
       ), side AS MATERIALIZED (
         SELECT u.unit_code, u.since, n.sometimes <= n.ever AS minus FROM u, n
         WHERE n.ever > 0 AND CASE WHEN n.sometimes <= n.ever THEN u.since IS NULL OR u.since >= $3 ELSE u.since < $4 END
       )
       SELECT n.ever::float8 AS ever, (n.sometimes <= n.ever) AS minus, x.b, x.n FROM n LEFT JOIN (
         SELECT extract(epoch FROM d.bucket) * 1000 AS b, sum(d.received)::float8 AS n
         FROM side t JOIN ${GRAIN_TABLE[grain]} d ON d.unit_code = t.unit_code AND d.bucket >= $5 AND d.bucket <= $6
         JOIN unnest($1::timestamptz[], $2::float8[]) AS k(bucket, bend) ON k.bucket = d.bucket
         WHERE CASE WHEN t.minus THEN t.since IS NULL OR t.since >= k.bend ELSE t.since < k.bend END
         GROUP BY d.bucket
       ) x ON TRUE`,
      params,
    )) as { ever: number; minus: boolean; b: string | number | null; n: number | null }[];
    const head = rows[0];
    if (!head || Number(head.ever) === 0) return () => 0;
    const byBucket = new Map(rows.filter((r) => r.b !== null).map((r) => [Number(r.b), Number(r.n)]));
    return head.minus ? (b, received) => received - (byBucket.get(b) ?? 0) : (b) => byBucket.get(b) ?? 0;
  }
}

/**
 * Splits [start, end) into whole months and remaining days. The last bucket
 * may be the current one, cut at now (`live`): its rows hold nothing after now
 * but the overdue starts, which flows do not read.
 */
function sumFlows(a: Map<string, ReadRow>, b: Map<string, ReadRow>): Map<string, ReadRow> {
  const out = new Map<string, ReadRow>();
  for (const m of [a, b]) {
    for (const [k, v] of m) {
      const o = out.get(k) ?? {};
      for (const f of FLOW_FIELDS) o[f] = (o[f] ?? 0) + (v[f] ?? 0);
      out.set(k, o);
    }
  }
  return out;
}

export function decompose(start: number, end: number, live: boolean): { months: number[]; days: number[] } {
  const months: number[] = [];
  const days: number[] = [];
  let t = start;
  while (t < end) {
    const mEnd = nextBucket(t, 'month');
    if (bucketStart(t, 'month') === t && (mEnd <= end || (live && end < mEnd))) {
      months.push(t);
      t = mEnd;
    } else {
      days.push(t);
      t += DAY_MS;
    }
  }
  return { months, days };
}
