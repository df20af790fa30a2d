import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DAY_MS, type DossierEvent, type KpiResponse, type RankingResponse, bucketStart, localDateOf } from '@ioc/shared';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

let t: TestApp;
const iso = (ms: number) => new Date(ms).toISOString();

const post = async (events: DossierEvent[]) => {
  const res = await t.http.post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.status).toBe(200);
  expect(res.body.rejected).toBe(0);
};
const kpis = async (scope: string, from: string, to: string): Promise<KpiResponse> => {
  const res = await t.http.get('/api/v1/kpis').query({ scope, from, to });
  expect(res.status).toBe(200);
  return res.body as KpiResponse;
};
const s35b = (k: KpiResponse) => {
  const s = k.indexV2!.groups.flatMap((g) => g.subIndicators).find((x) => x.id === '3.5b')!;
  return { numerator: s.numerator, denominator: s.denominator, points: s.points };
};
const rankingByIndex = async (from: string, to: string): Promise<RankingResponse> => {
  const res = await t.http.get('/api/v1/rankings').query({ scope: 'province:01', by: 'index', from, to });
  expect(res.status).toBe(200);
  return res.body as RankingResponse;
};

function received(id: string, unit: string, at: number, procedureCode: string): DossierEvent {
  return {
    eventId: `${id}-r`,
    type: 'received',
    occurredAt: iso(at),
    dossierId: id,
    communeCode: unit,
    procedureCode,
    sector: 'Hộ tịch',
    channel: 'online',
    fullOnlineEligible: true,
    resultRequired: false,
    feeRequired: true,
    dueAt: iso(at + 30 * DAY_MS),
  };
}
const paidOnline = (id: string, unit: string, at: number): DossierEvent => ({ eventId: `${id}-p`, type: 'paid', occurredAt: iso(at), dossierId: id, communeCode: unit, online: true });

describe('3.5b through the API: distinct procedures, today and yesterday', () => {
  const now = Date.now();
  const today = bucketStart(now, 'day');
  const yesterday = today - DAY_MS;
  // Today's instants stay before now, even just after midnight.
  const todayAt = (k: number) => today + Math.floor(((now - today) * k) / 10);
  const [from, to] = [localDateOf(yesterday), localDateOf(now)];

  beforeAll(async () => {
    t = await startTestApp();
    await post([
      // 00004: procedure A twice yesterday (unpaid), B yesterday paid online yesterday, A again today.
      received('F1', '00004', yesterday + 9 * 3_600_000, 'A'),
      received('F2', '00004', yesterday + 10 * 3_600_000, 'A'),
      received('F3', '00004', yesterday + 11 * 3_600_000, 'B'),
      paidOnline('F3', '00004', yesterday + 12 * 3_600_000),
      received('F4', '00004', todayAt(1), 'A'),
      // 00008: procedure A yesterday, unpaid.
      received('F5', '00008', yesterday + 9 * 3_600_000, 'A'),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts procedures once per unit, not dossiers', async () => {
    expect(s35b(await kpis('commune:00004', from, to))).toEqual({ numerator: 1, denominator: 2, points: 1.25 });
    // The province: A and B of 00004, A of 00008.
    expect(s35b(await kpis('province:01', from, to))).toEqual({ numerator: 1, denominator: 3, points: 0.83 });
    expect(s35b(await kpis('commune:00004', to, to))).toEqual({ numerator: 0, denominator: 1, points: 0 });
  });

  it('ranks by the index with the same 3.5b as /kpis, and follows a payment made today for a dossier of yesterday', async () => {
    const entryOf = (r: RankingResponse, unit: string) => r.entries.find((e) => e.unitCode === unit)!.indexV2!;
    const before = await rankingByIndex(from, to);
    for (const unit of ['00004', '00008']) {
      const k = (await kpis(`commune:${unit}`, from, to)).indexV2!;
      expect(entryOf(before, unit)).toMatchObject({ earned: k.earned, available: k.available });
    }
    // Yesterday's A of 00004 is paid online today: 2 of 2 procedures paid, 3.5b at 100% (full at 80%; 50% gave 1.25).
    await post([paidOnline('F1', '00004', todayAt(2))]);
    expect(s35b(await kpis('commune:00004', from, to))).toEqual({ numerator: 2, denominator: 2, points: 2 });
    const after = await rankingByIndex(from, to);
    const k = (await kpis('commune:00004', from, to)).indexV2!;
    expect(entryOf(after, '00004')).toMatchObject({ earned: k.earned, available: k.available });
    // 3.5b from 1.25 to 2 points, and 3.6 (linear, 6 points) from 1 of 4 fee-bearing dossiers paid online to 2 of 4: +1.5.
    expect(entryOf(after, '00004').earned - entryOf(before, '00004').earned).toBeCloseTo(0.75 + 1.5, 2);
  });

  it('gives series points by day their own day, and hourly points no 3.5b', async () => {
    const day = await t.http.get('/api/v1/kpis/series').query({ scope: 'commune:00008', from, to, granularity: 'day' });
    expect(day.status).toBe(200);
    // Yesterday: A received, not paid → 3.5b at 0 of 2 points, so not missing.
    expect(day.body.points[0].indexV2.missing).not.toContain('3.5b');
    // Today: nothing fee-bearing received → no data, never 0.
    expect(day.body.points[1].indexV2.missing).toContain('3.5b');
    const hour = await t.http.get('/api/v1/kpis/series').query({ scope: 'commune:00008', from, to: from, granularity: 'hour' });
    expect(hour.status).toBe(200);
    const nine = hour.body.points.find((p: { indexV2: unknown }) => p.indexV2 !== null);
    expect(nine.indexV2.missing).toContain('3.5b');
  });
});
