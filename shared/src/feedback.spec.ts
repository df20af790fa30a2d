import { describe, expect, it } from '@jest/globals';
import { parseEvent, parseIngestEvent } from './events.js';
import { type FeedbackCounts, type FeedbackFacts, feedbackCounts, feedbackCountsByBucket, feedbackStateAt } from './feedback.js';
import { INDEX_V2_BY_ID } from './kpi/index-v2.js';
import { scoreSubIndicator, sumIndexV2Counts } from './kpi/index-v2-score.js';

/** A local (+07:00) instant. */
const t = (local: string) => Date.parse(`${local}:00+07:00`);
const START = t('2026-05-01T00:00');
const END = t('2026-06-01T00:00');
const NOW = t('2026-06-30T10:00');

const item = (over: Partial<FeedbackFacts> & Pick<FeedbackFacts, 'receivedAt' | 'dueAt'>): FeedbackFacts => ({
  answeredAt: null,
  firstTime: true,
  followedUpAt: null,
  unsatisfiedAt: null,
  ...over,
});

describe('feedbackStateAt', () => {
  const f = { dueAt: t('2026-05-10T17:00') };
  it.each<[string, number | null, number, string]>([
    ['open before its due date', null, t('2026-05-09T00:00'), 'open'],
    ['open at the due instant', null, t('2026-05-10T17:00'), 'open'],
    ['open past the due date', null, t('2026-05-11T00:00'), 'overdue'],
    ['answered at the due instant', t('2026-05-10T17:00'), NOW, 'answered_on_time'],
    ['answered after the due date', t('2026-05-12T08:00'), NOW, 'answered_late'],
    ['answered later than the instant asked about', t('2026-05-12T08:00'), t('2026-05-11T00:00'), 'overdue'],
  ])('%s', (_name, answeredAt, at, state) => {
    expect(feedbackStateAt({ ...f, answeredAt }, at)).toBe(state);
  });
});

/** The counts of one item in May 2026, all fields. */
const zero: FeedbackCounts = { feedbackAnswered: 0, feedbackAnsweredOnTime: 0, feedbackOpen: 0, feedbackOpenOverdue: 0, feedbackFirstTime: 0, feedbackFirstTimeLost: 0 };

describe('feedbackCounts: one item in the period May 2026', () => {
  it.each<[string, FeedbackFacts, Partial<FeedbackCounts>]>([
    [
      'received and answered on time in the period',
      item({ receivedAt: t('2026-05-04T08:00'), dueAt: t('2026-05-14T17:00'), answeredAt: t('2026-05-10T09:00') }),
      { feedbackAnswered: 1, feedbackAnsweredOnTime: 1, feedbackFirstTime: 1 },
    ],
    [
      'answered late in the period: lost for 5.3',
      item({ receivedAt: t('2026-05-04T08:00'), dueAt: t('2026-05-14T17:00'), answeredAt: t('2026-05-20T09:00') }),
      { feedbackAnswered: 1, feedbackFirstTime: 1, feedbackFirstTimeLost: 1 },
    ],
    ['open at the period end, not yet due', item({ receivedAt: t('2026-05-28T08:00'), dueAt: t('2026-06-10T17:00') }), { feedbackOpen: 1, feedbackFirstTime: 1 }],
    [
      'open at the period end and past due',
      item({ receivedAt: t('2026-05-04T08:00'), dueAt: t('2026-05-14T17:00') }),
      { feedbackOpen: 1, feedbackOpenOverdue: 1, feedbackFirstTime: 1, feedbackFirstTimeLost: 1 },
    ],
    [
      'answered after the period end, late: open and overdue at its end',
      item({ receivedAt: t('2026-05-04T08:00'), dueAt: t('2026-05-14T17:00'), answeredAt: t('2026-06-03T08:00') }),
      { feedbackOpen: 1, feedbackOpenOverdue: 1, feedbackFirstTime: 1, feedbackFirstTimeLost: 1 },
    ],
    [
      'received before the period, answered on time in it: not first-time in the period',
      item({ receivedAt: t('2026-04-28T08:00'), dueAt: t('2026-05-08T17:00'), answeredAt: t('2026-05-02T08:00') }),
      { feedbackAnswered: 1, feedbackAnsweredOnTime: 1 },
    ],
    ['answered before the period: counts nowhere', item({ receivedAt: t('2026-04-01T08:00'), dueAt: t('2026-04-10T17:00'), answeredAt: t('2026-04-05T08:00') }), {}],
    ['received after the period end: counts nowhere', item({ receivedAt: t('2026-06-02T08:00'), dueAt: t('2026-06-10T17:00') }), {}],
    [
      'rated unsatisfied in the period: lost',
      item({ receivedAt: t('2026-05-04T08:00'), dueAt: t('2026-05-14T17:00'), answeredAt: t('2026-05-10T09:00'), unsatisfiedAt: t('2026-05-11T09:00') }),
      { feedbackAnswered: 1, feedbackAnsweredOnTime: 1, feedbackFirstTime: 1, feedbackFirstTimeLost: 1 },
    ],
    [
      'rated unsatisfied only after the period end: not lost by it',
      item({ receivedAt: t('2026-05-04T08:00'), dueAt: t('2026-05-14T17:00'), answeredAt: t('2026-05-10T09:00'), unsatisfiedAt: t('2026-06-02T09:00') }),
      { feedbackAnswered: 1, feedbackAnsweredOnTime: 1, feedbackFirstTime: 1 },
    ],
    [
      'followed up in the period: lost',
      item({ receivedAt: t('2026-05-04T08:00'), dueAt: t('2026-05-14T17:00'), answeredAt: t('2026-05-10T09:00'), followedUpAt: t('2026-05-12T09:00') }),
      { feedbackAnswered: 1, feedbackAnsweredOnTime: 1, feedbackFirstTime: 1, feedbackFirstTimeLost: 1 },
    ],
    [
      'a follow-up itself: counted for 5.2, not first-time',
      item({ receivedAt: t('2026-05-12T09:00'), dueAt: t('2026-05-22T17:00'), answeredAt: t('2026-05-15T09:00'), firstTime: false }),
      { feedbackAnswered: 1, feedbackAnsweredOnTime: 1 },
    ],
    [
      'overdue, unsatisfied and followed up: lost once',
      item({ receivedAt: t('2026-05-04T08:00'), dueAt: t('2026-05-14T17:00'), answeredAt: t('2026-05-20T09:00'), unsatisfiedAt: t('2026-05-21T09:00'), followedUpAt: t('2026-05-22T09:00') }),
      { feedbackAnswered: 1, feedbackFirstTime: 1, feedbackFirstTimeLost: 1 },
    ],
  ])('%s', (_name, f, expected) => {
    expect(feedbackCounts([f], START, END)).toEqual({ ...zero, ...expected });
  });
});

describe('5.2 and 5.3 from feedback counts, scored by the catalogue', () => {
  // Four items: one answered on time, one answered late, one open past due, one follow-up of the first answered on time.
  const items = [
    item({ receivedAt: t('2026-05-04T08:00'), dueAt: t('2026-05-14T17:00'), answeredAt: t('2026-05-10T09:00'), followedUpAt: t('2026-05-12T09:00') }),
    item({ receivedAt: t('2026-05-05T08:00'), dueAt: t('2026-05-15T17:00'), answeredAt: t('2026-05-16T09:00') }),
    item({ receivedAt: t('2026-05-06T08:00'), dueAt: t('2026-05-16T17:00') }),
    item({ receivedAt: t('2026-05-12T09:00'), dueAt: t('2026-05-22T17:00'), answeredAt: t('2026-05-15T09:00'), firstTime: false }),
  ];
  const counts = sumIndexV2Counts([feedbackCounts(items, START, END)]);

  it.each<[string, number, number, number, number]>([
    // 5.2: answered on time 2 (first, follow-up) + open not past due 0, over answered 3 + open 1.
    ['5.2', 2, 4, 50, 3],
    // 5.3: first-time 3, lost 3 (followed up, answered late, open past due).
    ['5.3', 0, 3, 0, 0],
  ])('%s: %d of %d → %d%%, %d points', (id, numerator, denominator, rate, points) => {
    const s = scoreSubIndicator(INDEX_V2_BY_ID[id as '5.2' | '5.3'], counts);
    expect(s.parts).toEqual([{ numerator, denominator }]);
    expect(s.value).toBe(rate);
    expect(s.points).toBe(points);
  });

  it('has no data (no points, no penalty) without feedback', () => {
    const empty = sumIndexV2Counts([feedbackCounts([], START, END)]);
    for (const id of ['5.2', '5.3'] as const) {
      const s = scoreSubIndicator(INDEX_V2_BY_ID[id], empty);
      expect([s.value, s.points, s.lost]).toEqual([null, null, null]);
    }
  });
});

describe('ingest contract v1.1: feedback events', () => {
  const received = {
    eventId: 'F1-r',
    type: 'feedback_received',
    occurredAt: '2026-05-04T08:00:00+07:00',
    feedbackId: 'PAKN-1',
    communeCode: '00004',
    dueAt: '2026-05-14T17:00:00+07:00',
    topic: 'procedure',
  };

  it('accepts the three feedback events, with the optional dossierId and followUpOf', () => {
    expect(parseIngestEvent(received, NOW).ok).toBe(true);
    expect(parseIngestEvent({ ...received, eventId: 'F2-r', feedbackId: 'PAKN-2', dossierId: 'H01.1', followUpOf: 'PAKN-1' }, NOW).ok).toBe(true);
    expect(parseIngestEvent({ eventId: 'F1-a', type: 'feedback_answered', occurredAt: '2026-05-10T08:00:00+07:00', feedbackId: 'PAKN-1', communeCode: '00004' }, NOW).ok).toBe(true);
    expect(parseIngestEvent({ eventId: 'F1-s', type: 'feedback_rated', occurredAt: '2026-05-11T08:00:00+07:00', feedbackId: 'PAKN-1', provinceCode: '01', satisfied: false }, NOW).ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no feedbackId', { feedbackId: undefined }, 'feedbackId is required'],
    ['an unknown topic', { topic: 'roads' }, 'topic must be one of procedure, staff, other'],
    ['no dueAt', { dueAt: undefined }, 'dueAt is required'],
    ['dueAt before the receipt', { dueAt: '2026-05-01T08:00:00+07:00' }, 'dueAt (the answer deadline) is before occurredAt (the receipt)'],
    ['a follow-up of itself', { followUpOf: 'PAKN-1' }, 'followUpOf names the feedback itself; it must name an earlier feedbackId'],
    ['both unit codes', { provinceCode: '01' }, 'exactly one of communeCode (5 digits) or provinceCode (2 digits) is required'],
    ['a field of dossier events', { channel: 'online' }, 'unknown field(s): channel'],
    ['occurredAt in the future', { occurredAt: '2026-07-30T08:00:00+07:00', dueAt: '2026-08-30T08:00:00+07:00' }, 'occurredAt is in the future (more than 2 minutes ahead of the server clock)'],
  ])('rejects %s with a reason', (_name, change, reason) => {
    const p = parseIngestEvent({ ...received, ...change }, NOW);
    expect(!p.ok && p.reason).toBe(reason);
  });

  it('rejects satisfied that is not a boolean', () => {
    const p = parseIngestEvent({ eventId: 'F1-s', type: 'feedback_rated', occurredAt: '2026-05-11T08:00:00+07:00', feedbackId: 'PAKN-1', communeCode: '00004', satisfied: 'no' }, NOW);
    expect(!p.ok && p.reason).toBe('satisfied must be true or false');
  });

  it('names every type the endpoint takes for an unknown type, and leaves dossier events to parseEvent', () => {
    const p = parseIngestEvent({ ...received, type: 'feedback_closed' }, NOW);
    expect(!p.ok && p.reason).toMatch(/type must be one of received, .*synced, feedback_received, feedback_answered, feedback_rated/);
    const d = { eventId: 'D1-s', type: 'synced', occurredAt: '2026-05-04T09:00:00+07:00', dossierId: 'D1', communeCode: '00004' };
    expect(parseIngestEvent(d, NOW)).toEqual(parseEvent(d, NOW));
  });
});

describe('feedbackCountsByBucket', () => {
  /** A small deterministic generator (mulberry32). */
  function rng(seed: number): () => number {
    let s = seed;
    return () => {
      let t = (s = (s + 0x6d2b79f5) | 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const DAY = 86_400_000;

  it.each([1, 2, 3, 4, 5])('equals feedbackCounts bucket by bucket on generated items (seed %d)', (seed) => {
    const r = rng(seed);
    const t0 = t('2026-03-01T00:00');
    const items: FeedbackFacts[] = Array.from({ length: 400 }, () => {
      const receivedAt = t0 + Math.floor(r() * 60 * DAY);
      const dueAt = receivedAt + Math.floor(r() * 12 * DAY);
      const fate = r();
      // Whole days now and then, so instants fall on bucket bounds and due dates.
      const answeredAt = fate < 0.15 ? null : fate < 0.25 ? dueAt : receivedAt + Math.floor(r() * 20) * (r() < 0.3 ? DAY : 3_600_000);
      return {
        receivedAt,
        dueAt,
        answeredAt,
        firstTime: r() < 0.9,
        followedUpAt: r() < 0.1 ? receivedAt + Math.floor(r() * 30 * DAY) : null,
        unsatisfiedAt: r() < 0.15 ? receivedAt + Math.floor(r() * 30 * DAY) : null,
      };
    });
    // Daily buckets, the last one cut short (a live series ends at now).
    const buckets = Array.from({ length: 70 }, (_, i) => ({ start: t0 - 5 * DAY + i * DAY, end: t0 - 5 * DAY + (i + 1) * DAY - (i === 69 ? 7 * 3_600_000 : 0) }));
    const fast = feedbackCountsByBucket(items, buckets);
    expect(fast).toEqual(buckets.map((b) => feedbackCounts(items, b.start, b.end)));
    expect(fast.some((c) => c.feedbackOpenOverdue > 0 && c.feedbackFirstTimeLost > 0 && c.feedbackAnsweredOnTime > 0)).toBe(true);
  });
});
