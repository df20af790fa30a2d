import type { IndexV2Counts } from './kpi/index-v2.js';
import type { LocalDate } from './time.js';

/**
 * Citizen feedback (phản ánh, kiến nghị: PAKN) as the product keeps it: one
 * record per `feedbackId`, folded from the `feedback_*` events of ingest contract
 * v1.1, and the REST contract of `/api/v1/feedback`.
 */

export const FEEDBACK_TOPICS = ['procedure', 'staff', 'other'] as const;
export type FeedbackTopic = (typeof FEEDBACK_TOPICS)[number];

export const FEEDBACK_TOPIC_LABELS: Record<FeedbackTopic, { vi: string; en: string }> = {
  procedure: { vi: 'Thủ tục hành chính', en: 'Administrative procedure' },
  staff: { vi: 'Cán bộ, công chức', en: 'Staff conduct' },
  other: { vi: 'Khác', en: 'Other' },
};

/**
 * Where a feedback item stands at an instant:
 * - `open`: not answered, not past its due date;
 * - `overdue`: not answered and past its due date;
 * - `answered_on_time`: answered by its due date;
 * - `answered_late`: answered after its due date.
 */
export const FEEDBACK_STATES = ['open', 'overdue', 'answered_on_time', 'answered_late'] as const;
export type FeedbackState = (typeof FEEDBACK_STATES)[number];

/** The `status` filter of the list: `answered` is both answered states. */
export const FEEDBACK_STATUSES = ['open', 'overdue', 'answered'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export const FEEDBACK_STATE_LABELS: Record<FeedbackState, { vi: string; en: string }> = {
  open: { vi: 'Đang xử lý', en: 'Open' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  answered_on_time: { vi: 'Đã trả lời đúng hạn', en: 'Answered on time' },
  answered_late: { vi: 'Đã trả lời quá hạn', en: 'Answered late' },
};

/** Default and largest page of the list. */
export const DEFAULT_FEEDBACK_LIMIT = 50;
export const MAX_FEEDBACK_LIMIT = 200;

/** One feedback item of the list. Only items whose `feedback_received` has arrived are listed. */
export interface FeedbackItem {
  feedbackId: string;
  /** Handling unit (5-digit commune or 2-digit province) and its name. */
  unitCode: string;
  unitName: string;
  topic: FeedbackTopic;
  /** The dossier the feedback is about, if the source named one. */
  dossierId: string | null;
  /** The earlier feedback this one follows up (then this one is not first-time). */
  followUpOf: string | null;
  receivedAt: string;
  dueAt: string;
  /** The first answer (ISO); null while open. */
  answeredAt: string | null;
  /** The latest rating: true satisfied, false unsatisfied, null not rated. */
  satisfied: boolean | null;
  /** A later feedback follows this one up. */
  followedUp: boolean;
  /** At `asOf` of the answer. */
  state: FeedbackState;
  /** Open items: hours from `asOf` to `dueAt`, negative once overdue; null once answered. */
  hoursLeft: number | null;
}

/** Feedback items per state; `total` is their sum. */
export type FeedbackStateCounts = Record<FeedbackState, number> & { total: number };

/**
 * `GET /api/v1/feedback`: the feedback items of a scope (the `dossiers` permission on it),
 * open and overdue first (the least time left first), then answered ones (latest answer first).
 */
export interface FeedbackListResponse {
  /** `nation`, `province:<code>` (its communes and province-level feedback) or `commune:<code>`. */
  scope: string;
  /** The instant states and `hoursLeft` are measured at. */
  asOf: string;
  /** The receipt dates asked for (local, Asia/Ho_Chi_Minh); null when not given. */
  from: LocalDate | null;
  to: LocalDate | null;
  /** Statuses and topics asked for (all when not given). */
  status: FeedbackStatus[];
  topic: FeedbackTopic[];
  /** Items in each state matching scope, topic and dates (whatever the status filter): not only this page. */
  totals: FeedbackStateCounts;
  /** Items matching every filter: the items of every page. */
  total: number;
  limit: number;
  offset: number;
  items: FeedbackItem[];
}

/**
 * `GET /api/v1/feedback/summary`: counts for an operations view (the `figures` permission on the
 * scope), over the feedback received in the period (every item when from/to are not given).
 */
export interface FeedbackSummaryResponse {
  scope: string;
  asOf: string;
  from: LocalDate | null;
  to: LocalDate | null;
  /** Every item by state at `asOf`. */
  totals: FeedbackStateCounts;
  /** The same, per topic. */
  byTopic: Record<FeedbackTopic, FeedbackStateCounts>;
  /** Items that follow up an earlier one. */
  followUps: number;
  /** Items followed up by a later one. */
  followedUp: number;
  /** Items rated, and of those, whose latest rating is unsatisfied. */
  rated: number;
  unsatisfied: number;
}

/** What the index (5.2, 5.3) and the list need of one feedback item; instants in epoch ms. */
export interface FeedbackFacts {
  receivedAt: number;
  dueAt: number;
  /** The first answer; null while open. */
  answeredAt: number | null;
  /** Not a follow-up of an earlier feedback. */
  firstTime: boolean;
  /** The earliest receipt of a feedback following this one up; null when none. */
  followedUpAt: number | null;
  /** The earliest rating saying unsatisfied; null when none. */
  unsatisfiedAt: number | null;
}

/** The state of a feedback item at `at` (epoch ms). Answered at the due instant is on time; open past it is overdue. */
export function feedbackStateAt(f: Pick<FeedbackFacts, 'dueAt' | 'answeredAt'>, at: number): FeedbackState {
  if (f.answeredAt !== null && f.answeredAt <= at) return f.answeredAt <= f.dueAt ? 'answered_on_time' : 'answered_late';
  return f.dueAt < at ? 'overdue' : 'open';
}

/** The feedback count fields of the index. */
export type FeedbackCountField = Extract<keyof IndexV2Counts, 'feedbackAnswered' | 'feedbackAnsweredOnTime' | 'feedbackOpen' | 'feedbackOpenOverdue' | 'feedbackFirstTime' | 'feedbackFirstTimeLost'>;
export type FeedbackCounts = Record<FeedbackCountField, number>;

export function zeroFeedbackCounts(): FeedbackCounts {
  return { feedbackAnswered: 0, feedbackAnsweredOnTime: 0, feedbackOpen: 0, feedbackOpenOverdue: 0, feedbackFirstTime: 0, feedbackFirstTimeLost: 0 };
}

/**
 * The counts 5.2 and 5.3 are taken from, for the items of one scope over the period
 * [start, end) (end: the end of `to`, or now when the period reaches today):
 * - 5.2: answered in the period (on time: by the due date), and open at the period end
 *   (received before it and not answered by it; overdue: due before it);
 * - 5.3: first-time feedback received in the period, and of those the ones lost by the
 *   period end: rated unsatisfied, followed up, or overdue (answered after the due date,
 *   or still open past it), each counted once.
 * The server computes the same in SQL (server/src/feedback/feedback-counts.ts).
 */
export function feedbackCounts(items: Iterable<FeedbackFacts>, start: number, end: number): FeedbackCounts {
  const c = zeroFeedbackCounts();
  for (const f of items) {
    if (f.receivedAt >= end) continue;
    const answeredByEnd = f.answeredAt !== null && f.answeredAt < end;
    if (answeredByEnd && f.answeredAt! >= start) {
      c.feedbackAnswered++;
      if (f.answeredAt! <= f.dueAt) c.feedbackAnsweredOnTime++;
    }
    if (!answeredByEnd) {
      c.feedbackOpen++;
      if (f.dueAt < end) c.feedbackOpenOverdue++;
    }
    if (f.firstTime && f.receivedAt >= start) {
      c.feedbackFirstTime++;
      const overdue = answeredByEnd ? f.answeredAt! > f.dueAt : f.dueAt < end;
      const unsatisfied = f.unsatisfiedAt !== null && f.unsatisfiedAt < end;
      const followedUp = f.followedUpAt !== null && f.followedUpAt < end;
      if (overdue || unsatisfied || followedUp) c.feedbackFirstTimeLost++;
    }
  }
  return c;
}

/** A period of a series: [start, end), epoch ms. */
export interface CountBucket {
  start: number;
  end: number;
}

function countBelow(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * feedbackCounts for each bucket of a series (buckets in order, not overlapping), in
 * O((items + buckets) × log) instead of items × buckets: each item's answer and receipt
 * fall in at most one bucket each, and "open at the end" counts are differences of
 * prefix counts. Equal to feedbackCounts(items, b.start, b.end) for every bucket b.
 */
export function feedbackCountsByBucket(items: readonly FeedbackFacts[], buckets: readonly CountBucket[]): FeedbackCounts[] {
  const out = buckets.map(zeroFeedbackCounts);
  const bucketOf = (t: number): number => {
    let lo = 0;
    let hi = buckets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const b = buckets[mid]!;
      if (t < b.start) hi = mid - 1;
      else if (t >= b.end) lo = mid + 1;
      else return mid;
    }
    return -1;
  };
  const n = items.length;
  // Open at e: received before e, minus received and answered before e; past due likewise with the due date.
  const received = new Float64Array(n);
  const receivedOrAnswered = new Float64Array(n);
  const receivedOrDue = new Float64Array(n);
  const receivedOrDueOrAnswered = new Float64Array(n);
  items.forEach((f, i) => {
    const answered = f.answeredAt ?? Number.POSITIVE_INFINITY;
    received[i] = f.receivedAt;
    receivedOrAnswered[i] = Math.max(f.receivedAt, answered);
    receivedOrDue[i] = Math.max(f.receivedAt, f.dueAt);
    receivedOrDueOrAnswered[i] = Math.max(f.receivedAt, f.dueAt, answered);
    if (f.answeredAt !== null) {
      const k = bucketOf(f.answeredAt);
      if (k >= 0 && f.receivedAt < buckets[k]!.end) {
        out[k]!.feedbackAnswered++;
        if (f.answeredAt <= f.dueAt) out[k]!.feedbackAnsweredOnTime++;
      }
    }
    if (f.firstTime) {
      const k = bucketOf(f.receivedAt);
      if (k >= 0) {
        const end = buckets[k]!.end;
        out[k]!.feedbackFirstTime++;
        const answeredByEnd = f.answeredAt !== null && f.answeredAt < end;
        const overdue = answeredByEnd ? f.answeredAt! > f.dueAt : f.dueAt < end;
        if (overdue || (f.unsatisfiedAt !== null && f.unsatisfiedAt < end) || (f.followedUpAt !== null && f.followedUpAt < end)) out[k]!.feedbackFirstTimeLost++;
      }
    }
  });
  for (const a of [received, receivedOrAnswered, receivedOrDue, receivedOrDueOrAnswered]) a.sort();
  buckets.forEach((b, k) => {
    out[k]!.feedbackOpen = countBelow(received, b.end) - countBelow(receivedOrAnswered, b.end);
    out[k]!.feedbackOpenOverdue = countBelow(receivedOrDue, b.end) - countBelow(receivedOrDueOrAnswered, b.end);
  });
  return out;
}
