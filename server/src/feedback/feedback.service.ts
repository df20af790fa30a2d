import { Injectable } from '@nestjs/common';
import {
  DEFAULT_FEEDBACK_LIMIT,
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
import { type FeedbackFilter, type FeedbackStateTotals, feedbackItems, feedbackStateTotals, feedbackTopicCounts } from './feedback-items.js';

export const FEEDBACK_QUERY = ['scope', 'status', 'topic', 'from', 'to', 'limit', 'offset'] as const;
export type FeedbackQuery = Partial<Record<(typeof FEEDBACK_QUERY)[number], string>>;
export const FEEDBACK_SUMMARY_QUERY = ['scope', 'topic', 'from', 'to'] as const;
export type FeedbackSummaryQuery = Partial<Record<(typeof FEEDBACK_SUMMARY_QUERY)[number], string>>;

/** The largest offset of a page. */
const MAX_OFFSET = 1_000_000;

const STATUS_STATES: Record<FeedbackStatus, FeedbackState[]> = { open: ['open'], overdue: ['overdue'], answered: ['answered_on_time', 'answered_late'] };

const stateCounts = (r: FeedbackStateTotals | null | undefined): FeedbackStateCounts => ({
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

    const f = this.filter(unit, topic, dates);
    const { totals, total, rows } = await this.db.transaction('REPEATABLE READ', async (m) => {
      const totals = stateCounts(await feedbackStateTotals(m, f, now));
      const rows = await feedbackItems(m, f, status.length === FEEDBACK_STATUSES.length ? null : status, now, limit, offset);
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
        const facts = { dueAt: r.dueAt.getTime(), answeredAt: r.answeredAt?.getTime() ?? null };
        const state = feedbackStateAt(facts, now);
        const open = state === 'open' || state === 'overdue';
        return {
          feedbackId: r.feedbackId,
          unitCode: r.unitCode,
          unitName: this.units.unitName(r.unitCode),
          topic: r.topic,
          dossierId: r.dossierId,
          followUpOf: r.followUpOf,
          receivedAt: r.receivedAt.toISOString(),
          dueAt: r.dueAt.toISOString(),
          answeredAt: open ? null : r.answeredAt!.toISOString(),
          satisfied: r.satisfied,
          followedUp: r.followedUpAt !== null,
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
    const rows = await feedbackTopicCounts(this.db, this.filter(unit, topic, dates), now);
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
      followUps: sum((r) => r.followUps),
      followedUp: sum((r) => r.followedUp),
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

  private filter(unit: UnitRef, topic: FeedbackTopic[], dates: { start: number; end: number } | null): FeedbackFilter {
    return { scope: unit, topics: topic.length < FEEDBACK_TOPICS.length ? topic : null, received: dates && { start: dates.start, end: dates.end } };
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
