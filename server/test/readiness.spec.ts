import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_RULES, type ReadinessDetail, type ReadinessListResponse } from '@ioc/shared';
import request from 'supertest';
import { AlertEngine } from '../src/alerts/alert-engine.service.js';
import { registerIngestKey } from '../src/auth/provision.js';
import type { IngestSource } from '../src/auth/auth.types.js';
import { ConnectivityService } from '../src/connectivity/connectivity.service.js';
import { LinkRetention } from '../src/connectivity/link-retention.js';
import { ReadinessService } from '../src/readiness/readiness.service.js';
import { type TestApp, startTestApp } from './harness.js';

/**
 * Readiness profiles (versioned, validated, who may write them), the heartbeat alert
 * rule beside the data-silence rule, and heartbeat retention, at explicit instants.
 * C = 00004 (Ba Đình, Hà Nội), C2 = 00008 (Ngọc Hà, Hà Nội), Qc = 25747 (Hồ Chí Minh).
 */
const C = '00004';
const C2 = '00008';
const Qc = '25747';
const KEY_P = 'ready-key-province-01';
const KEY_C = 'ready-key-commune-0004';

let t: TestApp;
let chair: string;

beforeAll(async () => {
  t = await startTestApp({ HEARTBEAT_RETENTION_DAYS: '7' });
  await registerIngestKey(t.db, KEY_P, 'province:01', 'Sở Nội vụ Hà Nội');
  await registerIngestKey(t.db, KEY_C, `commune:${C}`, 'Một cửa Ba Đình');
  chair = (await t.signIn({ username: 'ready-chair', role: 'commune_chair', scope: `commune:${C}` })).accessToken;
});
afterAll(async () => {
  await t?.close();
});

const server = () => t.app.getHttpServer();
const v = (value: number | boolean, asOf: string, source = 'Sở Nội vụ, kiểm kê quý III') => ({ value, asOf, source });

describe('readiness profile', () => {
  it('keeps every version: the current value is the one with the latest date, and a repeat is not recorded twice', async () => {
    let res = await t.http.put(`/api/v1/readiness/${C}`).send({ values: { itStaff: v(1, '2026-03-31'), scanners: v(2, '2026-03-31'), socCovered: v(false, '2026-03-31') } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ recorded: 3, unchanged: 0 });
    res = await t.http.put(`/api/v1/readiness/${C}`).send({ values: { itStaff: v(1, '2026-03-31'), scanners: v(3, '2026-09-30') } });
    expect(res.body).toEqual({ recorded: 1, unchanged: 1 });
    // A late report of an older date is kept in the history but does not become current.
    await request(server())
      .post('/api/v1/readiness')
      .set('X-Api-Key', KEY_P)
      .send({ communes: [{ communeCode: C, values: { scanners: v(1, '2025-12-31', 'Báo cáo năm 2025'), vneidLevel2Share: v(47.5, '2026-09-30', 'Công an thành phố') } }] })
      .expect(200, { recorded: 2, unchanged: 0 });

    const d = (await t.http.get(`/api/v1/readiness/${C}`).expect(200)).body as ReadinessDetail;
    expect(d.current.scanners).toMatchObject({ value: 3, asOf: '2026-09-30', via: 'admin', recordedBy: 'test-admin' });
    expect(d.history.scanners!.map((x) => [x.value, x.asOf, x.via])).toEqual([
      [3, '2026-09-30', 'admin'],
      [2, '2026-03-31', 'admin'],
      [1, '2025-12-31', 'api-key'],
    ]);
    expect(d.current.vneidLevel2Share).toMatchObject({ value: 47.5, via: 'api-key', recordedBy: 'Sở Nội vụ Hà Nội', source: 'Công an thành phố' });
    expect(d.current.socCovered!.value).toBe(0);
    expect(d.history.itStaff).toHaveLength(1);
    // itStaff 1/2, scanners 3/2 → 1, socCovered 0, VNeID 47.5/60: the mean in percent.
    expect(d.score).toBe(Math.round(((0.5 + 1 + 0 + 47.5 / 60) / 4) * 1000) / 10);

    const list = (await t.http.get('/api/v1/readiness').query({ scope: 'province:01' }).expect(200)).body as ReadinessListResponse;
    const row = list.communes.find((c) => c.communeCode === C)!;
    expect(row.current.scanners!.value).toBe(3);
    expect(list.communes.find((c) => c.communeCode === C2)).toMatchObject({ current: {}, score: null, link: null });
    // The chair reads the profile of their commune.
    await t.as(chair).get(`/api/v1/readiness/${C}`).expect(200);
    await t.as(chair).get(`/api/v1/readiness/${C2}`).expect(403);
    await t
      .as(chair)
      .put(`/api/v1/readiness/${C}`)
      .send({ values: { kiosks: v(1, '2026-09-30') } })
      .expect(403);

    // Every write is in the audit log: who, through what, for which communes, how many values were new.
    const audit = (await t.http.get('/api/v1/audit').query({ action: 'readiness.record' }).expect(200)).body as { items: { actor: string; target: string; details: Record<string, unknown> }[] };
    expect(audit.items.map((e) => [e.actor, e.target, e.details.via, e.details.recorded, e.details.unchanged])).toEqual([
      ['key:Sở Nội vụ Hà Nội', `unit:${C}`, 'api-key', 2, 0],
      ['test-admin', `unit:${C}`, 'admin', 1, 1],
      ['test-admin', `unit:${C}`, 'admin', 3, 0],
    ]);
  });

  it('refuses bad values, naming the field, and keys outside their province or of a commune', async () => {
    const bad = async (values: unknown) => (await t.http.put(`/api/v1/readiness/${C}`).send({ values }).expect(400)).body.message as string;
    expect(await bad({ itStaff: v(1.5, '2026-09-30') })).toMatch(/itStaff\.value: value must be a whole number/);
    expect(await bad({ vneidLevel2Share: v(120, '2026-09-30') })).toMatch(/vneidLevel2Share\.value: value is a percentage/);
    expect(await bad({ kiosks: { value: 1, asOf: '30/09/2026', source: 'x' } })).toMatch(/kiosks\.asOf/);
    expect(await bad({ kiosks: { value: 1, asOf: '2026-09-30', source: '  ' } })).toMatch(/kiosks\.source: source is required/);
    expect(await bad({ printers: v(1, '2026-09-30') })).toMatch(/unknown field\(s\): printers/);
    expect(await bad({})).toMatch(/name at least one field/);
    expect(await bad({ kiosks: v(1, '2099-01-01') })).toMatch(/in the future/);
    await t.http
      .put('/api/v1/readiness/99999')
      .send({ values: { kiosks: v(1, '2026-09-30') } })
      .expect(404);

    const push = (key: string, communeCode: string) =>
      request(server())
        .post('/api/v1/readiness')
        .set('X-Api-Key', key)
        .send({ communes: [{ communeCode, values: { kiosks: v(1, '2026-09-30') } }] });
    expect((await push(KEY_P, Qc)).status).toBe(403);
    const own = await push(KEY_C, C);
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/pushed by a province's key/);
    expect((await push(KEY_P, C2)).body).toEqual({ recorded: 1, unchanged: 0 });
    // Nothing of a refused push is recorded.
    const d = (await t.http.get(`/api/v1/readiness/${Qc}`).expect(200)).body as ReadinessDetail;
    expect(d.history).toEqual({});
  });
});

/** Monday 5 January 2026 in Vietnam; office hours 07:30–11:30 and 13:30–17:00. */
const local = (hhmm: string, date = '2026-01-05') => Date.parse(`${date}T${hhmm}:00+07:00`);
const heartbeatRule = DEFAULT_RULES.filter((r) => r.id === 'commune-no-heartbeat' || r.id === 'commune-silence');

describe('no heartbeat for 30 minutes in working hours', () => {
  const source: IngestSource = { keyId: '00000000-0000-4000-8000-000000000002', name: 'Một cửa Ngọc Hà', scope: { kind: 'commune', code: C2, provinceCode: '01' } };
  const alerts = async () =>
    (await t.db.query(`SELECT unit_code, rule_id, severity, status FROM alert WHERE rule_id IN ('commune-no-heartbeat', 'commune-silence') ORDER BY id`)) as {
      unit_code: string;
      rule_id: string;
      severity: string;
      status: string;
    }[];

  it('fires only for communes with a heartbeat source, counts working minutes only, and clears on the next heartbeat', async () => {
    const conn = t.app.get(ConnectivityService);
    const engine = t.app.get(AlertEngine);
    await conn.heartbeat(source, { latencyMs: 200 }, local('08:00'));
    await engine.evaluate(local('08:20'), heartbeatRule);
    expect(await alerts()).toEqual([]);
    await engine.evaluate(local('08:31'), heartbeatRule);
    // Only the commune with a relay: the others (no heartbeat source, no data) raise nothing here.
    expect(await alerts()).toEqual([{ unit_code: C2, rule_id: 'commune-no-heartbeat', severity: 'warning', status: 'active' }]);
    await conn.heartbeat(source, { latencyMs: 200 }, local('08:40'));
    await engine.evaluate(local('08:41'), heartbeatRule);
    expect((await alerts()).map((a) => a.status)).toEqual(['cleared']);

    // Silent from 11:20 over the lunch break: 10 working minutes by 13:30, 40 by 14:00.
    await conn.heartbeat(source, { latencyMs: 200 }, local('11:20'));
    await engine.evaluate(local('13:25'), heartbeatRule);
    expect(await alerts()).toHaveLength(1);
    await engine.evaluate(local('14:00'), heartbeatRule);
    expect((await alerts()).at(-1)).toEqual({ unit_code: C2, rule_id: 'commune-no-heartbeat', severity: 'warning', status: 'active' });
    // Two working hours later it escalates.
    await engine.evaluate(local('15:41'), heartbeatRule);
    expect((await alerts()).at(-1)!.severity).toBe('major');
    const [detail] = (await t.db.query(`SELECT details FROM alert WHERE rule_id = 'commune-no-heartbeat' AND status = 'active'`)) as { details: Record<string, unknown> }[];
    expect(detail!.details).toMatchObject({ lastHeartbeatAt: new Date(local('11:20')).toISOString(), backlogEvents: 0 });
    await conn.heartbeat(source, { latencyMs: 200 }, local('15:45'));
    await engine.evaluate(local('15:46'), heartbeatRule);
    expect((await alerts()).map((a) => a.status)).toEqual(['cleared', 'cleared']);
  });
});

describe('heartbeat retention', () => {
  it('summarises each closed day per commune, prunes raw heartbeats past the retention period, and serves the summary with readiness', async () => {
    const source: IngestSource = { keyId: '00000000-0000-4000-8000-000000000003', name: 'Một cửa Ba Đình', scope: { kind: 'commune', code: C, provinceCode: '01' } };
    const conn = t.app.get(ConnectivityService);
    // Commune C: up 08:00–09:00 on Tuesday 6 January (a beat every minute), then silent until Wednesday 08:00.
    for (let m = 0; m <= 60; m++) await conn.heartbeat(source, { latencyMs: m === 30 ? 2500 : 150, backlogEvents: m === 10 ? 40 : 0 }, local('08:00', '2026-01-06') + m * 60_000);
    await conn.heartbeat(source, { latencyMs: 150 }, local('08:00', '2026-01-07'));
    const retention = t.app.get(LinkRetention);
    const first = await retention.run(local('10:00', '2026-01-07'));
    expect(first!.summarisedDays).toEqual(['2026-01-05', '2026-01-06']);
    expect(first!.pruned).toBe(0);
    const [day] = (await t.db.query(`SELECT * FROM link_day WHERE commune_code = $1 AND day = '2026-01-06'`, [C])) as Record<string, unknown>[];
    // Unknown until 08:00; 60 minutes up but one degraded minute (latency); then 3 minutes up, 27 degraded (gap), down from 09:30.
    expect(day).toMatchObject({ heartbeats: 61, up_minutes: 62, degraded_minutes: 28, down_minutes: 870, max_latency_ms: 2500, max_backlog_events: '40' });
    // The outage from 09:00 in office hours: 09:00–11:30 and 13:30–17:00.
    expect(day!.outage_working_minutes).toBe(150 + 210);
    // Nothing new to summarise the same day; a week later, the days past the 7 kept are pruned once summarised.
    expect((await retention.run(local('11:00', '2026-01-07')))!.summarisedDays).toEqual([]);
    const later = await retention.run(local('10:00', '2026-01-14'));
    expect(later!.summarisedDays).toEqual(['2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13']);
    const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM link_heartbeat WHERE received_at < $1`, [new Date(local('00:00', '2026-01-07'))])) as { n: number }[];
    expect(n).toBe(0);
    expect(later!.pruned).toBeGreaterThan(60);
    const [{ kept }] = (await t.db.query(`SELECT count(*)::int AS kept FROM link_heartbeat WHERE commune_code = $1`, [C])) as { kept: number }[];
    expect(kept).toBe(1);
    // The summaries outlive the heartbeats.
    const [{ days }] = (await t.db.query(`SELECT count(*)::int AS days FROM link_day WHERE commune_code = $1`, [C])) as { days: number }[];
    expect(days).toBe(8);
    const list = await t.app.get(ReadinessService).list({ kind: 'province', code: '01' }, local('10:00', '2026-01-14'));
    // Eight days with a heartbeat source (6–13 January): the outage's office minutes on the 6th (360), all of them
    // from the 7th on (450 a working day; the 10th and 11th are a weekend).
    const link = list.communes.find((c) => c.communeCode === C)!.link!;
    expect(link).toEqual({ days: 8, upShare: expect.any(Number), outageWorkingMinutes: 360 + 450 * 5 });
    expect(link.upShare).toBeLessThan(1);
  });
});
