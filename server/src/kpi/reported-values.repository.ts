import type { Period, ReportedSubIndicatorId, ReportedValueInput, Scope } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/*
 * Reported indicator values (table reported_value): one row per unit, month and
 * sub-indicator, the last report winning.
 */

/** A stored reported value. */
export interface StoredReportedValue {
  unitCode: string;
  provinceCode: string;
  /** YYYY-MM. */
  month: string;
  subIndicator: ReportedSubIndicatorId;
  numerator: number;
  denominator: number;
  reportedBy: string;
  reportedAt: Date;
}

/** The months a period touches, as first days (YYYY-MM-01): a month's reported values count in every period that overlaps it. */
export function monthsOf(period: Pick<Period, 'from' | 'to'>): { first: string; last: string } {
  return { first: `${period.from.slice(0, 7)}-01`, last: `${period.to.slice(0, 7)}-01` };
}

/** The reported values of a scope as a WHERE fragment. */
function scopeWhere(scope: Scope, params: unknown[]): string {
  if (scope.kind === 'nation') return 'TRUE';
  params.push(scope.code);
  return `${scope.kind === 'province' ? 'province_code' : 'unit_code'} = $${params.length}`;
}

/**
 * Stores values (each unit, month and sub-indicator at most once), replacing what was
 * reported before for the same ones; answers which replaced a stored value.
 */
export async function upsertReportedValues(
  q: Queryable,
  values: readonly (ReportedValueInput & { provinceCode: string })[],
  by: { keyId: string | null; name: string },
): Promise<{ unitCode: string; month: string; subIndicator: string; replaced: boolean }[]> {
  return (await q.query(
    `INSERT INTO reported_value AS r (unit_code, province_code, month, sub_indicator, numerator, denominator, key_id, reported_by, reported_at)
     SELECT u, p, (m || '-01')::date, s, n, d, $2, $3, now() FROM json_to_recordset($1::json) AS x(u text, p text, m text, s text, n int, d int)
     ON CONFLICT (unit_code, month, sub_indicator) DO UPDATE SET numerator = excluded.numerator, denominator = excluded.denominator,
       key_id = excluded.key_id, reported_by = excluded.reported_by, reported_at = excluded.reported_at
     RETURNING unit_code AS "unitCode", to_char(month, 'YYYY-MM') AS month, sub_indicator AS "subIndicator", (xmax <> 0) AS replaced`,
    [JSON.stringify(values.map((v) => ({ u: v.unitCode, p: v.provinceCode, m: v.month, s: v.subIndicator, n: v.numerator, d: v.denominator }))), by.keyId, by.name],
  )) as { unitCode: string; month: string; subIndicator: string; replaced: boolean }[];
}

/** The values of a scope in the months a period touches, the latest reported first. */
export async function reportedValuesOf(q: Queryable, scope: Scope, period: Pick<Period, 'from' | 'to'>): Promise<StoredReportedValue[]> {
  const { first, last } = monthsOf(period);
  const params: unknown[] = [first, last];
  const where = scopeWhere(scope, params);
  return (await q.query(
    `SELECT unit_code AS "unitCode", province_code AS "provinceCode", to_char(month, 'YYYY-MM') AS month, sub_indicator AS "subIndicator",
            numerator, denominator, reported_by AS "reportedBy", reported_at AS "reportedAt"
     FROM reported_value WHERE month >= $1 AND month <= $2 AND ${where} ORDER BY reported_at DESC, unit_code, month, sub_indicator`,
    params,
  )) as StoredReportedValue[];
}

/** The values of a scope summed per month (YYYY-MM) and sub-indicator, in the months a period touches. */
export async function reportedSumsByMonth(
  q: Queryable,
  scope: Scope,
  period: Pick<Period, 'from' | 'to'>,
): Promise<{ month: string; subIndicator: ReportedSubIndicatorId; numerator: number; denominator: number }[]> {
  const { first, last } = monthsOf(period);
  const params: unknown[] = [first, last];
  const where = scopeWhere(scope, params);
  return (await q.query(
    `SELECT to_char(month, 'YYYY-MM') AS month, sub_indicator AS "subIndicator", sum(numerator)::float8 AS numerator, sum(denominator)::float8 AS denominator
     FROM reported_value WHERE month >= $1 AND month <= $2 AND ${where} GROUP BY month, sub_indicator`,
    params,
  )) as { month: string; subIndicator: ReportedSubIndicatorId; numerator: number; denominator: number }[];
}

/** The months (YYYY-MM) for which a unit has reported any value. */
export async function monthsReportedBy(q: Queryable, unitCode: string): Promise<Set<string>> {
  const rows = (await q.query(`SELECT DISTINCT to_char(month, 'YYYY-MM') AS m FROM reported_value WHERE unit_code = $1`, [unitCode])) as { m: string }[];
  return new Set(rows.map((r) => r.m));
}
