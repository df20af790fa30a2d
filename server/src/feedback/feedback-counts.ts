import { type FeedbackCounts, type FeedbackFacts, type Scope, type UnitRef } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';
import type { GroupBy } from '../units/group-by.js';

const KEY_SQL: Record<GroupBy, string> = { none: `'*'`, unit: 'unit_code', province: 'province_code' };

/** The feedback of a scope (only items whose `feedback_received` has arrived) as a WHERE fragment. */
export function feedbackScopeWhere(scope: Scope | UnitRef, args: unknown[]): string {
  if (scope.kind === 'nation') return 'received_at IS NOT NULL';
  args.push(scope.code);
  return `received_at IS NOT NULL AND ${scope.kind === 'commune' ? 'unit_code' : 'province_code'} = $${args.length}`;
}

/*
 * Open at the period end ($2): not answered before it. Overdue by the period end: the due
 * date passed before the answer, or before the period end while still open. The same rules
 * as feedbackCounts (shared/src/feedback.ts), which its table tests pin down.
 */
const ANSWERED_IN = `answered_at >= $1 AND answered_at < $2`;
const OPEN_AT_END = `(answered_at IS NULL OR answered_at >= $2)`;
const FIRST_TIME_IN = `follow_up_of IS NULL AND received_at >= $1`;
const OVERDUE_BY_END = `((answered_at < $2 AND answered_at > due_at) OR (${OPEN_AT_END} AND due_at < $2))`;

/**
 * The records that can count in [$1, $2): received before its end and not answered
 * before its start (or, oddly, answered before their own receipt within it), as three
 * disjoint parts that each read an index, so a request reads the period's records
 * rather than the whole history: open ones, ones answered since the start, the rest.
 */
function inPeriod(where: string, columns: string): string {
  return [
    `SELECT ${columns} FROM feedback WHERE ${where} AND answered_at IS NULL AND received_at < $2`,
    `SELECT ${columns} FROM feedback WHERE ${where} AND answered_at >= $1 AND received_at < $2`,
    `SELECT ${columns} FROM feedback WHERE ${where} AND answered_at < $1 AND received_at >= $1 AND received_at < $2`,
  ].join(' UNION ALL ');
}

/**
 * The counts of sub-indicators 5.2 and 5.3 of a scope over [start, end), grouped like the
 * rollup queries ('*', per unit or per province): one set-based query over the feedback
 * records, which are few (about 1–3 per 1,000 dossiers). Groups without feedback are absent.
 */
export async function feedbackIndexCounts(db: Queryable, scope: Scope, start: number, end: number, groupBy: GroupBy): Promise<Map<string, FeedbackCounts>> {
  const args: unknown[] = [new Date(start).toISOString(), new Date(end).toISOString()];
  const where = feedbackScopeWhere(scope, args);
  const rows = (await db.query(
    `SELECT k,
            count(*) FILTER (WHERE ${ANSWERED_IN})::int AS answered,
            count(*) FILTER (WHERE ${ANSWERED_IN} AND answered_at <= due_at)::int AS answered_on_time,
            count(*) FILTER (WHERE ${OPEN_AT_END})::int AS open,
            count(*) FILTER (WHERE ${OPEN_AT_END} AND due_at < $2)::int AS open_overdue,
            count(*) FILTER (WHERE ${FIRST_TIME_IN})::int AS first_time,
            count(*) FILTER (WHERE ${FIRST_TIME_IN} AND (${OVERDUE_BY_END} OR unsatisfied_at < $2 OR followed_up_at < $2))::int AS first_time_lost
     FROM (${inPeriod(where, `${KEY_SQL[groupBy]} AS k, received_at, due_at, answered_at, follow_up_of, unsatisfied_at, followed_up_at`)}) f
     GROUP BY 1`,
    args,
  )) as { k: string; answered: number; answered_on_time: number; open: number; open_overdue: number; first_time: number; first_time_lost: number }[];
  return new Map(
    rows.map((r) => [
      r.k,
      {
        feedbackAnswered: r.answered,
        feedbackAnsweredOnTime: r.answered_on_time,
        feedbackOpen: r.open,
        feedbackOpenOverdue: r.open_overdue,
        feedbackFirstTime: r.first_time,
        feedbackFirstTimeLost: r.first_time_lost,
      },
    ]),
  );
}

/**
 * The feedback records of `scope` that can count in some period within [start, end), as
 * the facts feedbackCounts and feedbackCountsByBucket take: a series reads them once,
 * alongside its rollups, then counts each of its points from them.
 */
export async function feedbackFactsOf(db: Queryable, scope: Scope, start: number, end: number): Promise<FeedbackFacts[]> {
  const args: unknown[] = [new Date(start).toISOString(), new Date(end).toISOString()];
  const where = feedbackScopeWhere(scope, args);
  const ms = (c: string) => `(extract(epoch FROM ${c}) * 1000)::float8`;
  const rows = (await db.query(
    `SELECT ${ms('received_at')} AS r, ${ms('due_at')} AS d, ${ms('answered_at')} AS a, follow_up_of IS NULL AS f, ${ms('followed_up_at')} AS fu, ${ms('unsatisfied_at')} AS u
     FROM (${inPeriod(where, 'received_at, due_at, answered_at, follow_up_of, unsatisfied_at, followed_up_at')}) f`,
    args,
  )) as { r: number; d: number; a: number | null; f: boolean; fu: number | null; u: number | null }[];
  return rows.map((x) => ({ receivedAt: x.r, dueAt: x.d, answeredAt: x.a, firstTime: x.f, followedUpAt: x.fu, unsatisfiedAt: x.u }));
}
