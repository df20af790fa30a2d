import { DAY_MS, HOUR_MS, type FeedbackEvent, type FeedbackTopic } from '@ioc/shared';
import { AM_START, MINUTE, dayLabel, floorSec, iso7, localDay, localDayStart, weekdayOf } from './calendar.js';
import type { UnitState } from './calibration.js';
import { mix, Rng } from './random.js';

const { ceil } = Math;

// Citizen feedback (PAKN), ingest contract v1.1: about 1–3 items per 1,000
// dossiers, each a function of (seed, unit, local day of receipt, index) like the
// dossiers, from streams of their own so the dossier events are unchanged.

export interface FeedbackDelivery {
  /** Epoch ms when the source system sends it. */
  deliverAt: number;
  event: FeedbackEvent;
}

/** Days from the receipt to the due date of an answer. */
export const SIM_FEEDBACK_DUE_DAYS = 10;
/** Upper bound on deliverAt minus local midnight of the receipt day, for any feedback event (follow-ups included). */
export const SIM_FEEDBACK_LIFECYCLE_MS = 40 * DAY_MS;
/** Share of items answered by the due date, answered late; the rest are never answered (overdue once due). */
const FEEDBACK_ON_TIME = 0.86;
const FEEDBACK_LATE = 0.08;
const FEEDBACK_TOPICS_CUM: readonly [FeedbackTopic, number][] = [
  ['procedure', 0.55],
  ['staff', 0.75],
  ['other', 1],
];
/** Receipt days of feedback kept generated: the lifecycle plus a few. */
const FEEDBACK_MEMO_DAYS = ceil(SIM_FEEDBACK_LIFECYCLE_MS / DAY_MS) + 4;

/** The topic drawn with the uniform u. */
function feedbackTopic(u: number): FeedbackTopic {
  for (const [t, c] of FEEDBACK_TOPICS_CUM) if (u < c) return t;
  return 'other';
}

/**
 * The feedback a unit received on local day d (on the portal, so weekends too, at a
 * quarter of a working day's rate), with every event it will lead to, appended to `out`: most answered on time, some late, a few never;
 * half the answered ones rated (unsatisfied more often when late); a few followed up
 * by a second item, more often after an unsatisfied rating.
 */
function feedbackOfUnitDay(u: UnitState, d: number, label: string, rng: Rng, out: FeedbackDelivery[]): void {
  const wd = weekdayOf(d);
  const base = mix(u.seed, 0xfeedbac);
  // The unit's own rate per dossier, 1–3 per 1,000.
  const rate = rng.seed(base).range(0.001, 0.003);
  rng.seed(mix(base, d));
  const n = rng.poisson(u.profile.weekdayVolume * rate * (wd === 0 || wd === 6 ? 0.25 : 1));
  const dayStart = localDayStart(d);
  const unit = u.unit.code.length === 2 ? { provinceCode: u.unit.code } : { communeCode: u.unit.code };
  const emit = (event: FeedbackEvent, at: number) => out.push({ deliverAt: at + floorSec(rng.next() * 10 * MINUTE), event });
  for (let i = 0; i < n; i++) {
    const feedbackId = `PAKN-${u.unit.code}-${label}-${i + 1}`;
    const receivedAt = floorSec(dayStart + AM_START + rng.next() * (17 * HOUR_MS - AM_START));
    const dueAt = dayStart + SIM_FEEDBACK_DUE_DAYS * DAY_MS + 17 * HOUR_MS;
    const topic = feedbackTopic(rng.next());
    emit({ eventId: `${feedbackId}-r`, type: 'feedback_received', occurredAt: iso7(receivedAt), feedbackId, ...unit, dueAt: iso7(dueAt), topic }, receivedAt);
    const fate = rng.next();
    if (fate >= FEEDBACK_ON_TIME + FEEDBACK_LATE) continue;
    const onTime = fate < FEEDBACK_ON_TIME;
    const answeredAt = floorSec(onTime ? receivedAt + (dueAt - receivedAt) * rng.range(0.1, 0.95) : dueAt + rng.range(0.5, 6) * DAY_MS);
    emit({ eventId: `${feedbackId}-a`, type: 'feedback_answered', occurredAt: iso7(answeredAt), feedbackId, ...unit }, answeredAt);
    let satisfied = true;
    if (rng.chance(0.5)) {
      const ratedAt = floorSec(answeredAt + rng.range(2, 72) * HOUR_MS);
      satisfied = rng.chance(onTime ? 0.85 : 0.4);
      emit({ eventId: `${feedbackId}-s`, type: 'feedback_rated', occurredAt: iso7(ratedAt), feedbackId, ...unit, satisfied }, ratedAt);
    }
    if (!rng.chance(satisfied ? 0.03 : 0.4)) continue;
    // The citizen comes back: a follow-up, answered on time nine times in ten.
    const followId = `${feedbackId}-2`;
    const followAt = floorSec(answeredAt + rng.range(1, 5) * DAY_MS);
    const followDue = followAt + SIM_FEEDBACK_DUE_DAYS * DAY_MS;
    emit({ eventId: `${followId}-r`, type: 'feedback_received', occurredAt: iso7(followAt), feedbackId: followId, ...unit, dueAt: iso7(followDue), topic, followUpOf: feedbackId }, followAt);
    if (rng.chance(0.9)) {
      const followAnswered = floorSec(followAt + (followDue - followAt) * rng.range(0.1, 0.9));
      emit({ eventId: `${followId}-a`, type: 'feedback_answered', occurredAt: iso7(followAnswered), feedbackId: followId, ...unit }, followAnswered);
    }
  }
}

/** Orders by deliverAt, then eventId. */
const byDelivery = (a: FeedbackDelivery, b: FeedbackDelivery) => a.deliverAt - b.deliverAt || (a.event.eventId < b.event.eventId ? -1 : a.event.eventId > b.event.eventId ? 1 : 0);

/** The units' citizen feedback, generated a receipt day at a time and kept for the days a window may still need. */
export class FeedbackDays {
  private readonly memo = new Map<number, FeedbackDelivery[]>();
  private readonly rng = new Rng();

  constructor(private readonly units: readonly UnitState[]) {}

  /** Feedback deliveries in [from, to), sorted by deliverAt, then eventId. */
  deliveries(from: number, to: number): FeedbackDelivery[] {
    const out: FeedbackDelivery[] = [];
    if (!(to > from)) return out;
    for (let d = localDay(from - SIM_FEEDBACK_LIFECYCLE_MS); d <= localDay(to - 1); d++) {
      for (const x of this.ofDay(d)) if (x.deliverAt >= from && x.deliverAt < to) out.push(x);
    }
    return out.sort(byDelivery);
  }

  /** The feedback deliveries before `until` of the items received on the local day that starts at `dayStart` (their follow-ups included). */
  receivedOn(dayStart: number, until: number): FeedbackDelivery[] {
    return this.ofDay(localDay(dayStart)).filter((x) => x.deliverAt < until);
  }

  /** Every feedback delivery of the items received on local day d, all units, sorted. */
  private ofDay(d: number): FeedbackDelivery[] {
    let list = this.memo.get(d);
    if (list) return list;
    list = [];
    const label = dayLabel(d);
    for (const u of this.units) feedbackOfUnitDay(u, d, label, this.rng, list);
    list.sort(byDelivery);
    this.memo.set(d, list);
    if (this.memo.size > FEEDBACK_MEMO_DAYS) this.memo.delete(this.memo.keys().next().value as number);
    return list;
  }
}
