import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  DAY_MS,
  type FeedbackListResponse,
  type FeedbackSummaryResponse,
  type IndexV2SubIndicatorView,
  type IngestResponse,
  type KpiResponse,
  type RankingResponse,
  type SeriesResponse,
  feedbackCounts,
  type FeedbackFacts,
  indexV2Summary,
  startOfLocalDate,
  sumIndexV2Counts,
} from '@ioc/shared';
import { rebuildProjection } from '../src/projection/rebuild.js';
import { registerIngestKey } from '../src/auth/provision.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/**
 * Citizen feedback (PAKN) end to end: v1.1 feedback events through POST /events,
 * the feedback records the projector folds, GET /feedback and its summary, and
 * sub-indicators 5.2 and 5.3 of /kpis and the index ranking.
 *
 * Commune C = 00004 (Ba Đình, Hà Nội, province 01). The index fixture lies in
 * November 2026 (period end: 2026-12-01T00:00+07:00):
 * - F0: received in October, due 10-30, answered 11-02 (late): answered in the period, not first-time in it.
 * - F1: received 11-03, due 11-13, answered 11-10, rated satisfied; followed up by F5 on 11-14.
 * - F2: received 11-05, due 11-15, answered 11-20 (late), and again 11-22 (the first answer counts).
 * - F3: received 11-06, due 11-16, never answered: open and overdue at the period end.
 * - F4: received 11-08, due 11-18, answered 11-12, rated unsatisfied 11-13.
 * - F5: follow-up of F1, received 11-14, due 11-24, answered 11-20.
 * - F6: received 11-28, due 12-05: open at the period end, not past due then.
 * By hand:
 * - 5.2: answered in the period 5 (F0, F1, F2, F4, F5), on time 3 (F1, F4, F5); open at the end 2 (F3, F6), past due 1 (F3):
 *   (3 + 2 − 1) ÷ (5 + 2) = 4 ÷ 7 = 57.14 %, 6 × 4 / 7 = 3.43 points.
 * - 5.3: first-time received in the period 5 (F1, F2, F3, F4, F6); lost 4 (F1 followed up, F2 late, F3 overdue, F4 unsatisfied):
 *   1 ÷ 5 = 20 %, 1.2 points.
 * F7 (now, due in 5 days) is open now; Q1 lies in province 79.
 */
let t: TestApp;
const post = async (events: unknown[]): Promise<IngestResponse> => {
  const res = await t.http.post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.status).toBe(200);
  return res.body as IngestResponse;
};
const C = '00004';
const at = (local: string) => `${local}:00+07:00`;
const received = (id: string, occurred: string, due: string, topic: string, extra: Record<string, unknown> = {}) => ({
  eventId: `${id}-r`,
  type: 'feedback_received',
  occurredAt: at(occurred),
  feedbackId: id,
  communeCode: C,
  dueAt: at(due),
  topic,
  ...extra,
});
const answered = (id: string, occurred: string, suffix = 'a') => ({ eventId: `${id}-${suffix}`, type: 'feedback_answered', occurredAt: at(occurred), feedbackId: id, communeCode: C });
const rated = (id: string, occurred: string, satisfied: boolean) => ({ eventId: `${id}-s`, type: 'feedback_rated', occurredAt: at(occurred), feedbackId: id, communeCode: C, satisfied });

const NOW_ISO = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
const IN_5_DAYS = new Date(Date.parse(NOW_ISO) + 5 * DAY_MS).toISOString();

let chairC: string;
let leaderQ: string;
let firstBatch: IngestResponse;
let secondBatch: IngestResponse;

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  // Out of order: F1's answer and rating, and its follow-up F5, before F1's receipt.
  firstBatch = await post([
    answered('F1', '2026-11-10T09:00'),
    rated('F1', '2026-11-11T09:00', true),
    received('F5', '2026-11-14T09:00', '2026-11-24T17:00', 'procedure', { followUpOf: 'F1' }),
    answered('F5', '2026-11-20T09:00'),
    // Bad events, each rejected with its reason, beside the good ones.
    received('BAD-topic', '2026-11-05T09:00', '2026-11-15T17:00', 'roads'),
    { ...rated('BAD-rated', '2026-11-05T09:00', true), satisfied: undefined },
    { ...received('BAD-unit', '2026-11-05T09:00', '2026-11-15T17:00', 'other'), communeCode: '99999' },
    received('BAD-self', '2026-11-05T09:00', '2026-11-15T17:00', 'other', { followUpOf: 'BAD-self' }),
    { ...answered('BAD-dossier', '2026-11-05T09:00'), dossierId: 'D-9' },
  ]);
  secondBatch = await post([
    received('F1', '2026-11-03T09:00', '2026-11-13T17:00', 'procedure', { dossierId: 'H01.00004-261103-0001' }),
    received('F0', '2026-10-20T09:00', '2026-10-30T17:00', 'other'),
    answered('F0', '2026-11-02T09:00'),
    received('F2', '2026-11-05T09:00', '2026-11-15T17:00', 'staff'),
    answered('F2', '2026-11-22T09:00', 'a2'),
    answered('F2', '2026-11-20T09:00'),
    received('F3', '2026-11-06T09:00', '2026-11-16T17:00', 'other'),
    received('F4', '2026-11-08T09:00', '2026-11-18T17:00', 'procedure'),
    answered('F4', '2026-11-12T09:00'),
    rated('F4', '2026-11-13T09:00', false),
    received('F6', '2026-11-28T09:00', '2026-12-05T17:00', 'staff'),
    { eventId: 'F7-r', type: 'feedback_received', occurredAt: NOW_ISO, feedbackId: 'F7', communeCode: C, dueAt: IN_5_DAYS, topic: 'staff' },
    { eventId: 'Q1-r', type: 'feedback_received', occurredAt: at('2026-11-04T09:00'), feedbackId: 'Q1', communeCode: '25747', dueAt: at('2026-11-06T17:00'), topic: 'other' },
    // A replay of an event already stored: a no-op.
    answered('F1', '2026-11-10T09:00'),
  ]);
  chairC = (await t.signIn({ username: 'chutich.badinh', role: 'commune_chair', scope: `commune:${C}`, displayName: 'Chủ tịch UBND phường Ba Đình' })).accessToken;
  leaderQ = (await t.signIn({ username: 'lanhdao.79', role: 'leader', scope: 'province:79', displayName: 'Lãnh đạo TP Hồ Chí Minh' })).accessToken;
});
afterAll(async () => {
  await t?.close();
});

describe('POST /api/v1/events with feedback events (contract v1.1)', () => {
  it('accepts the good events of a batch and rejects each bad one with its reason', () => {
    expect(firstBatch).toMatchObject({ accepted: 4, rejected: 5, duplicates: 0 });
    const reasons = Object.fromEntries(firstBatch.results.filter((r) => r.status === 'rejected').map((r) => [r.eventId, r.reason]));
    expect(reasons).toEqual({
      'BAD-topic-r': 'topic must be one of procedure, staff, other',
      'BAD-rated-s': 'satisfied is required',
      'BAD-unit-r': 'communeCode 99999 is not a known commune (2025 codes)',
      'BAD-self-r': 'followUpOf names the feedback itself; it must name an earlier feedbackId',
      'BAD-dossier-a': 'unknown field(s): dossierId',
    });
  });

  it('answers a replayed event as a duplicate', () => {
    expect(secondBatch).toMatchObject({ accepted: 13, duplicates: 1, rejected: 0 });
    expect(secondBatch.results.at(-1)).toMatchObject({ eventId: 'F1-a', status: 'duplicate' });
  });

  it("refuses another scope's source an event for a feedback item it does not own, and leaves the item as it was", async () => {
    const key = 'test-key-province-79-feedback';
    await registerIngestKey(t.db, key, 'province:79', 'Một cửa TP. Hồ Chí Minh');
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/events?wait=projected')
      .set('X-Api-Key', key)
      .send({ events: [{ eventId: 'HCM-F3-a', type: 'feedback_answered', occurredAt: at('2026-11-07T09:00'), feedbackId: 'F3', communeCode: '25747' }] });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ index: 0, eventId: 'HCM-F3-a', status: 'rejected', reason: expect.stringMatching(/^feedback F3 belongs to Phường Ba Đình.*outside this key's scope/) }]);
    const [row] = (await t.db.query(`SELECT unit_code, answered_at FROM feedback WHERE feedback_id = 'F3'`)) as { unit_code: string; answered_at: Date | null }[];
    expect(row).toEqual({ unit_code: C, answered_at: null });
  });

  it('folds one record per feedbackId whatever the order: receipt, first answer, latest rating, follow-up', async () => {
    const rows = (await t.db.query(
      `SELECT feedback_id, unit_code, province_code, topic, dossier_id, follow_up_of, answered_at, satisfied, followed_up_at IS NOT NULL AS followed_up
       FROM feedback WHERE feedback_id IN ('F1', 'F2', 'F5') ORDER BY feedback_id`,
    )) as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        feedback_id: 'F1',
        unit_code: C,
        province_code: '01',
        topic: 'procedure',
        dossier_id: 'H01.00004-261103-0001',
        follow_up_of: null,
        answered_at: new Date(at('2026-11-10T09:00')),
        satisfied: true,
        followed_up: true,
      },
      {
        feedback_id: 'F2',
        unit_code: C,
        province_code: '01',
        topic: 'staff',
        dossier_id: null,
        follow_up_of: null,
        answered_at: new Date(at('2026-11-20T09:00')),
        satisfied: null,
        followed_up: false,
      },
      {
        feedback_id: 'F5',
        unit_code: C,
        province_code: '01',
        topic: 'procedure',
        dossier_id: null,
        follow_up_of: 'F1',
        answered_at: new Date(at('2026-11-20T09:00')),
        satisfied: null,
        followed_up: false,
      },
    ]);
  });

  it('documents the feedback events in OpenAPI: the schema and an example', async () => {
    const doc = (await t.http.get('/api/docs/openapi.json')).body as {
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: unknown; examples: Record<string, unknown> }> } } }>;
    };
    const body = doc.paths['/api/v1/events']!.post!.requestBody!.content['application/json']!;
    const schema = JSON.stringify(body.schema);
    for (const type of ['feedback_received', 'feedback_answered', 'feedback_rated', 'followUpOf', 'received']) expect(schema).toContain(`"${type}"`);
    expect(JSON.stringify(body.examples.feedback)).toContain('"followUpOf"');
    expect(doc.paths['/api/v1/feedback']).toBeDefined();
    expect(doc.paths['/api/v1/feedback/summary']).toBeDefined();
  });

  it('rebuilds the same feedback records from the raw log (npm run rebuild-rollups)', async () => {
    const snapshot = () => t.db.query(`SELECT * FROM feedback ORDER BY feedback_id`);
    const before = await snapshot();
    await rebuildProjection(t.db);
    expect(await snapshot()).toEqual(before);
  });
});

describe('GET /api/v1/feedback', () => {
  const list = async (query: Record<string, string>, token?: string): Promise<FeedbackListResponse> => {
    const res = await (token ? t.as(token) : t.http).get('/api/v1/feedback').query(query);
    expect(res.status).toBe(200);
    return res.body as FeedbackListResponse;
  };

  it('lists a commune: open first (least time left first), then answered (latest answer first), with states at now', async () => {
    const r = await list({ scope: `commune:${C}` }, chairC);
    expect(r.items.map((i) => [i.feedbackId, i.state])).toEqual([
      ['F3', 'overdue'],
      ['F6', 'overdue'],
      ['F7', 'open'],
      ['F2', 'answered_late'],
      ['F5', 'answered_on_time'],
      ['F4', 'answered_on_time'],
      ['F1', 'answered_on_time'],
      ['F0', 'answered_late'],
    ]);
    expect(r.totals).toEqual({ open: 1, overdue: 2, answered_on_time: 3, answered_late: 2, total: 8 });
    expect(r.total).toBe(8);
    const f7 = r.items.find((i) => i.feedbackId === 'F7')!;
    expect(f7).toMatchObject({ unitCode: C, unitName: expect.any(String), topic: 'staff', answeredAt: null, followedUp: false, satisfied: null });
    // Due five days after its receipt, a minute or so before now.
    expect(f7.hoursLeft).toBeGreaterThan(119);
    expect(f7.hoursLeft).toBeLessThanOrEqual(120);
    const f1 = r.items.find((i) => i.feedbackId === 'F1')!;
    expect(f1).toMatchObject({ followedUp: true, satisfied: true, hoursLeft: null, dossierId: 'H01.00004-261103-0001' });
  });

  it('filters by status, topic and receipt dates, and pages', async () => {
    const overdue = await list({ scope: `commune:${C}`, status: 'overdue' });
    expect(overdue.items.map((i) => i.feedbackId)).toEqual(['F3', 'F6']);
    expect(overdue.total).toBe(2);
    // totals ignore the status filter.
    expect(overdue.totals.total).toBe(8);
    const answeredStaff = await list({ scope: `commune:${C}`, status: 'answered', topic: 'staff' });
    expect(answeredStaff.items.map((i) => i.feedbackId)).toEqual(['F2']);
    const november = await list({ scope: 'province:01', from: '2026-11-01', to: '2026-11-30', status: 'open,overdue' });
    expect(november.items.map((i) => i.feedbackId)).toEqual(['F3', 'F6']);
    expect(november).toMatchObject({ from: '2026-11-01', to: '2026-11-30', status: ['open', 'overdue'] });
    const page = await list({ scope: `commune:${C}`, limit: '3', offset: '3' });
    expect(page.items.map((i) => i.feedbackId)).toEqual(['F2', 'F5', 'F4']);
    expect(page).toMatchObject({ total: 8, limit: 3, offset: 3 });
  });

  it('traces a stored feedback event to its feedback item and the key that sent it', async () => {
    const res = await t.http.get('/api/v1/events/Q1-r');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ eventId: 'Q1-r', type: 'feedback_received', feedbackId: 'Q1', unitCode: '25747' });
    expect(res.body).not.toHaveProperty('dossierId');
  });

  it('lists the nation for an administrator, and the province of the feedback for its leader', async () => {
    expect((await list({ scope: 'nation' })).total).toBe(9);
    expect((await list({}, leaderQ)).items.map((i) => i.feedbackId)).toEqual(['Q1']);
  });

  it('refuses a scope outside the caller’s (403)', async () => {
    for (const [query, token] of [
      [{ scope: 'province:79' }, chairC],
      [{ scope: `commune:${C}` }, leaderQ],
      [{ scope: 'nation' }, chairC],
    ] as const) {
      const res = await t.as(token).get('/api/v1/feedback').query(query);
      expect(res.status).toBe(403);
    }
    expect((await t.as(leaderQ).get('/api/v1/feedback/summary').query({ scope: 'province:01' })).status).toBe(200);
    expect((await t.as(chairC).get('/api/v1/feedback/summary').query({ scope: 'province:79' })).status).toBe(403);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['an unknown parameter', { page: '2' }, /unknown query parameter\(s\): page/],
    ['an unknown status', { status: 'closed' }, /status must be one or more of open, overdue, answered/],
    ['an unknown topic', { topic: 'roads' }, /topic must be one or more of procedure, staff, other/],
    ['a limit of 0', { limit: '0' }, /limit must be a whole number from 1 to 200/],
    ['a negative offset', { offset: '-1' }, /offset must be a whole number from 0/],
    ['a malformed date', { from: '2026-13-01' }, /from must be a date YYYY-MM-DD/],
    ['from after to', { from: '2026-11-20', to: '2026-11-01' }, /from \(2026-11-20\) is after to \(2026-11-01\)/],
    ['a malformed scope', { scope: 'city:1' }, /scope must be nation, province:<2-digit code> or commune:<5-digit code>/],
  ])('answers 400 to %s', async (_name, query, message) => {
    const res = await t.http.get('/api/v1/feedback').query(query);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(message);
  });

  it('answers 400 to a parameter given twice', async () => {
    const res = await t.http.get('/api/v1/feedback?status=open&status=overdue');
    expect(res.status).toBe(400);
  });
});

describe('GET /api/v1/feedback/summary', () => {
  it('counts states, topics, follow-ups and ratings of the items received in the period', async () => {
    const res = await t
      .as(chairC)
      .get('/api/v1/feedback/summary')
      .query({ scope: `commune:${C}`, from: '2026-11-01', to: '2026-11-30' });
    expect(res.status).toBe(200);
    const s = res.body as FeedbackSummaryResponse;
    // F1–F6: F0 was received in October, F7 today.
    expect(s.totals).toEqual({ open: 0, overdue: 2, answered_on_time: 3, answered_late: 1, total: 6 });
    expect(s.byTopic).toEqual({
      procedure: { open: 0, overdue: 0, answered_on_time: 3, answered_late: 0, total: 3 },
      staff: { open: 0, overdue: 1, answered_on_time: 0, answered_late: 1, total: 2 },
      other: { open: 0, overdue: 1, answered_on_time: 0, answered_late: 0, total: 1 },
    });
    expect(s).toMatchObject({ followUps: 1, followedUp: 1, rated: 2, unsatisfied: 1, from: '2026-11-01', to: '2026-11-30' });
  });

  it('answers 400 to a parameter the summary does not take', async () => {
    const res = await t.http.get('/api/v1/feedback/summary').query({ status: 'open' });
    expect(res.status).toBe(400);
  });
});

describe('sub-indicators 5.2 and 5.3 in GET /kpis and the index ranking', () => {
  const sub = (r: KpiResponse, id: string): IndexV2SubIndicatorView => r.indexV2!.groups.flatMap((g) => g.subIndicators).find((s) => s.id === id)!;
  const kpis = async (scope: string): Promise<KpiResponse> => {
    const res = await t.http.get('/api/v1/kpis').query({ scope, from: '2026-11-01', to: '2026-11-30' });
    expect(res.status).toBe(200);
    return res.body as KpiResponse;
  };

  it('equals the hand-computed numerators, denominators and points for the commune, its province and the nation', async () => {
    for (const scope of [`commune:${C}`, 'province:01']) {
      const r = await kpis(scope);
      expect(sub(r, '5.2')).toMatchObject({ numerator: 4, denominator: 7, rate: 57.14, points: 3.43, pointsLost: 2.57 });
      expect(sub(r, '5.3')).toMatchObject({ numerator: 1, denominator: 5, rate: 20, points: 1.2, pointsLost: 4.8 });
      expect(r.indexV2!.missing).not.toContain('5.2');
    }
    // The nation adds Q1 (province 79): received 11-04, due 11-06, open and overdue at the period end.
    const n = await kpis('nation');
    expect(sub(n, '5.2')).toMatchObject({ numerator: 4, denominator: 8 });
    expect(sub(n, '5.3')).toMatchObject({ numerator: 1, denominator: 6 });
  });

  it('has no data (no points, no penalty) where there is no feedback', async () => {
    const r = await kpis('commune:00008');
    expect(sub(r, '5.2')).toMatchObject({ numerator: 0, denominator: 0, rate: null, points: null });
    expect(r.indexV2!.missing).toEqual(expect.arrayContaining(['5.2', '5.3']));
  });

  it('counts them in each point of a series as in /kpis for the same period', async () => {
    const res = await t.http.get('/api/v1/kpis/series').query({ scope: `commune:${C}`, from: '2026-11-01', to: '2026-11-30', granularity: 'month' });
    expect(res.status).toBe(200);
    const [november] = (res.body as SeriesResponse).points;
    expect(november!.indexV2).toMatchObject({ earned: 4.63, available: 12 });
    // 30 November alone: nothing answered or received that day; open at its end F3 (past due) and F6 (not yet): 5.2 = 1 ÷ 2.
    const days = await t.http.get('/api/v1/kpis/series').query({ scope: `commune:${C}`, from: '2026-11-29', to: '2026-11-30', granularity: 'day' });
    expect((days.body as SeriesResponse).points.map((p) => p.indexV2?.earned ?? null)).toEqual([3, 3]);
  });

  it('gives each commune its own 5.2 and 5.3 in a ranking by index', async () => {
    const res = await t.http.get('/api/v1/rankings').query({ scope: 'province:01', level: 'commune', by: 'index', from: '2026-11-01', to: '2026-11-30' });
    expect(res.status).toBe(200);
    const r = res.body as RankingResponse;
    const c = r.entries.find((e) => e.unitCode === C)!;
    expect(c.indexV2!.points).toMatchObject({ '5.2': 3.43, '5.3': 1.2 });
    expect(c.indexV2!.earned).toBe(4.63);
    expect(r.entries.find((e) => e.unitCode === '00008')!.indexV2!.points['5.2']).toBeNull();
  });
});

describe('5.2 and 5.3 in SQL equal the shared rules (feedbackCounts) on generated records', () => {
  /** mulberry32: a small deterministic generator. */
  function rng(seed: number): () => number {
    let st = seed;
    return () => {
      let x = (st = (st + 0x6d2b79f5) | 0);
      x = Math.imul(x ^ (x >>> 15), x | 1);
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
  }
  const HOUR = 3_600_000;
  // Commune 25747 (province 79) holds Q1 and, from here on, generated records written straight into the table.
  const Q1: FeedbackFacts = { receivedAt: Date.parse(at('2026-11-04T09:00')), dueAt: Date.parse(at('2026-11-06T17:00')), answeredAt: null, firstTime: true, followedUpAt: null, unsatisfiedAt: null };
  const items: FeedbackFacts[] = [Q1];

  beforeAll(async () => {
    const r = rng(42);
    const t0 = Date.parse(at('2026-10-01T00:00'));
    const rows = Array.from({ length: 300 }, (_, i) => {
      const receivedAt = t0 + Math.floor(r() * 60 * 24) * HOUR;
      const dueAt = receivedAt + Math.floor(r() * 12 * 24) * HOUR;
      const fate = r();
      const answeredAt = fate < 0.15 ? null : fate < 0.25 ? dueAt : receivedAt + Math.floor(r() * 20 * 24) * HOUR;
      const f: FeedbackFacts = {
        receivedAt,
        dueAt,
        answeredAt,
        firstTime: r() < 0.9,
        followedUpAt: r() < 0.1 ? receivedAt + Math.floor(r() * 30 * 24) * HOUR : null,
        unsatisfiedAt: r() < 0.15 ? receivedAt + Math.floor(r() * 30 * 24) * HOUR : null,
      };
      items.push(f);
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      return [`G-${i}`, iso(f.receivedAt), iso(f.dueAt), iso(f.answeredAt), f.firstTime ? null : 'G-earlier', iso(f.followedUpAt), iso(f.unsatisfiedAt), f.unsatisfiedAt === null ? null : false];
    });
    for (const row of rows) {
      await t.db.query(
        `INSERT INTO feedback (feedback_id, unit_code, province_code, topic, received_at, received_event_id, due_at, answered_at, follow_up_of, followed_up_at, unsatisfied_at, satisfied, rated_at)
         VALUES ($1, '25747', '79', 'other', $2, $1, $3, $4, $5, $6, $7, $8, $7)`,
        row,
      );
    }
  });

  it.each<[string, string]>([
    ['2026-11-01', '2026-11-30'],
    ['2026-10-01', '2026-10-31'],
    ['2026-11-10', '2026-11-10'],
    ['2026-10-15', '2026-12-05'],
  ])('from %s to %s', async (from, to) => {
    const res = await t.http.get('/api/v1/kpis').query({ scope: 'commune:25747', from, to });
    expect(res.status).toBe(200);
    const subs = (res.body as KpiResponse).indexV2!.groups.flatMap((g) => g.subIndicators);
    const c = feedbackCounts(items, startOfLocalDate(from), startOfLocalDate(to) + DAY_MS);
    expect(c.feedbackAnswered + c.feedbackOpen).toBeGreaterThan(0);
    expect(subs.find((x) => x.id === '5.2')).toMatchObject({
      numerator: c.feedbackAnsweredOnTime + c.feedbackOpen - c.feedbackOpenOverdue,
      denominator: c.feedbackAnswered + c.feedbackOpen,
    });
    expect(subs.find((x) => x.id === '5.3')).toMatchObject({ numerator: c.feedbackFirstTime - c.feedbackFirstTimeLost, denominator: c.feedbackFirstTime });
  });

  it('in every point of a daily series', async () => {
    const res = await t.http.get('/api/v1/kpis/series').query({ scope: 'commune:25747', from: '2026-10-20', to: '2026-11-30', granularity: 'day' });
    expect(res.status).toBe(200);
    const points = (res.body as SeriesResponse).points;
    expect(points).toHaveLength(42);
    const want = points.map((p) => {
      const start = startOfLocalDate(p.label);
      const s = indexV2Summary(sumIndexV2Counts([feedbackCounts(items, start, start + DAY_MS)]));
      return s.available === 0 ? null : [s.earned, s.available];
    });
    expect(points.map((p) => (p.indexV2 ? [p.indexV2.earned, p.indexV2.available] : null))).toEqual(want);
    expect(want.filter((w) => w !== null && w[1] === 12).length).toBeGreaterThan(10);
  });
});
