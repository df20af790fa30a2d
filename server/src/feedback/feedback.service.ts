import { Injectable } from '@nestjs/common';
import {
  DEFAULT_FEEDBACK_LIMIT,
  FEEDBACK_STATES,
  FEEDBACK_STATUSES,
  FEEDBACK_TOPICS,
  type FeedbackItem,
  type FeedbackListResponse,
  type FeedbackState,
  type FeedbackStateCounts,
  type FeedbackStatus,
  type FeedbackSummaryResponse,
  type FeedbackTopic,
  HOUR_MS,
  type LocalDate,
  MAX_FEEDBACK_LIMIT,
  type Permission,
  type Principal,
  type UnitRef,
  feedbackStateAt,
  formatScope,
  resolvePeriod,
  round2,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { AccessService } from '../auth/access.service.js';
import { badRequest } from '../common/app-error.js';
import { positive } from '../common/validation.js';
import { UnitsService } from '../units/units.service.js';
import { feedbackScopeWhere } from './feedback-counts.js';

export const FEEDBACK_QUERY = ['scope', 'status', 'topic', 'from', 'to', 'limit', 'offset'] as const;
export type FeedbackQuery = Partial<Record<(typeof FEEDBACK_QUERY)[number], string>>;
export const FEEDBACK_SUMMARY_QUERY = ['scope', 'topic', 'from', 'to'] as const;
export type FeedbackSummaryQuery = Partial<Record<(typeof FEEDBACK_SUMMARY_QUERY)[number], string>>;

/** The largest offset of a page. */
const MAX_OFFSET = 1_000_000;

/*
 * States at $1 (now), exactly as feedbackStateAt: answered once the first answer is at or
 * before now; an open item is overdue once its due date lies before now.
 */
const UNANSWERED = `(answered_at IS NULL OR answered_at > $1)`;
const STATE_SQL: Record<FeedbackState, string> = {
  open: `${UNANSWERED} AND due_at >= $1`,
  overdue: `${UNANSWERED} AND due_at < $1`,
  answered_on_time: `answered_at <= $1 AND answered_at <= due_at`,
  answered_late: `answered_at <= $1 AND answered_at > due_at`,
};
const STATUS_SQL: Record<FeedbackStatus, string> = { open: STATE_SQL.open, overdue: STATE_SQL.overdue, answered: `answered_at <= $1` };
const STATUS_STATES: Record<FeedbackStatus, FeedbackState[]> = { open: ['open'], overdue: ['overdue'], answered: ['answered_on_time', 'answered_late'] };
const COUNTS_SQL = `${FEEDBACK_STATES.map((s) => `count(*) FILTER (WHERE ${STATE_SQL[s]})::int AS ${s}`).join(', ')}, count(*)::int AS total`;

interface Row {
  feedback_id: string;
  unit_code: string;
  topic: FeedbackTopic;
  dossier_id: string | null;
  follow_up_of: string | null;
  received_at: Date;
  due_at: Date;
  answered_at: Date | null;
  satisfied: boolean | null;
  followed_up_at: Date | null;
}
type CountsRow = Record<FeedbackState | 'total', number>;

const stateCounts = (r: CountsRow | undefined): FeedbackStateCounts => ({
  open: r?.open ?? 0,
  overdue: r?.overdue ?? 0,
  answered_on_time: r?.answered_on_time ?? 0,
  answered_late: r?.answered_late ?? 0,
  total: r?.total ?? 0,
});

/** Citizen feedback (PAKN) of a scope: the items to act on, and counts for an operations view. */
@Injectable()
export class FeedbackService {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly access: AccessService,
  ) {}

  async list(q: FeedbackQuery, p: Principal, now = Date.now()): Promise<FeedbackListResponse> {
    const unit = this.scopeOf(q.scope, p, 'dossiers');
    const status = listOf(q.status, 'status', FEEDBACK_STATUSES);
    const topic = listOf(q.topic, 'topic', FEEDBACK_TOPICS);
    const dates = this.datesOf(q.from, q.to, now);
    const limit = positive(q.limit, 'limit', DEFAULT_FEEDBACK_LIMIT, MAX_FEEDBACK_LIMIT);
    const offset = offsetOf(q.offset);
    const iso = (ms: number) => new Date(ms).toISOString();

    const args: unknown[] = [iso(now)];
    const where = this.where(unit, topic, dates, args);
    const statusWhere = status.length === FEEDBACK_STATUSES.length ? 'TRUE' : status.map((s) => `(${STATUS_SQL[s]})`).join(' OR ');
    const { totals, total, rows } = await this.db.transaction('REPEATABLE READ', async (m) => {
      const [t] = (await m.query(`SELECT ${COUNTS_SQL} FROM feedback WHERE ${where}`, args)) as CountsRow[];
      const pageArgs = [...args, limit, offset];
      const rows = (await m.query(
        `SELECT feedback_id, unit_code, topic, dossier_id, follow_up_of, received_at, due_at, answered_at, satisfied, followed_up_at
         FROM feedback WHERE ${where} AND (${statusWhere})
         ORDER BY coalesce(answered_at <= $1, false), CASE WHEN ${UNANSWERED} THEN due_at END, answered_at DESC, feedback_id COLLATE "C"
         LIMIT $${pageArgs.length - 1} OFFSET $${pageArgs.length}`,
        pageArgs,
      )) as Row[];
      const totals = stateCounts(t);
      // The statuses partition the states: the items of every page are those of the statuses asked for.
      return { totals, total: status.reduce((n, st) => n + STATUS_STATES[st].reduce((k, state) => k + totals[state], 0), 0), rows };
    });

    return {
      scope: formatScope(unit),
      asOf: iso(now),
      from: dates?.from ?? null,
      to: dates?.to ?? null,
      status,
      topic,
      totals,
      total,
      limit,
      offset,
      items: rows.map((r): FeedbackItem => {
        const facts = { dueAt: r.due_at.getTime(), answeredAt: r.answered_at?.getTime() ?? null };
        const state = feedbackStateAt(facts, now);
        const open = state === 'open' || state === 'overdue';
        return {
          feedbackId: r.feedback_id,
          unitCode: r.unit_code,
          unitName: this.units.unitName(r.unit_code),
          topic: r.topic,
          dossierId: r.dossier_id,
          followUpOf: r.follow_up_of,
          receivedAt: r.received_at.toISOString(),
          dueAt: r.due_at.toISOString(),
          answeredAt: open ? null : r.answered_at!.toISOString(),
          satisfied: r.satisfied,
          followedUp: r.followed_up_at !== null,
          state,
          hoursLeft: open ? round2((facts.dueAt - now) / HOUR_MS) : null,
        };
      }),
    };
  }

  async summary(q: FeedbackSummaryQuery, p: Principal, now = Date.now()): Promise<FeedbackSummaryResponse> {
    const unit = this.scopeOf(q.scope, p, 'figures');
    const topic = listOf(q.topic, 'topic', FEEDBACK_TOPICS);
    const dates = this.datesOf(q.from, q.to, now);
    const args: unknown[] = [new Date(now).toISOString()];
    const where = this.where(unit, topic, dates, args);
    const rows = (await this.db.query(
      `SELECT topic, ${COUNTS_SQL},
              count(*) FILTER (WHERE follow_up_of IS NOT NULL)::int AS follow_ups,
              count(*) FILTER (WHERE followed_up_at IS NOT NULL)::int AS followed_up,
              count(*) FILTER (WHERE rated_at IS NOT NULL)::int AS rated,
              count(*) FILTER (WHERE satisfied = false)::int AS unsatisfied
       FROM feedback WHERE ${where} GROUP BY topic`,
      args,
    )) as (CountsRow & { topic: FeedbackTopic; follow_ups: number; followed_up: number; rated: number; unsatisfied: number })[];
    const byTopic = Object.fromEntries(FEEDBACK_TOPICS.map((t) => [t, stateCounts(rows.find((r) => r.topic === t))])) as Record<FeedbackTopic, FeedbackStateCounts>;
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
    return {
      scope: formatScope(unit),
      asOf: new Date(now).toISOString(),
      from: dates?.from ?? null,
      to: dates?.to ?? null,
      totals: {
        open: sum((r) => r.open),
        overdue: sum((r) => r.overdue),
        answered_on_time: sum((r) => r.answered_on_time),
        answered_late: sum((r) => r.answered_late),
        total: sum((r) => r.total),
      },
      byTopic,
      followUps: sum((r) => r.follow_ups),
      followedUp: sum((r) => r.followed_up),
      rated: sum((r) => r.rated),
      unsatisfied: sum((r) => r.unsatisfied),
    };
  }

  /** The unit asked for (the caller's scope by default), once the caller may see it: 400 malformed, 404 unknown, 403 outside. */
  private scopeOf(raw: string | undefined, p: Principal, permission: Permission): UnitRef {
    return this.access.assertScope(p, permission, raw ?? formatScope(p.scope));
  }

  /** Receipt dates, local (Asia/Ho_Chi_Minh), as /kpis reads them: either may be left out (then today). Null when both are. */
  private datesOf(from: string | undefined, to: string | undefined, now: number): { from: LocalDate; to: LocalDate; start: number; end: number } | null {
    if (from === undefined && to === undefined) return null;
    const r = resolvePeriod(from, to, now);
    if (!r.ok) throw badRequest(r.reason);
    return { from: r.period.from, to: r.period.to, start: r.period.start, end: r.period.end };
  }

  private where(unit: UnitRef, topic: FeedbackTopic[], dates: { start: number; end: number } | null, args: unknown[]): string {
    const where = [feedbackScopeWhere(unit, args)];
    if (topic.length < FEEDBACK_TOPICS.length) where.push(`topic = ANY($${args.push(topic)}::text[])`);
    if (dates) where.push(`received_at >= $${args.push(new Date(dates.start).toISOString())}`, `received_at < $${args.push(new Date(dates.end).toISOString())}`);
    return where.join(' AND ');
  }
}

/** Items to skip: a whole number from 0, 0 when absent. */
function offsetOf(v: string | undefined): number {
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v) || Number(v) > MAX_OFFSET) throw badRequest(`offset must be a whole number from 0 to ${MAX_OFFSET.toLocaleString('en')}, got "${v}"`);
  return Number(v);
}

/** A comma-separated filter of allowed values (all of them when absent), in their canonical order: 400 naming a bad one. */
function listOf<T extends string>(raw: string | undefined, name: string, allowed: readonly T[]): T[] {
  if (raw === undefined) return [...allowed];
  const list = raw.split(',');
  const bad = list.filter((s) => !allowed.includes(s as T));
  if (bad.length || raw === '') throw badRequest(`${name} must be one or more of ${allowed.join(', ')} (comma-separated), got "${raw}"`);
  return allowed.filter((s) => list.includes(s));
}
