import type { FeedbackEvent } from '@ioc/shared';
import type { EntityManager } from 'typeorm';

/** A feedback event as the projector reads it from the log. */
export interface LoggedFeedbackEvent {
  event: FeedbackEvent;
  /** occurredAt, epoch ms. */
  at: number;
  unit: string;
}

/** The receipt of a feedback item: the earliest `feedback_received` (by occurredAt, then eventId) wins. */
interface Receipt {
  at: number;
  eventId: string;
  unit: string;
  dueAt: number;
  topic: string;
  dossierId: string | null;
  followUpOf: string | null;
}

/**
 * What a run of events says about one feedback item. Patches merge
 * commutatively and associatively (earliest receipt, first answer, latest
 * rating, earliest unsatisfied rating, earliest follow-up), so the row is the
 * same whatever order its events arrive in, and the SQL upsert below merges a
 * patch into a stored row by the very same rules.
 */
export interface FeedbackPatch {
  feedbackId: string;
  /** The unit of the item's other events, kept until its receipt names the unit. */
  unit: string | null;
  receipt: Receipt | null;
  answeredAt: number | null;
  /** The latest rating (at equal instants, unsatisfied wins). */
  rating: { at: number; satisfied: boolean } | null;
  unsatisfiedAt: number | null;
  /** The earliest receipt of a feedback that follows this one up. */
  followedUpAt: number | null;
}

const least = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

function earlierReceipt(a: Receipt | null, b: Receipt | null): Receipt | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.at !== b.at) return a.at < b.at ? a : b;
  return a.eventId <= b.eventId ? a : b;
}

function laterRating(a: FeedbackPatch['rating'], b: FeedbackPatch['rating']): FeedbackPatch['rating'] {
  if (a === null) return b;
  if (b === null) return a;
  if (a.at !== b.at) return a.at > b.at ? a : b;
  return { at: a.at, satisfied: a.satisfied && b.satisfied };
}

export function mergeFeedbackPatches(a: FeedbackPatch, b: FeedbackPatch): FeedbackPatch {
  return {
    feedbackId: a.feedbackId,
    unit: a.unit ?? b.unit,
    receipt: earlierReceipt(a.receipt, b.receipt),
    answeredAt: least(a.answeredAt, b.answeredAt),
    rating: laterRating(a.rating, b.rating),
    unsatisfiedAt: least(a.unsatisfiedAt, b.unsatisfiedAt),
    followedUpAt: least(a.followedUpAt, b.followedUpAt),
  };
}

const emptyPatch = (feedbackId: string): FeedbackPatch => ({
  feedbackId,
  unit: null,
  receipt: null,
  answeredAt: null,
  rating: null,
  unsatisfiedAt: null,
  followedUpAt: null,
});

/** The patches a run of feedback events makes, one per feedback item (a follow-up also patches the item it follows up). */
export function feedbackPatches(events: Iterable<LoggedFeedbackEvent>): Map<string, FeedbackPatch> {
  const out = new Map<string, FeedbackPatch>();
  const add = (p: FeedbackPatch) => {
    const cur = out.get(p.feedbackId);
    out.set(p.feedbackId, cur ? mergeFeedbackPatches(cur, p) : p);
  };
  for (const { event: e, at, unit } of events) {
    const p = emptyPatch(e.feedbackId);
    p.unit = unit;
    switch (e.type) {
      case 'feedback_received':
        p.receipt = { at, eventId: e.eventId, unit, dueAt: Date.parse(e.dueAt), topic: e.topic, dossierId: e.dossierId ?? null, followUpOf: e.followUpOf ?? null };
        if (e.followUpOf !== undefined) add({ ...emptyPatch(e.followUpOf), followedUpAt: at });
        break;
      case 'feedback_answered':
        p.answeredAt = at;
        break;
      case 'feedback_rated':
        p.rating = { at, satisfied: e.satisfied };
        if (!e.satisfied) p.unsatisfiedAt = at;
        break;
    }
    add(p);
  }
  return out;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Takes the patch's receipt over the stored one: it is the first, or earlier (by occurredAt, then eventId). */
const TAKES_RECEIPT = `(excluded.received_at IS NOT NULL AND (f.received_at IS NULL OR (excluded.received_at, excluded.received_event_id COLLATE "C") < (f.received_at, f.received_event_id COLLATE "C")))`;
const RECEIPT_COLUMNS = ['topic', 'dossier_id', 'follow_up_of', 'received_at', 'received_event_id', 'due_at'];

/**
 * Folds feedback events (in log order) into the `feedback` table, inside the
 * projector's batch transaction: each log row is folded exactly once (the
 * watermark moves with it), and the merge rules make the result independent of
 * the order events arrive in. Returns the units whose feedback changed.
 */
export async function applyFeedback(m: EntityManager, events: readonly LoggedFeedbackEvent[], provinceOf: (unit: string) => string): Promise<string[]> {
  if (events.length === 0) return [];
  const patches = [...feedbackPatches(events).values()].sort((a, b) => (a.feedbackId < b.feedbackId ? -1 : a.feedbackId > b.feedbackId ? 1 : 0));
  const rows = patches.map((p) => {
    const unit = p.receipt?.unit ?? p.unit;
    return {
      id: p.feedbackId,
      unit,
      province: unit === null ? null : provinceOf(unit),
      topic: p.receipt?.topic ?? null,
      dossier_id: p.receipt?.dossierId ?? null,
      follow_up_of: p.receipt?.followUpOf ?? null,
      received_at: iso(p.receipt?.at ?? null),
      received_event_id: p.receipt?.eventId ?? null,
      due_at: iso(p.receipt?.dueAt ?? null),
      answered_at: iso(p.answeredAt),
      satisfied: p.rating?.satisfied ?? null,
      rated_at: iso(p.rating?.at ?? null),
      unsatisfied_at: iso(p.unsatisfiedAt),
      followed_up_at: iso(p.followedUpAt),
    };
  });
  await m.query(
    `INSERT INTO feedback AS f (feedback_id, unit_code, province_code, topic, dossier_id, follow_up_of, received_at, received_event_id, due_at,
                                answered_at, satisfied, rated_at, unsatisfied_at, followed_up_at)
     SELECT id, unit, province, topic, dossier_id, follow_up_of, received_at, received_event_id, due_at, answered_at, satisfied, rated_at, unsatisfied_at, followed_up_at
     FROM json_to_recordset($1::json) AS r(id text, unit text, province text, topic text, dossier_id text, follow_up_of text, received_at timestamptz,
          received_event_id text, due_at timestamptz, answered_at timestamptz, satisfied boolean, rated_at timestamptz, unsatisfied_at timestamptz, followed_up_at timestamptz)
     ON CONFLICT (feedback_id) DO UPDATE SET
       ${[
         ...['unit_code', 'province_code'].map((c) => `${c} = CASE WHEN ${TAKES_RECEIPT} THEN excluded.${c} WHEN f.received_at IS NOT NULL THEN f.${c} ELSE coalesce(f.${c}, excluded.${c}) END`),
         ...RECEIPT_COLUMNS.map((c) => `${c} = CASE WHEN ${TAKES_RECEIPT} THEN excluded.${c} ELSE f.${c} END`),
         `answered_at = least(f.answered_at, excluded.answered_at)`,
         `satisfied = CASE WHEN excluded.rated_at IS NULL THEN f.satisfied WHEN f.rated_at IS NULL OR excluded.rated_at > f.rated_at THEN excluded.satisfied
                             WHEN excluded.rated_at = f.rated_at THEN f.satisfied AND excluded.satisfied ELSE f.satisfied END`,
         `rated_at = greatest(f.rated_at, excluded.rated_at)`,
         `unsatisfied_at = least(f.unsatisfied_at, excluded.unsatisfied_at)`,
         `followed_up_at = least(f.followed_up_at, excluded.followed_up_at)`,
       ].join(',\n       ')}`,
    [JSON.stringify(rows)],
  );
  return [...new Set(events.map((e) => e.unit))];
}
