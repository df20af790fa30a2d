import { FLOW_FIELDS, columnOf } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';
import { DEFERRED_COLUMNS, GRAIN_TABLE } from '../projection/rollup-tables.js';

/*
 * What the rule observations read besides the running stocks, read only: the rollups
 * (kpi_daily, kpi_monthly, kpi_hourly, kpi_deferred) and when each unit last delivered
 * (unit_activity), which the projector writes, and each commune's last heartbeat
 * (link_status), which connectivity writes. Thousands of rows come as one JSON value
 * each, parsed natively: several times cheaper than the driver's row by row. Instants
 * are given and answered as epoch ms (whole milliseconds, as a Date read from a column holds them).
 */

/** Flow counters of a rollup row, in FLOW_FIELDS order, then its in-progress delta. */
export const BUCKET_COLUMNS = [...FLOW_FIELDS.map(columnOf), 'ip_delta'];

/** A unit's counters (`columns` of the read, in order) in a group of the read; `group` is '' when the read has one group. */
export type CounterRow = [group: string, unitCode: string, ...counters: number[]];
/** The `k`-th counter of a row (by a computed position, TypeScript would type it as a code too). */
export const counterOf = (r: CounterRow, k: number) => r[k + 2] as number;

/** Rows `g, unit_code, <columns>` of `sql`, as CounterRows. */
async function counterRows(q: Queryable, sql: string, params: unknown[], columns: readonly string[]): Promise<CounterRow[]> {
  const [{ rows }] = (await q.query(`SELECT coalesce(json_agg(json_build_array(r.g, r.unit_code, ${columns.map((c) => `r.${c}`).join(', ')})), '[]') AS rows FROM (${sql}) r`, params)) as {
    rows: CounterRow[];
  }[];
  return rows;
}

const iso = (ms: number) => new Date(ms).toISOString();
const sums = (columns: readonly string[]) => columns.map((c) => `sum(${c})::float8 AS ${c}`).join(', ');

/** Every unit's BUCKET_COLUMNS of one day's or month's rollup row. */
export function bucketCounters(q: Queryable, grain: 'day' | 'month', start: number): Promise<CounterRow[]> {
  return counterRows(q, `SELECT '' AS g, unit_code, ${BUCKET_COLUMNS.join(', ')} FROM ${GRAIN_TABLE[grain]} WHERE bucket = $1`, [iso(start)], BUCKET_COLUMNS);
}

/** Every unit's DEFERRED_COLUMNS of a day's (`d`) or month's (`m`) cohort achieved before `before`. */
export function cohortDeferredCounters(q: Queryable, grain: 'd' | 'm', cohort: number, before: number): Promise<CounterRow[]> {
  return counterRows(
    q,
    `SELECT '' AS g, unit_code, ${sums(DEFERRED_COLUMNS)} FROM kpi_deferred WHERE grain = $1 AND cohort_bucket = $2 AND achieved_day < $3 GROUP BY unit_code`,
    [grain, iso(cohort), iso(before)],
    DEFERRED_COLUMNS,
  );
}

/**
 * Every unit's DEFERRED_COLUMNS per cohort, grouped by `<grain><cohort start in epoch ms>`:
 * those achieved from `today` to `now` (cohorts from `since`), and those of today's and
 * of `month`'s cohorts achieved before `today`.
 */
export function freshDeferredCounters(q: Queryable, now: number, since: number, today: number, month: number): Promise<CounterRow[]> {
  const columns = `grain, cohort_bucket, unit_code, ${DEFERRED_COLUMNS.join(', ')}`;
  return counterRows(
    q,
    `SELECT grain || (extract(epoch FROM cohort_bucket) * 1000)::bigint AS g, unit_code, ${sums(DEFERRED_COLUMNS)} FROM (
       SELECT ${columns} FROM kpi_deferred WHERE achieved_day >= $3 AND achieved_day < $1 AND cohort_bucket >= $2
       UNION ALL
       SELECT ${columns} FROM kpi_deferred WHERE ((grain = 'd' AND cohort_bucket = $3) OR (grain = 'm' AND cohort_bucket = $4)) AND achieved_day < $3
     ) x GROUP BY grain, cohort_bucket, unit_code`,
    [iso(now), iso(since), iso(today), iso(month)],
    DEFERRED_COLUMNS,
  );
}

/** Every unit's `received` in one hour. */
export function hourReceived(q: Queryable, hour: number): Promise<CounterRow[]> {
  return counterRows(q, `SELECT '' AS g, unit_code, received FROM kpi_hourly WHERE bucket = $1`, [iso(hour)], ['received']);
}

/** Every unit's `received` summed over some hours. */
export function hoursReceived(q: Queryable, hours: number[]): Promise<CounterRow[]> {
  return counterRows(q, `SELECT '' AS g, unit_code, sum(received)::float8 AS received FROM kpi_hourly WHERE bucket = ANY($1::timestamptz[]) GROUP BY unit_code`, [hours.map(iso)], ['received']);
}

/** When each unit with a code of `codeLength` characters (2: provinces, 5: communes) last delivered an event. */
export async function lastDeliveries(q: Queryable, codeLength: number): Promise<[unitCode: string, at: number][]> {
  const [{ rows }] = (await q.query(
    `SELECT coalesce(json_agg(json_build_array(unit_code, floor(extract(epoch FROM last_ingested_at) * 1000))), '[]') AS rows FROM unit_activity WHERE length(unit_code) = $1`,
    [codeLength],
  )) as { rows: [string, number][] }[];
  return rows;
}

/** Each commune's last heartbeat heard since `since`, and the events its relay had yet to send then. */
export async function lastHeartbeats(q: Queryable, since: number): Promise<[communeCode: string, at: number, backlogEvents: number][]> {
  const [{ rows }] = (await q.query(
    `SELECT coalesce(json_agg(json_build_array(commune_code, floor(extract(epoch FROM last_at) * 1000), backlog_events)), '[]') AS rows
       FROM link_status WHERE last_at >= $1`,
    [new Date(since)],
  )) as { rows: [string, number, number][] }[];
  return rows;
}
