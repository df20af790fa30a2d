import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type IndexV2Totals, type KpiResponse, type RankingResponse, type SeriesResponse, addDays } from '@ioc/shared';
import { type DossierSpec, eventsOf } from '../../shared/src/kpi/test-dossiers.js';
import { registerIngestKey } from '../src/auth/provision.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

const HANOI_KEY = 'kpi-v2-series-hanoi-01';

let t: TestApp;
const kpis = async (scope: string, from: string, to: string): Promise<KpiResponse> => {
  const res = await t.http.get('/api/v1/kpis').query({ scope, from, to });
  expect(res.status).toBe(200);
  return res.body as KpiResponse;
};
const series = async (scope: string, from: string, to: string, granularity: 'day' | 'month'): Promise<SeriesResponse> => {
  const res = await t.http.get('/api/v1/kpis/series').query({ scope, from, to, granularity });
  expect(res.status).toBe(200);
  return res.body as SeriesResponse;
};
/** GET /kpis' index in the brief form a series point carries: null when nothing has data. */
const totalsOf = (k: KpiResponse): IndexV2Totals | null => {
  const v = k.indexV2!;
  return v.available === 0 ? null : { earned: v.earned, available: v.available, pointsLost: v.pointsLost, missing: v.missing };
};

// 00004 sends `synced` from 4 May, 00008 from 5 May at noon, 00025 never (province 01); one dossier in another province.
let otherCommune = '';
const specs = (): DossierSpec[] => [
  {
    id: 'S1',
    unit: '00004',
    received: '2026-05-04T08:00',
    due: '2026-05-06T17:00',
    channel: 'online',
    fullOnlineEligible: true,
    reusedDigitizedData: true,
    citizenDataUsed: true,
    synced: '2026-05-04T09:00',
    resultRequired: true,
    completed: '2026-05-05T10:00',
    resultIssued: { at: '2026-05-05T10:00', electronic: true, syncedToCitizenStore: true },
    rated: { at: '2026-05-05T11:00', satisfied: true, complaint: false },
  },
  {
    id: 'S2',
    unit: '00004',
    received: '2026-05-05T09:00',
    due: '2026-05-07T17:00',
    feeRequired: true,
    paid: { at: '2026-05-05T09:30', online: true },
    reusedDigitizedData: false,
    digitized: '2026-05-05T09:10',
  },
  { id: 'S3', unit: '00008', received: '2026-05-04T10:00', due: '2026-05-05T17:00', citizenDataUsed: false, completed: '2026-05-04T15:00' },
  { id: 'S4', unit: '00008', received: '2026-05-05T11:00', due: '2026-05-08T17:00', fromCitizenStore: true, synced: '2026-05-05T12:00', completed: '2026-05-09T08:00' },
  { id: 'S5', unit: '00025', received: '2026-05-06T08:00', due: '2026-05-07T17:00', completed: '2026-05-09T08:00', rated: { at: '2026-05-09T09:00', satisfied: false, complaint: false } },
  { id: 'S6', unit: otherCommune, received: '2026-05-05T14:00', due: '2026-05-20T17:00', channel: 'online', synced: '2026-05-05T15:00' },
];

beforeAll(async () => {
  t = await startTestApp();
  const [other] = (await t.db.query(`SELECT code FROM commune WHERE province_code <> '01' ORDER BY code LIMIT 1`)) as { code: string }[];
  otherCommune = other!.code;
  await registerIngestKey(t.db, HANOI_KEY, 'province:01', 'Danh mục TTHC Hà Nội');
  const events = specs().flatMap(eventsOf);
  const res = await t.http.post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body).toMatchObject({ accepted: events.length, rejected: 0 });
  // Reported values of May and of June: each point reads its own month's.
  const rep = await t.http
    .post('/api/v1/indicator-values')
    .set('X-Api-Key', HANOI_KEY)
    .send({
      values: [
        { unitCode: '00004', month: '2026-05', subIndicator: '1.1', numerator: 9, denominator: 10 },
        { unitCode: '01', month: '2026-05', subIndicator: '4.c', numerator: 1, denominator: 1 },
        { unitCode: '00004', month: '2026-06', subIndicator: '1.1', numerator: 3, denominator: 10 },
      ],
    });
  expect(rep.body).toMatchObject({ accepted: 3 });
});
afterAll(async () => {
  await t?.close();
});

describe('kpi-v2 index on series points', () => {
  // From 30 April the units tracked at some point are read; from 6 May (all but 00025 tracked) the untracked one is subtracted.
  it.each([
    ['commune:00004', '2026-04-30', '2026-06-02'],
    ['commune:00008', '2026-04-30', '2026-06-02'],
    ['province:01', '2026-04-30', '2026-06-02'],
    ['nation', '2026-04-30', '2026-06-02'],
    ['province:01', '2026-05-06', '2026-05-12'],
    ['nation', '2026-05-06', '2026-05-12'],
  ])('each day of %s %s..%s carries the index GET /kpis gives that one day', async (scope, from, to) => {
    const body = await series(scope, from, to, 'day');
    expect(body.points).toHaveLength(Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1);
    let withIndex = 0;
    for (const [i, p] of body.points.entries()) {
      const day = addDays(from, i);
      expect(p.label).toBe(day);
      expect(p.indexV2).toEqual(totalsOf(await kpis(scope, day, day)));
      if (p.indexV2) withIndex++;
    }
    expect(withIndex).toBeGreaterThan(0);
  });

  it('a day without data has no index: null, never 0 or "of 100"', async () => {
    const body = await series('province:01', '2026-04-28', '2026-05-04', 'day');
    const byDay = new Map(body.points.map((p) => [p.label, p]));
    for (const day of ['2026-04-28', '2026-04-29', '2026-04-30']) expect(byDay.get(day)!.indexV2).toBeNull();
    // The first day with dossiers (and May's reported values) has one, earned of what is available.
    const first = byDay.get('2026-05-04')!.indexV2!;
    expect(first.available).toBeGreaterThan(0);
    expect(first.available).toBeLessThan(100);
    expect(first.earned).toBeLessThanOrEqual(first.available);
    expect(Math.round((first.earned + first.pointsLost) * 100) / 100).toBe(first.available);
  });

  it("1.4 counts a unit from the day its sources sent `synced`, and reported values by the point's month", async () => {
    const body = await series('province:01', '2026-05-04', '2026-06-01', 'day');
    const byDay = new Map(body.points.map((p) => [p.label, p.indexV2!]));
    // 4 May: 00004 is tracked (S1 synced), 00008 not yet: 1.4 has data. A June day reads June's 1.1 (30%), May's days May's (90%).
    expect(byDay.get('2026-05-04')!.missing).not.toContain('1.4');
    expect(byDay.get('2026-05-04')!.missing).not.toContain('1.1');
    expect(byDay.get('2026-06-01')!.missing).not.toContain('1.1');
    expect(byDay.get('2026-06-01')!.missing).toContain('4.c');
    expect(byDay.get('2026-05-31')!.missing).not.toContain('4.c');
  });

  it("month points carry the month's index", async () => {
    const body = await series('province:01', '2026-04-01', '2026-06-30', 'month');
    expect(body.points.map((p) => p.label)).toEqual(['2026-04', '2026-05', '2026-06']);
    expect(body.points[0]!.indexV2).toBeNull();
    expect(body.points[1]!.indexV2).toEqual(totalsOf(await kpis('province:01', '2026-05-01', '2026-05-31')));
    expect(body.points[2]!.indexV2).toEqual(totalsOf(await kpis('province:01', '2026-06-01', '2026-06-30')));
  });
});

describe('rankings of a past period, kept between requests', () => {
  const ranking = async (by: string) => {
    const res = await t.http.get('/api/v1/rankings').query({ scope: 'province:01', level: 'commune', by, from: '2026-05-01', to: '2026-05-31' });
    expect(res.status).toBe(200);
    return res.body as RankingResponse;
  };
  const entry = (r: RankingResponse, unit: string) => r.entries.find((e) => e.unitCode === unit)!;

  it('answers the same twice, and a late event for a past day (or for the days before the period) shows at once', async () => {
    const first = await ranking('index');
    expect(await ranking('index')).toEqual(first);
    const before = entry(first, '00025');
    expect(before.counts).toMatchObject({ received: 1, carriedOver: 0 });
    // A dossier received in April and still open, and one received on 20 May: both arrive late.
    const late = [
      ...eventsOf({ id: 'L1', unit: '00025', received: '2026-04-20T08:00', due: '2026-04-22T17:00' }),
      ...eventsOf({ id: 'L2', unit: '00025', received: '2026-05-20T08:00', due: '2026-05-21T17:00', completed: '2026-05-21T09:00' }),
    ];
    const res = await t.http.post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events: late });
    expect(res.body).toMatchObject({ accepted: late.length });
    for (const by of ['index', 'points']) {
      const after = entry(await ranking(by), '00025');
      const fresh = await kpis('commune:00025', '2026-05-01', '2026-05-31');
      expect(after.counts).toEqual(fresh.counts);
      expect(after.counts).toMatchObject({ received: 2, carriedOver: 1, inProgress: 1, inProgressOverdue: 1 });
      expect(after.kpis).toEqual(fresh.kpis);
      // Only a ranking by the index carries it.
      if (by === 'index') expect(after.indexV2!.earned).toBe(fresh.indexV2!.earned);
      else expect(after.indexV2).toBeUndefined();
    }
  });
});
