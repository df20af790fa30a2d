import { describe, expect, it } from '@jest/globals';
import { DAY_MS, type FeedbackFacts, VN_OFFSET_MS, feedbackCounts, parseIngestEvent } from '@ioc/shared';
import { DemoSimulator, type FeedbackDelivery, SIM_FEEDBACK_LIFECYCLE_MS } from './simulator/index.js';
import { PROVINCES, UNITS } from './reference-units.spec-support.js';

const local = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h) - VN_OFFSET_MS;
const MONDAY = local(2026, 3, 2);
const keyOf = (d: FeedbackDelivery) => `${d.deliverAt}|${JSON.stringify(d.event)}`;

/** The feedback records the events fold to (as the projector folds them: earliest answer, unsatisfied ratings, follow-ups). */
function factsOf(deliveries: readonly FeedbackDelivery[]): Map<string, FeedbackFacts & { followUpOf: string | null }> {
  const out = new Map<string, FeedbackFacts & { followUpOf: string | null }>();
  const ordered = [...deliveries].sort((a, b) => (a.event.type === 'feedback_received' ? 0 : 1) - (b.event.type === 'feedback_received' ? 0 : 1));
  for (const { event: e } of ordered) {
    const at = Date.parse(e.occurredAt);
    if (e.type === 'feedback_received') {
      out.set(e.feedbackId, {
        receivedAt: at,
        dueAt: Date.parse(e.dueAt),
        answeredAt: null,
        firstTime: e.followUpOf === undefined,
        followedUpAt: null,
        unsatisfiedAt: null,
        followUpOf: e.followUpOf ?? null,
      });
      if (e.followUpOf !== undefined) out.get(e.followUpOf)!.followedUpAt = at;
    } else {
      const f = out.get(e.feedbackId)!;
      if (e.type === 'feedback_answered') f.answeredAt = at;
      else if (!e.satisfied) f.unsatisfiedAt = at;
    }
  }
  return out;
}

describe('DemoSimulator: citizen feedback (PAKN)', () => {
  const units = UNITS.filter((_, i) => i % 3 === 0);

  it('is deterministic and additive: [a,b) + [b,c) = [a,c); another seed differs', () => {
    const a = MONDAY;
    const b = a + 3 * DAY_MS + 7_654_321;
    const c = a + 14 * DAY_MS;
    const whole = new DemoSimulator(units, PROVINCES, { seed: 5 }).feedbackDeliveries(a, c);
    expect(whole.length).toBeGreaterThan(500);
    const split = new DemoSimulator(units, PROVINCES, { seed: 5 });
    const late = split.feedbackDeliveries(b, c);
    expect([...split.feedbackDeliveries(a, b), ...late].map(keyOf)).toEqual(whole.map(keyOf));
    expect(new DemoSimulator(units, PROVINCES, { seed: 6 }).feedbackDeliveries(a, c).map(keyOf)).not.toEqual(whole.map(keyOf));
    for (let i = 1; i < whole.length; i++) expect(whole[i]!.deliverAt).toBeGreaterThanOrEqual(whole[i - 1]!.deliverAt);
  });

  it('gives a history day exactly the live deliveries of the items received that day', () => {
    const sim = new DemoSimulator(units, PROVINCES, { seed: 5 });
    const day = MONDAY + 2 * DAY_MS;
    const until = day + 20 * DAY_MS;
    const label = '260304';
    const history = sim.feedbackReceivedOn(day, until).map(keyOf).sort();
    const live = sim
      .feedbackDeliveries(day, until)
      .filter((d) => d.event.feedbackId.split('-')[2] === label)
      .map(keyOf)
      .sort();
    expect(history.length).toBeGreaterThan(20);
    expect(history).toEqual(live);
  });

  it('sends only events the contract accepts, at or after the instant they occurred', () => {
    const all = new DemoSimulator(UNITS, PROVINCES, { seed: 7 }).feedbackDeliveries(MONDAY, MONDAY + 7 * DAY_MS);
    const bad = all.map((d) => ({ d, p: parseIngestEvent(d.event, d.deliverAt) })).filter((x) => !x.p.ok);
    expect(bad.slice(0, 3)).toEqual([]);
    expect(all.every((d) => d.deliverAt >= Date.parse(d.event.occurredAt))).toBe(true);
  });

  it('sends about 1–3 feedback items per 1,000 dossiers received', () => {
    const sample = UNITS.filter((_, i) => i % 9 === 0);
    const sim = new DemoSimulator(sample, PROVINCES, { seed: 7 });
    let dossiers = 0;
    let items = 0;
    for (let d = 0; d < 7; d++) {
      const day = MONDAY + d * DAY_MS;
      dossiers += sim.receivedOn(day, day + 90 * DAY_MS).filter((x) => x.event.type === 'received').length;
      items += sim.feedbackReceivedOn(day, day + SIM_FEEDBACK_LIFECYCLE_MS).filter((x) => x.event.type === 'feedback_received' && x.event.followUpOf === undefined).length;
    }
    expect(dossiers).toBeGreaterThan(10_000);
    const perThousand = (items * 1000) / dossiers;
    expect(perThousand).toBeGreaterThan(1);
    expect(perThousand).toBeLessThan(3);
  });

  it('answers most on time, leaves a few overdue, has follow-ups and unsatisfied ratings; 5.2 and 5.3 then have data', () => {
    const sim = new DemoSimulator(UNITS, PROVINCES, { seed: 7 });
    // Items received in March, with everything delivered by the end of April.
    const start = local(2026, 3, 1);
    const end = local(2026, 4, 1);
    const deliveries: FeedbackDelivery[] = [];
    for (let day = start; day < end; day += DAY_MS) deliveries.push(...sim.feedbackReceivedOn(day, local(2026, 5, 1)));
    const facts = factsOf(deliveries);
    const items = [...facts.values()];
    const first = items.filter((f) => f.firstTime);
    const onTime = first.filter((f) => f.answeredAt !== null && f.answeredAt <= f.dueAt).length / first.length;
    const neverAnswered = first.filter((f) => f.answeredAt === null).length / first.length;
    expect(onTime).toBeGreaterThan(0.8);
    expect(neverAnswered).toBeGreaterThan(0.02);
    expect(neverAnswered).toBeLessThan(0.12);
    expect(items.some((f) => f.followUpOf !== null)).toBe(true);
    expect(first.some((f) => f.unsatisfiedAt !== null)).toBe(true);
    expect(first.some((f) => f.followedUpAt !== null)).toBe(true);
    // Over March as a period ending at its last day.
    const c = feedbackCounts(items, start, end);
    expect(c.feedbackAnswered + c.feedbackOpen).toBeGreaterThan(0);
    expect(c.feedbackFirstTime).toBe(first.length);
    expect(c.feedbackFirstTimeLost).toBeGreaterThan(0);
    expect(c.feedbackFirstTimeLost).toBeLessThan(c.feedbackFirstTime / 2);
  });
});
