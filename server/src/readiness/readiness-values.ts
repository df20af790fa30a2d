import type { LocalDate, ReadinessField, ReadinessVia } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/*
 * Readiness values (table readiness_value, one row per version), and the daily link
 * summaries the readiness view shows (link_day, written by the connectivity module's
 * retention). Each function runs on the connection it is given: the DataSource, or a
 * transaction's EntityManager.
 */

/** A version of a field's value. */
export interface ReadinessValueRow {
  communeCode: string;
  field: ReadinessField;
  value: number;
  asOf: LocalDate;
  source: string;
  recordedAt: Date;
  recordedBy: string;
  via: ReadinessVia;
}

/** A value to record. */
export interface NewReadinessValue {
  commune_code: string;
  province_code: string;
  field: ReadinessField;
  value: number;
  as_of: LocalDate;
  source: string;
}

/**
 * A value written in bulk as a province's system would push it (the demo's profiles):
 * `c` commune, `p` province, `f` field, `v` value, `d` date, `s` source, `b` recorded by.
 */
export interface ReadinessRecord {
  c: string;
  p: string;
  f: ReadinessField;
  v: number;
  d: LocalDate;
  s: string;
  b: string;
}

/** A commune's link over some closed days, summed from the daily summaries. */
export interface LinkDaysSummary {
  communeCode: string;
  days: number;
  up: number;
  total: number;
  outage: number;
}

const COLUMNS = `commune_code AS "communeCode", field, value, to_char(as_of, 'YYYY-MM-DD') AS "asOf", source, recorded_at AS "recordedAt", recorded_by AS "recordedBy", via`;

/**
 * Records the values that differ from the current version of their field (value, date
 * and source); answers how many were recorded. Writers of the same commune take turns
 * (a lock per commune until the transaction ends), so "unchanged" is judged against the
 * version written just before. Run in a transaction.
 */
export async function recordReadinessValues(q: Queryable, rows: NewReadinessValue[], by: string, via: ReadinessVia): Promise<number> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('readiness:' || c)) FROM unnest($1::text[]) AS c ORDER BY c`, [[...new Set(rows.map((r) => r.commune_code))].sort()]);
  const [row] = (await q.query(
    `WITH x AS (SELECT commune_code, province_code, field, value, as_of, source
                  FROM json_to_recordset($1::json) AS x(commune_code text, province_code text, field text, value float8, as_of date, source text)),
          cur AS (SELECT DISTINCT ON (v.commune_code, v.field) v.commune_code, v.field, v.value, v.as_of, v.source
                    FROM readiness_value v JOIN (SELECT DISTINCT commune_code FROM x) c USING (commune_code)
                   ORDER BY v.commune_code, v.field, v.as_of DESC, v.id DESC),
          ins AS (INSERT INTO readiness_value (commune_code, province_code, field, value, as_of, source, recorded_by, via)
                  SELECT x.commune_code, x.province_code, x.field, x.value, x.as_of, x.source, $2, $3 FROM x
                   WHERE NOT EXISTS (SELECT 1 FROM cur WHERE cur.commune_code = x.commune_code AND cur.field = x.field
                                       AND cur.value = x.value AND cur.as_of = x.as_of AND cur.source = x.source)
                  RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [JSON.stringify(rows), by, via],
  )) as { n: number }[];
  return row!.n;
}

/** The current version of every field of the communes of a province, of one commune, or of all (null). */
export async function currentReadinessValues(q: Queryable, within: { provinceCode: string } | { communeCode: string } | null): Promise<ReadinessValueRow[]> {
  const [where, args] = within === null ? ['TRUE', []] : 'provinceCode' in within ? ['province_code = $1', [within.provinceCode]] : ['commune_code = $1', [within.communeCode]];
  return (await q.query(`SELECT DISTINCT ON (commune_code, field) ${COLUMNS} FROM readiness_value WHERE ${where} ORDER BY commune_code, field, as_of DESC, id DESC`, args)) as ReadinessValueRow[];
}

/** Every version of a commune's fields: by field, the current one first. */
export async function readinessHistory(q: Queryable, communeCode: string): Promise<ReadinessValueRow[]> {
  return (await q.query(`SELECT ${COLUMNS} FROM readiness_value WHERE commune_code = $1 ORDER BY field, as_of DESC, id DESC`, [communeCode])) as ReadinessValueRow[];
}

export async function countReadinessValues(q: Queryable): Promise<number> {
  const [row] = (await q.query(`SELECT count(*)::int AS n FROM readiness_value`)) as { n: number }[];
  return row!.n;
}

/** Values written in bulk, recorded as pushed with a key. */
export async function insertReadinessValues(q: Queryable, rows: ReadinessRecord[]): Promise<void> {
  await q.query(
    `INSERT INTO readiness_value (commune_code, province_code, field, value, as_of, source, recorded_by, via)
     SELECT c, p, f, v, d, s, b, 'api-key' FROM json_to_recordset($1::json) AS x(c text, p text, f text, v float8, d date, s text, b text)`,
    [JSON.stringify(rows)],
  );
}

/** Each commune's link over the local days [from, to), of a province, of one commune, or of all (null). */
export async function linkDaysSummaries(q: Queryable, from: LocalDate, to: LocalDate, within: { provinceCode: string } | { communeCode: string } | null): Promise<LinkDaysSummary[]> {
  const filter = within === null ? '' : 'provinceCode' in within ? 'AND province_code = $3' : 'AND commune_code = $3';
  return (await q.query(
    `SELECT commune_code AS "communeCode", count(*)::int AS days, sum(up_minutes)::float8 AS up, sum(up_minutes + degraded_minutes + down_minutes)::float8 AS total,
            sum(outage_working_minutes)::int AS outage
       FROM link_day WHERE day >= $1 AND day < $2 ${filter} GROUP BY commune_code`,
    within === null ? [from, to] : [from, to, 'provinceCode' in within ? within.provinceCode : within.communeCode],
  )) as LinkDaysSummary[];
}
