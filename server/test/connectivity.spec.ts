import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConnectivityResponse, ConnectivityTimeline, HeartbeatResponse } from '@ioc/shared';
import request from 'supertest';
import { registerIngestKey } from '../src/auth/provision.js';
import type { IngestSource } from '../src/auth/auth.types.js';
import { ConnectivityService } from '../src/connectivity/connectivity.service.js';
import { type TestApp, startTestApp } from './harness.js';

/**
 * Heartbeats as data: link states judged at explicit instants (no clock in the
 * assertions), who may report and read which commune, and bad input.
 * C = 00004 (Ba Đình, Hà Nội), C2 = 00008 (Ngọc Hà, Hà Nội), Qc = 25747 (Hồ Chí Minh).
 */
const C = '00004';
const C2 = '00008';
const Qc = '25747';
const KEY_C = 'conn-key-commune-0004';
const KEY_P = 'conn-key-province-01';

const MIN = 60_000;
/** Monday 5 January 2026, 08:00 in Vietnam: inside office hours. */
const T0 = Date.parse('2026-01-05T08:00:00+07:00');
const at = (minutes: number) => T0 + minutes * MIN;

let t: TestApp;
let svc: ConnectivityService;
const sourceC2: IngestSource = { keyId: '00000000-0000-4000-8000-000000000001', name: 'Một cửa Ba Đình', scope: { kind: 'commune', code: C2, provinceCode: '01' } };
let chair: string;
let leaderP: string;

beforeAll(async () => {
  t = await startTestApp();
  svc = t.app.get(ConnectivityService);
  await registerIngestKey(t.db, KEY_C, `commune:${C}`, 'Một cửa Ba Đình');
  await registerIngestKey(t.db, KEY_P, 'province:01', 'Một cửa Hà Nội');
  chair = (await t.signIn({ username: 'conn-chair', role: 'commune_chair', scope: `commune:${C}` })).accessToken;
  leaderP = (await t.signIn({ username: 'conn-leader', role: 'leader', scope: 'province:01' })).accessToken;
});
afterAll(async () => {
  await t?.close();
});

const stateAt = async (now: number) => {
  const r = await svc.current({ kind: 'commune', code: C2, provinceCode: '01' }, now);
  const c = r.communes[0]!;
  return { state: c.state, reasons: c.reasons, since: c.since };
};

describe('link state from heartbeats', () => {
  it('goes unknown → up → degraded (latency, backlog, gap) → down → up, at explicit instants', async () => {
    expect(await stateAt(at(0))).toEqual({ state: 'unknown', reasons: [], since: null });
    expect(await svc.heartbeat(sourceC2, { latencyMs: 120, backlogEvents: 0, oldestBacklogSeconds: null }, at(0))).toMatchObject({ state: 'up', reasons: [] });
    expect(await stateAt(at(0.5))).toEqual({ state: 'up', reasons: [], since: new Date(at(0)).toISOString() });
    await svc.heartbeat(sourceC2, { latencyMs: 120 }, at(1));
    // The state lasts across heartbeats that say the same.
    expect((await stateAt(at(1.5))).since).toBe(new Date(at(0)).toISOString());
    expect(await svc.heartbeat(sourceC2, { latencyMs: 3500 }, at(2))).toMatchObject({ state: 'degraded', reasons: ['latency'] });
    expect(await stateAt(at(2.5))).toEqual({ state: 'degraded', reasons: ['latency'], since: new Date(at(2)).toISOString() });
    await svc.heartbeat(sourceC2, { latencyMs: 200, backlogEvents: 900, oldestBacklogSeconds: 20 * 60 }, at(3));
    expect((await stateAt(at(3.5))).reasons).toEqual(['backlog']);
    await svc.heartbeat(sourceC2, { latencyMs: 200, backlogEvents: 0, oldestBacklogSeconds: null }, at(4));
    expect(await stateAt(at(6))).toEqual({ state: 'up', reasons: [], since: new Date(at(4)).toISOString() });
    // Silence: a gap of a few minutes, then down after 30 minutes.
    expect(await stateAt(at(4 + 3))).toEqual({ state: 'degraded', reasons: ['gap'], since: new Date(at(7)).toISOString() });
    expect(await stateAt(at(4 + 29))).toMatchObject({ state: 'degraded', reasons: ['gap'] });
    expect(await stateAt(at(4 + 30))).toEqual({ state: 'down', reasons: ['silent'], since: new Date(at(34)).toISOString() });
    expect(await stateAt(at(170))).toMatchObject({ state: 'down' });
    // Back: up again from the first heartbeat after the outage.
    await svc.heartbeat(sourceC2, { latencyMs: 300 }, at(180));
    expect(await stateAt(at(180.5))).toEqual({ state: 'up', reasons: [], since: new Date(at(180)).toISOString() });
    // A relay that announces a 10-minute interval is not degraded between its heartbeats.
    await svc.heartbeat(sourceC2, { latencyMs: 300, intervalSeconds: 600 }, at(181));
    expect((await stateAt(at(181 + 9))).state).toBe('up');
    expect((await stateAt(at(181 + 30))).state).toBe('down');
    await svc.heartbeat(sourceC2, { latencyMs: 300 }, at(240));
  });

  it('draws the day as intervals and outages, with the outage minutes in office hours', async () => {
    const tl = await svc.timeline(C2, { from: '2026-01-05', to: '2026-01-05' }, at(300));
    const shape = tl.intervals.map((i) => [i.state, i.reasons.join(','), new Date(i.from).getTime() - T0, i.minutes]);
    expect(shape).toEqual([
      ['unknown', '', -8 * 60 * MIN, 480],
      ['up', '', 0, 2],
      ['degraded', 'latency', 2 * MIN, 1],
      ['degraded', 'backlog', 3 * MIN, 1],
      ['up', '', 4 * MIN, 3],
      ['degraded', 'gap', 7 * MIN, 27],
      ['down', 'silent', 34 * MIN, 146],
      ['up', '', 180 * MIN, 30],
      ['degraded', 'gap', 210 * MIN, 1],
      ['down', 'silent', 211 * MIN, 29],
      ['up', '', 240 * MIN, 3],
      ['degraded', 'gap', 243 * MIN, 27],
      ['down', 'silent', 270 * MIN, 30],
    ]);
    // 08:04 → 11:00 lies in the morning's office hours (07:30–11:30): all 176 minutes count;
    // 11:01 → 12:00 only until 11:30; the outage still lasting since 12:00 has none until 13:00.
    expect(tl.outages).toEqual([
      { from: new Date(at(4)).toISOString(), to: new Date(at(180)).toISOString(), minutes: 176, workingMinutes: 176 },
      { from: new Date(at(181)).toISOString(), to: new Date(at(240)).toISOString(), minutes: 59, workingMinutes: 29 },
      { from: new Date(at(240)).toISOString(), to: null, minutes: 60, workingMinutes: 0 },
    ]);
    expect(tl.outageWorkingMinutes).toBe(205);
    expect(tl.totals).toEqual({ unknown: 480, up: 38, degraded: 57, down: 205 });
    expect(tl.heartbeats).toBe(8);
  });

  it('keeps communes that never sent a heartbeat unknown, and lists the worst first', async () => {
    const r = await svc.current({ kind: 'province', code: '01' }, at(300));
    expect(r.communes[0]).toMatchObject({ communeCode: C2, state: 'down' });
    expect(r.counts.down).toBe(1);
    expect(r.counts.unknown).toBe(r.communes.length - 1);
  });
});

describe('POST /api/v1/heartbeats', () => {
  const beat = (key: string | null, body: unknown) => {
    let req = request(t.app.getHttpServer()).post('/api/v1/heartbeats');
    if (key) req = req.set('X-Api-Key', key);
    return typeof body === 'string' ? req.set('Content-Type', 'application/json').send(body) : req.send(body as object);
  };

  it("stores a heartbeat for the key's commune, or a commune in the key's scope", async () => {
    const res = await beat(KEY_C, { latencyMs: 80, backlogEvents: 12, oldestBacklogSeconds: 30, sentAt: new Date().toISOString(), agent: 'ioc-relay/test' });
    expect(res.status).toBe(200);
    expect((res.body as HeartbeatResponse).communeCode).toBe(C);
    expect((res.body as HeartbeatResponse).state).toBe('up');
    expect((await beat(KEY_P, { communeCode: C2 })).status).toBe(200);
    // An empty heartbeat says "alive".
    expect((await request(t.app.getHttpServer()).post('/api/v1/heartbeats').set('X-Api-Key', KEY_C)).status).toBe(200);
    const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM link_heartbeat WHERE commune_code = $1`, [C])) as [{ n: number }];
    expect(n).toBe(2);
  });

  it('refuses a commune outside the key (403) and a province key without a commune (400)', async () => {
    const other = await beat(KEY_C, { communeCode: C2 });
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/may not report the link of/);
    expect((await beat(KEY_P, { communeCode: Qc })).status).toBe(403);
    const missing = await beat(KEY_P, {});
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/communeCode is required/);
    expect((await beat(null, {})).status).toBe(401);
    expect((await beat('not-a-key-000000000', {})).status).toBe(401);
  });

  it.each([
    ['a negative latency', { latencyMs: -5 }, /latencyMs/],
    ['a fractional backlog', { backlogEvents: 1.5 }, /backlogEvents: must be a whole number/],
    ['a backlog as text', { backlogEvents: '12' }, /backlogEvents/],
    ['an unknown field', { temperature: 41 }, /unknown field\(s\): temperature/],
    ['sentAt without an offset', { sentAt: '2026-01-05 08:00' }, /sentAt must be an ISO-8601 instant with an offset/],
    ['an interval too short', { intervalSeconds: 1 }, /intervalSeconds: at least 5 seconds/],
    ['a malformed commune code', { communeCode: '4' }, /communeCode must be a 5-digit/],
    ['an unknown commune code', { communeCode: '99999' }, /not a commune code/],
    ['an array', [{ latencyMs: 1 }], /must be a JSON object/],
    ['broken JSON', '{"latencyMs": ', /JSON/],
  ])('answers 400 with a clear message for %s', async (_label, body, message) => {
    const res = await beat(KEY_P, Array.isArray(body) || typeof body === 'string' ? body : { communeCode: C2, ...body });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });
});

describe('GET /api/v1/connectivity', () => {
  it("answers a province's leader for the province, worst first, with counts", async () => {
    const res = await t.as(leaderP).get('/api/v1/connectivity').query({ scope: 'province:01' });
    expect(res.status).toBe(200);
    const body = res.body as ConnectivityResponse;
    expect(body.communes.length).toBe(Object.values(body.counts).reduce((a, b) => a + b, 0));
    const c = body.communes.find((x) => x.communeCode === C)!;
    expect(c).toMatchObject({ state: 'up', lastHeartbeat: { backlogEvents: 0 } });
    expect(body.communes[body.communes.length - 1]!.state).toBe('unknown');
    expect(body.counts.unknown).toBe(body.communes.length - 2);
  });

  it("gives a commune chair their commune only; the caller's scope by default", async () => {
    const own = await t.as(chair).get('/api/v1/connectivity');
    expect(own.status).toBe(200);
    expect((own.body as ConnectivityResponse).communes.map((x) => x.communeCode)).toEqual([C]);
    expect((await t.as(chair).get('/api/v1/connectivity').query({ scope: 'province:01' })).status).toBe(403);
    expect(
      (
        await t
          .as(chair)
          .get('/api/v1/connectivity')
          .query({ scope: `commune:${C2}` })
      ).status,
    ).toBe(403);
    expect((await t.as(leaderP).get('/api/v1/connectivity').query({ scope: 'nation' })).status).toBe(403);
    expect((await t.as(leaderP).get('/api/v1/connectivity').query({ scope: 'province:79' })).status).toBe(403);
    expect((await request(t.app.getHttpServer()).get('/api/v1/connectivity')).status).toBe(401);
    expect((await t.http.get('/api/v1/connectivity').query({ scope: 'nation' })).body.communes.length).toBe(3321);
  });

  it('refuses bad parameters with 400', async () => {
    expect((await t.as(leaderP).get('/api/v1/connectivity').query({ scope: 'province:1' })).status).toBe(400);
    expect((await t.as(leaderP).get('/api/v1/connectivity').query({ state: 'down' })).status).toBe(400);
  });
});

describe('GET /api/v1/connectivity/{communeCode}/timeline', () => {
  it('answers the days asked, with an outage that still lasts', async () => {
    const res = await t.as(leaderP).get(`/api/v1/connectivity/${C2}/timeline`).query({ from: '2026-01-05', to: '2026-01-06' });
    expect(res.status).toBe(200);
    const tl = res.body as ConnectivityTimeline;
    expect(tl.intervals[0]).toMatchObject({ state: 'unknown' });
    expect(tl.intervals[tl.intervals.length - 1]).toMatchObject({ state: 'down' });
    // The heartbeat sent over HTTP just now ends the outage that began on 5 January at 12:00.
    expect(tl.outages[tl.outages.length - 1]).toMatchObject({ from: new Date(at(240)).toISOString() });
    expect(tl.outages[tl.outages.length - 1]!.to).not.toBeNull();
  });

  it('checks access and parameters', async () => {
    expect((await t.as(chair).get(`/api/v1/connectivity/${C}/timeline`)).status).toBe(200);
    expect((await t.as(chair).get(`/api/v1/connectivity/${C2}/timeline`)).status).toBe(403);
    const bad = [
      [C, { from: '2026-02-30' }, /from must be a local date/],
      [C, { from: '2026-01-10', to: '2026-01-05' }, /before from/],
      [C, { from: '2026-01-01', to: '2026-03-01' }, /at most 31 days/],
      [C, { days: '3' }, /unknown query parameter/],
      ['abc', {}, /5-digit commune code/],
    ] as const;
    for (const [code, query, message] of bad) {
      const res = await t.as(leaderP).get(`/api/v1/connectivity/${code}/timeline`).query(query);
      expect([res.status, res.body.message]).toEqual([400, expect.stringMatching(message)]);
    }
    expect((await t.as(leaderP).get('/api/v1/connectivity/99999/timeline')).status).toBe(404);
  });
});
