import { FEEDBACK_STATES, type FeedbackState, type FeedbackStatus, type FeedbackTopic, type Scope, type UnitRef } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';
import { feedbackScopeWhere } from './feedback-counts.js';

/*
 * Feedback items (table feedback) as the feedback list and summary read them, with
 * each item's state at `now` computed in SQL exactly as feedbackStateAt does:
 * answered once the first answer is at or before now; an open item is overdue once
 * its due date lies before now.
 */

/** Which items: those of a scope whose `feedback_received` has arrived, of some topics (null: all), received in [start, end) (null: ever). */
export interface FeedbackFilter {
  scope: Scope | UnitRef;
  topics: FeedbackTopic[] | null;
  received: { start: number; end: number } | null;
}

/** How many items are in each state, and in all. */
export type FeedbackStateTotals = Record<FeedbackState | 'total', number>;

/** One topic's counts: by state, and of follow-ups, ratings and dissatisfaction. */
export interface FeedbackTopicCounts extends FeedbackStateTotals {
  topic: FeedbackTopic;
  followUps: number;
  followedUp: number;
  rated: number;
  unsatisfied: number;
}

export interface FeedbackItemRow {
  feedbackId: string;
  unitCode: string;
  topic: FeedbackTopic;
  dossierId: string | null;
  followUpOf: string | null;
  receivedAt: Date;
  dueAt: Date;
  answeredAt: Date | null;
  satisfied: boolean | null;
  followedUpAt: Date | null;
}

/* States at $1 (now). */
const UNANSWERED = `(answered_at IS NULL OR answered_at > $1)`;
const STATE_SQL: Record<FeedbackState, string> = {
  open: `${UNANSWERED} AND due_at >= $1`,
  overdue: `${UNANSWERED} AND due_at < $1`,
  answered_on_time: `answered_at <= $1 AND answered_at <= due_at`,
  answered_late: `answered_at <= $1 AND answered_at > due_at`,
};
const STATUS_SQL: Record<FeedbackStatus, string> = { open: STATE_SQL.open, overdue: STATE_SQL.overdue, answered: `answered_at <= $1` };
const COUNTS_SQL = `${FEEDBACK_STATES.map((s) => `count(*) FILTER (WHERE ${STATE_SQL[s]})::int AS ${s}`).join(', ')}, count(*)::int AS total`;

/** The WHERE clause of `f`, and its arguments after $1 (now). */
function whereOf(f: FeedbackFilter, now: number): { where: string; args: unknown[] } {
  const args: unknown[] = [new Date(now).toISOString()];
  const where = [feedbackScopeWhere(f.scope, args)];
  if (f.topics !== null) where.push(`topic = ANY($${args.push(f.topics)}::text[])`);
  if (f.received) where.push(`received_at >= $${args.push(new Date(f.received.start).toISOString())}`, `received_at < $${args.push(new Date(f.received.end).toISOString())}`);
  return { where: where.join(' AND '), args };
}

/** The items of `f` by state at `now`. */
export async function feedbackStateTotals(q: Queryable, f: FeedbackFilter, now: number): Promise<FeedbackStateTotals | null> {
  const { where, args } = whereOf(f, now);
  const [row] = (await q.query(`SELECT ${COUNTS_SQL} FROM feedback WHERE ${where}`, args)) as FeedbackStateTotals[];
  return row ?? null;
}

/**
 * A page of the items of `f` in some statuses at `now` (null: any): the open ones first,
 * soonest due first, then the answered ones, latest answer first.
 */
export async function feedbackItems(q: Queryable, f: FeedbackFilter, statuses: FeedbackStatus[] | null, now: number, limit: number, offset: number): Promise<FeedbackItemRow[]> {
  const { where, args } = whereOf(f, now);
  const statusWhere = statuses === null ? 'TRUE' : statuses.map((s) => `(${STATUS_SQL[s]})`).join(' OR ');
  const pageArgs = [...args, limit, offset];
  return (await q.query(
    `SELECT feedback_id AS "feedbackId", unit_code AS "unitCode", topic, dossier_id AS "dossierId", follow_up_of AS "followUpOf", received_at AS "receivedAt",
            due_at AS "dueAt", answered_at AS "answeredAt", satisfied, followed_up_at AS "followedUpAt"
     FROM feedback WHERE ${where} AND (${statusWhere})
     ORDER BY coalesce(answered_at <= $1, false), CASE WHEN ${UNANSWERED} THEN due_at END, answered_at DESC, feedback_id COLLATE "C"
     LIMIT $${pageArgs.length - 1} OFFSET $${pageArgs.length}`,
    pageArgs,
  )) as FeedbackItemRow[];
}

/** The counts of `f` at `now` per topic (topics without items are absent). */
export async function feedbackTopicCounts(q: Queryable, f: FeedbackFilter, now: number): Promise<FeedbackTopicCounts[]> {
  const { where, args } = whereOf(f, now);
  return (await q.query(
    `SELECT topic, ${COUNTS_SQL},
            count(*) FILTER (WHERE follow_up_of IS NOT NULL)::int AS "followUps",
            count(*) FILTER (WHERE followed_up_at IS NOT NULL)::int AS "followedUp",
            count(*) FILTER (WHERE rated_at IS NOT NULL)::int AS rated,
            count(*) FILTER (WHERE satisfied = false)::int AS unsatisfied
     FROM feedback WHERE ${where} GROUP BY topic`,
    args,
  )) as FeedbackTopicCounts[];
}
