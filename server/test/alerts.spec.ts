import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type AlertDetail, type AuditListResponse, type AlertListResponse, type AlertsData, type DossierEvent, addDays } from '@ioc/shared';
import { at, eventsOf, ms } from '../../shared/src/kpi/test-dossiers.js';
import { AlertEngine } from '../src/alerts/alert-engine.service.js';
import { KpiService } from '../src/kpi/kpi.service.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';
import { TestLiveClient } from './live-client.js';

/**
 * The alert engine on a real database, with pinned evaluation times on
 * Monday 16 November 2026 (Asia/Ho_Chi_Minh), strictly increasing through the file.
 */
let a: TestApp;
let b: TestApp;
const opened: TestApp[] = [];

beforeAll(async () => {
  a = await startTestApp();
  b = await startTestApp({}, a.url);
  opened.push(b, a);
});
afterAll(async () => {
  for (const t of opened) await t.close();
});

const post = async (events: DossierEvent[]) => {
  const res = await request(a.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.accepted).toBe(events.length);
};
const evaluate = (t: TestApp, local: string) => t.app.get(AlertEngine).evaluate(ms(local));
const alerts = async (t: TestApp, query: Record<string, string>) => (await t.http.get('/api/v1/alerts').query(query)).body as AlertListResponse;

let n = 0;
/** `count` dossiers received the week before at `unit`, due Friday 13th: overdue by Monday. */
const overdue = (unit: string, count: number) => Array.from({ length: count }, () => eventsOf({ id: `OD-${unit}-${++n}`, unit, received: '2026-11-09T08:00', due: '2026-11-13T17:00' })).flat();
const complete = (events: DossierEvent[], count: number, when: string) =>
  events
    .filter((e) => e.type === 'received')
    .slice(0, count)
    .map(
      (e) =>
        ({
          eventId: `${e.dossierId}-c`,
          dossierId: e.dossierId,
          communeCode: (e as { communeCode: string }).communeCode,
          type: 'completed',
          occurredAt: at(when),
          outcome: 'resolved',
        }) as DossierEvent,
    );

describe('alert engine and operator workflow', () => {
  let backlogId = '';

  it('fires after the pending period, keeps one alert through flapping, escalates it, and clears it past the hysteresis band', async () => {
    const first = overdue('00004', 25);
    await post(first);
    const q = { rule: 'commune-overdue-backlog', scope: 'commune:00004' };
    await evaluate(a, '2026-11-16T09:00');
    await evaluate(a, '2026-11-16T09:10');
    expect((await alerts(a, q)).total).toBe(0);
    await evaluate(a, '2026-11-16T09:16');
    let list = await alerts(a, q);
    expect(list.items.map((x) => [x.severity, x.status, x.firedValue])).toEqual([['warning', 'active', 25]]);
    backlogId = list.items[0]!.id;

    // 17 overdue: below the threshold (20) but not past its band (15): still one alert.
    await post(complete(first, 8, '2026-11-16T09:20'));
    await evaluate(a, '2026-11-16T09:25');
    // Back up to 23: no second alert.
    await post(overdue('00004', 6));
    await evaluate(a, '2026-11-16T09:30');
    list = await alerts(a, q);
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ status: 'active', severity: 'warning', lastValue: 23 });

    // 63 overdue: the same alert becomes major.
    await post(overdue('00004', 40));
    await evaluate(a, '2026-11-16T09:35');
    list = await alerts(a, q);
    expect(list.items.map((x) => [x.id, x.severity])).toEqual([[backlogId, 'major']]);

    // Down to 10 at 09:40: clears after 30 minutes past the band.
    const open = (await a.db.query(`SELECT dossier_id FROM dossier WHERE unit_code = '00004' AND completed_at IS NULL ORDER BY dossier_id`)) as { dossier_id: string }[];
    await post(
      open
        .slice(10)
        .map((d) => ({ eventId: `${d.dossier_id}-c`, dossierId: d.dossier_id, communeCode: '00004', type: 'completed', occurredAt: at('2026-11-16T09:40'), outcome: 'resolved' }) as DossierEvent),
    );
    await evaluate(a, '2026-11-16T09:45');
    expect((await alerts(a, q)).items[0]!.status).toBe('active');
    await evaluate(a, '2026-11-16T10:16');
    list = await alerts(a, q);
    expect(list.items.map((x) => [x.id, x.status, x.lastValue])).toEqual([[backlogId, 'cleared', 10]]);

    const detail = (await a.http.get(`/api/v1/alerts/${backlogId}`)).body as AlertDetail;
    expect(detail.history.map((h) => h.action)).toEqual(['fired', 'escalated', 'cleared']);
    expect(detail.rule).toMatchObject({ id: 'commune-overdue-backlog', kind: 'backlog', params: { thresholds: { warning: 20, major: 50, critical: 100 }, pendingMinutes: 15 } });
    expect(detail.firedDetails).toMatchObject({ inProgressOverdue: 25 });
    expect(detail.unitName).toBeTruthy();
  });

  it('fires no-data for a silent commune in working hours, not at night, and clears when data returns', async () => {
    // Two communes that report every working day for four weeks.
    const history = (unit: string) =>
      Array.from({ length: 28 }, (_, i) => new Date(Date.UTC(2026, 9, 19 + i)).toISOString().slice(0, 10))
        .filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))
        .flatMap((d) => eventsOf({ id: `H-${unit}-${d}`, unit, received: `${d}T09:00`, due: `${d}T17:00`, completed: `${d}T10:00` }));
    await post([...history('00008'), ...history('00025')]);
    // When each last delivered (their history was sent just now).
    await a.db.query(`UPDATE unit_activity SET last_ingested_at = $2 WHERE unit_code = $1`, ['00008', at('2026-11-16T10:30')]);
    await a.db.query(`UPDATE unit_activity SET last_ingested_at = $2 WHERE unit_code = $1`, ['00025', at('2026-11-16T16:50')]);
    const q = { rule: 'commune-silence' };

    // 10:30 → 14:00 is 90 working minutes (lunch excluded): not above 90 yet.
    await evaluate(a, '2026-11-16T11:00');
    await evaluate(a, '2026-11-16T14:00');
    expect((await alerts(a, q)).total).toBe(0);
    await evaluate(a, '2026-11-16T14:05');
    let list = await alerts(a, q);
    expect(list.items.map((x) => [x.unitCode, x.severity, x.firedValue])).toEqual([['00008', 'warning', 95]]);

    // At night 00025 has been silent for only 10 working minutes: nothing; 00008 passed 180 before 17:00.
    await evaluate(a, '2026-11-16T23:00');
    list = await alerts(a, q);
    expect(list.items.map((x) => [x.unitCode, x.severity])).toEqual([['00008', 'major']]);

    // Data comes back.
    await post(eventsOf({ id: 'BACK-00008', unit: '00008', received: '2026-11-16T09:00', due: '2026-11-20T17:00' }));
    await evaluate(a, '2026-11-17T08:00');
    list = await alerts(a, { ...q, status: 'active' });
    expect(list.total).toBe(0);
    expect((await alerts(a, q)).items.map((x) => [x.unitCode, x.status])).toEqual([['00008', 'cleared']]);
  });

  it('never creates a second active alert, with two server processes evaluating together', async () => {
    const put = await a.http.put('/api/v1/alert-rules/commune-overdue-backlog/overrides/00070').send({ pendingMinutes: 0, thresholds: { warning: 5, critical: 10 } });
    expect(put.status).toBe(200);
    await post(overdue('00070', 12));
    const results = await Promise.all([evaluate(a, '2026-11-17T08:30'), evaluate(b, '2026-11-17T08:30'), evaluate(a, '2026-11-17T08:31'), evaluate(b, '2026-11-17T08:31')]);
    expect(results.some((r) => r !== null)).toBe(true);
    const list = await alerts(b, { rule: 'commune-overdue-backlog', scope: 'commune:00070' });
    expect(list.items.map((x) => [x.severity, x.status])).toEqual([['critical', 'active']]);
    // The database itself refuses a second active alert for the same rule and unit.
    await expect(
      a.db.query(
        `INSERT INTO alert (rule_id, unit_code, province_code, severity, status, fired_at, updated_at, fired_value, params, details)
         VALUES ('commune-overdue-backlog', '00070', '01', 'warning', 'active', now(), now(), 1, '{}', '{}')`,
      ),
    ).rejects.toThrow(/alert_one_active/);
  });

  it('keeps acknowledgements, assignments and notes across a restart, with an audit trail', async () => {
    const binh = (await b.signIn({ username: 'tran.binh', displayName: 'Trần Thị Bình', role: 'operator', scope: 'province:01' })).accessToken;
    const cuong = (await b.signIn({ username: 'le.cuong', displayName: 'Lê Văn Cường', role: 'commune_chair', scope: 'commune:00004' })).accessToken;
    const leader = (await b.signIn({ username: 'lanhdao.01', role: 'leader', scope: 'province:01' })).accessToken;
    // Leaders watch; operators and the commune's chair act. Who acts is the signed-in account, not a field.
    expect((await b.as(leader).post(`/api/v1/alerts/${backlogId}/acknowledge`).send({})).status).toBe(403);
    expect((await b.as(binh).post(`/api/v1/alerts/${backlogId}/acknowledge`).send({ by: 'x' })).body.message).toBe('unknown field(s): by');
    const ack = await b.as(binh).post(`/api/v1/alerts/${backlogId}/acknowledge`).send({ note: 'Đã gọi điện cho xã, đang xử lý tồn đọng.' });
    expect(ack.status).toBe(200);
    expect((await b.as(cuong).post(`/api/v1/alerts/${backlogId}/acknowledge`).send({})).status).toBe(409);
    await b.as(binh).post(`/api/v1/alerts/${backlogId}/assign`).send({ assignee: 'le.cuong' }).expect(200);
    await b.as(cuong).post(`/api/v1/alerts/${backlogId}/comments`).send({ note: 'Xã báo cáo đã giải quyết xong.' }).expect(200);

    await b.close();
    opened.splice(opened.indexOf(b), 1);
    const c = await startTestApp({}, a.url);
    opened.unshift(c);
    const detail = (await c.http.get(`/api/v1/alerts/${backlogId}`)).body as AlertDetail;
    expect(detail).toMatchObject({ acknowledged: true, acknowledgedBy: 'Trần Thị Bình (tran.binh)', assignee: 'le.cuong', assigneeName: 'Lê Văn Cường' });
    expect(detail.history.map((h) => [h.action, h.actor, h.note])).toEqual([
      ['fired', 'system', null],
      ['escalated', 'system', null],
      ['cleared', 'system', null],
      ['acknowledged', 'Trần Thị Bình (tran.binh)', 'Đã gọi điện cho xã, đang xử lý tồn đọng.'],
      ['assigned', 'Trần Thị Bình (tran.binh)', null],
      ['commented', 'Lê Văn Cường (le.cuong)', 'Xã báo cáo đã giải quyết xong.'],
    ]);
    // The same actions are in the audit log, with the accounts that took them.
    const audit = (await c.http.get('/api/v1/audit').query({ action: 'alert', target: `alert:${backlogId}` })).body as AuditListResponse;
    expect(audit.items.map((e) => [e.action, e.actor]).reverse()).toEqual([
      ['alert.acknowledge', 'tran.binh'],
      ['alert.assign', 'tran.binh'],
      ['alert.comment', 'le.cuong'],
    ]);
    expect(detail.history[4]).toMatchObject({ from: { assignee: null }, to: { assignee: 'le.cuong' } });
  });

  it('reads rolling windows from cached past days exactly as from scratch', async () => {
    const kpi = a.app.get(KpiService);
    const cache = new Map<string, Promise<unknown>>();
    const past = { get: <T>(key: string, read: () => Promise<T>) => (cache.get(key) ?? cache.set(key, read()).get(key)!) as Promise<T> };
    const now = ms('2026-11-17T09:00');
    for (const days of [1, 7, 30]) {
      for (const level of ['commune', 'province'] as const) {
        const period = kpi.periodOf(addDays('2026-11-17', -(days - 1)), '2026-11-17', now);
        // Twice: the second time the past comes from the cache.
        for (let i = 0; i < 2; i++) {
          const cached = await kpi.unitFigures({ kind: 'nation' }, level, period, new Map(), past);
          const fresh = await kpi.unitFigures({ kind: 'nation' }, level, period);
          expect(cached).toEqual(fresh);
        }
      }
    }
    expect(cache.size).toBeGreaterThan(0);
  });

  it('filters and pages the alert list, and answers bad filters clearly', async () => {
    const api = a.http;
    const all = await alerts(a, {});
    expect(all.total).toBeGreaterThanOrEqual(3);
    // Active first.
    const firstCleared = all.items.findIndex((x) => x.status === 'cleared');
    expect(all.items.slice(firstCleared).every((x) => x.status === 'cleared')).toBe(true);
    const page = await alerts(a, { pageSize: '1', page: '2' });
    expect(page.items[0]!.id).toBe(all.items[1]!.id);
    expect((await alerts(a, { acknowledged: 'true' })).items.map((x) => x.id)).toEqual([backlogId]);
    expect((await alerts(a, { severity: 'critical', status: 'active' })).items.every((x) => x.severity === 'critical' && x.status === 'active')).toBe(true);
    expect((await alerts(a, { scope: 'province:04' })).total).toBe(0);
    expect((await alerts(a, { from: '2026-11-17', to: '2026-11-17' })).items.map((x) => x.unitCode)).toEqual(['00070']);
    for (const [query, message] of [
      [{ severity: 'urgent' }, 'severity must be among critical, major, minor, warning, got "urgent"'],
      [{ status: 'open' }, 'status must be active or cleared, got "open"'],
      [{ pageSize: '500' }, 'pageSize must be a whole number from 1 to 200, got "500"'],
      [{ rule: 'x' }, /rule must be one of commune-on-time-7d/],
      [{ scope: 'province:99' }, /99/],
    ] as const) {
      const res = await api.get('/api/v1/alerts').query(query);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body.message).toMatch(message);
    }
    expect((await api.get('/api/v1/alerts/999999')).status).toBe(404);
    const rules = (await api.get('/api/v1/alert-rules')).body as { id: string; overrides: number }[];
    expect(rules.find((r) => r.id === 'commune-overdue-backlog')?.overrides).toBe(1);
    expect((await api.put('/api/v1/alert-rules/province-on-time-7d/overrides/00004').send({ enabled: false })).body.message).toMatch(/applies to provinces/);
    expect((await api.put('/api/v1/alert-rules/commune-silence/overrides/01').send({ thresholds: { urgent: 3 } })).body.message).toMatch(/thresholds/);
    expect((await api.delete('/api/v1/alert-rules/commune-silence/overrides/00004')).body.message).toBe('rule commune-silence has no override for 00004');
    await api.put('/api/v1/alert-rules/commune-silence/overrides/00004').send({ enabled: false }).expect(200);
    await api.delete('/api/v1/alert-rules/commune-silence/overrides/00004').expect(204);
    expect((await api.post(`/api/v1/alerts/${backlogId}/assign`).send({})).body.message).toBe('assignee: whom to assign the alert to is required');
    expect((await api.post(`/api/v1/alerts/${backlogId}/comments`).send({ note: ' ' })).body.message).toBe('note: the comment is empty');
  });

  it('pushes open alerts to the scopes they concern over socket.io', async () => {
    const port = (a.app.getHttpServer().address() as { port: number }).port;
    const c = new TestLiveClient(`http://127.0.0.1:${port}`, a.token);
    try {
      const topic = await c.subs.add({ scope: 'province:01', view: 'alerts' });
      expect(topic).toBe('alerts|province:01|today');
      const ids = (s: { data: unknown }) =>
        Object.values(s.data as AlertsData)
          .map((x) => `${x.ruleId}@${x.unitCode}:${x.status}`)
          .sort();
      let s = await c.waitFor(topic, (st) => st.status === 'live');
      // Open: active, or cleared and not acknowledged (the acknowledged backlog alert of 00004 is not).
      expect(ids(s)).toContain('commune-overdue-backlog@00070:active');
      expect(ids(s)).toContain('commune-silence@00008:cleared');
      expect(ids(s)).not.toContain('commune-overdue-backlog@00004:cleared');
      const silence = Object.values(s.data as AlertsData).find((x) => x.ruleId === 'commune-silence')!;

      // Acknowledged after it cleared: it leaves the open list.
      await a.http.post(`/api/v1/alerts/${silence.id}/acknowledge`).send({}).expect(200);
      s = await c.waitFor(topic, (st) => !ids(st).includes('commune-silence@00008:cleared'), 10_000, 'acknowledged alert gone');

      // A new alert appears.
      await a.http.put('/api/v1/alert-rules/commune-overdue-backlog/overrides/00091').send({ pendingMinutes: 0 }).expect(200);
      await post(overdue('00091', 21));
      await evaluate(a, '2026-11-17T09:00');
      s = await c.waitFor(topic, (st) => ids(st).includes('commune-overdue-backlog@00091:active'), 10_000, 'new alert');
      expect(c.messages.filter((m) => m.topic === topic && m.kind === 'snapshot')).toHaveLength(1);
      // Another province's topic does not carry it.
      const other = await c.subs.add({ scope: 'province:04', view: 'alerts' });
      expect(ids(await c.waitFor(other, (st) => st.status === 'live'))).toEqual([]);
    } finally {
      c.close();
    }
  });

  it('fires when overdue dossiers grow fast within the day', async () => {
    await a.http.put('/api/v1/alert-rules/commune-overdue-growth/overrides/00097').send({ pendingMinutes: 0 }).expect(200);
    // Twelve dossiers received this morning, all due at 09:30 and still open: twelve more overdue than at midnight.
    await post(Array.from({ length: 12 }, (_, i) => eventsOf({ id: `GR-${i}`, unit: '00097', received: '2026-11-17T07:30', due: '2026-11-17T09:30' })).flat());
    await evaluate(a, '2026-11-17T09:10');
    expect((await alerts(a, { rule: 'commune-overdue-growth' })).total).toBe(0);
    await evaluate(a, '2026-11-17T10:00');
    const list = await alerts(a, { rule: 'commune-overdue-growth' });
    expect(list.items.map((x) => [x.unitCode, x.severity, x.firedValue])).toEqual([['00097', 'warning', 12]]);
  });
});
