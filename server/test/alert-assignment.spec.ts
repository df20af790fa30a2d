import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AlertAssignee, AlertDetail, AlertEvaluationStatus, AlertListResponse, AuditListResponse } from '@ioc/shared';
import { AlertEngine } from '../src/alerts/alert-engine.service.js';
import { type TestApp, startTestApp } from './harness.js';

/**
 * Assigning an alert to a person who may act on its unit, the "assigned to me" list,
 * when the alert engine last evaluated, and the audit entry of a report generated on request.
 */
let t: TestApp;
let operator: string;
let chair: string;
let leader: string;

async function alertOf(unit: string, province: string): Promise<string> {
  const [row] = (await t.db.query(
    `INSERT INTO alert (rule_id, unit_code, province_code, severity, status, fired_at, updated_at, fired_value, params, details)
     VALUES ('commune-overdue-backlog', $1, $2, 'major', 'active', now(), now(), 7, '{}', '{}') RETURNING id`,
    [unit, province],
  )) as { id: string }[];
  return String(row!.id);
}

beforeAll(async () => {
  t = await startTestApp();
  operator = (await t.signIn({ username: 'vanhanh.hn', displayName: 'Trần Thị Vận', role: 'operator', scope: 'province:01' })).accessToken;
  chair = (await t.signIn({ username: 'chutich.bd', displayName: 'Lê Văn Chủ', role: 'commune_chair', scope: 'commune:00004' })).accessToken;
  leader = (await t.signIn({ username: 'lanhdao.hn', displayName: 'Lãnh đạo Hà Nội', role: 'leader', scope: 'province:01' })).accessToken;
  // Neither of these may act on Ba Đình: another commune's chair, and an operator of Hồ Chí Minh.
  await t.signIn({ username: 'chutich.nh', displayName: 'Chủ tịch Ngọc Hà', role: 'commune_chair', scope: 'commune:00008' });
  await t.signIn({ username: 'vanhanh.hcm', displayName: 'Vận hành HCM', role: 'operator', scope: 'province:79' });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('alert assignment', () => {
  it("lists who may act on the alert's unit, assigns to one of them, filters by assignee and records it", async () => {
    const id = await alertOf('00004', '01');
    const people = (await t.as(operator).get(`/api/v1/alerts/${id}/assignees`).expect(200)).body as AlertAssignee[];
    expect(people.map((p) => p.username)).toEqual(['chutich.bd', 'vanhanh.hn', 'test-admin']);
    expect(people[0]).toEqual({ username: 'chutich.bd', displayName: 'Lê Văn Chủ', role: 'commune_chair', scope: 'commune:00004' });
    // Leaders watch: they neither see the pickers nor assign.
    expect((await t.as(leader).get(`/api/v1/alerts/${id}/assignees`)).status).toBe(403);

    // Someone who may not act on Ba Đình, or no account at all, is refused with a reason.
    const outsider = await t.as(operator).post(`/api/v1/alerts/${id}/assign`).send({ assignee: 'vanhanh.hcm' });
    expect(outsider.status).toBe(400);
    expect(outsider.body.message).toContain('vanhanh.hcm is not an active account that may act on the alerts of');
    expect((await t.as(operator).post(`/api/v1/alerts/${id}/assign`).send({ assignee: 'Phòng Nội vụ' })).status).toBe(400);
    expect((await t.as(operator).post(`/api/v1/alerts/${id}/assign`).send({ assignee: 'chutich.nh' })).status).toBe(400);

    const assigned = (await t.as(operator).post(`/api/v1/alerts/${id}/assign`).send({ assignee: 'chutich.bd', note: 'Nhờ phường kiểm tra hồ sơ tồn.' }).expect(200)).body as AlertDetail;
    expect(assigned).toMatchObject({ assignee: 'chutich.bd', assigneeName: 'Lê Văn Chủ' });
    expect(assigned.history.at(-1)).toMatchObject({
      action: 'assigned',
      actor: 'Trần Thị Vận (vanhanh.hn)',
      note: 'Nhờ phường kiểm tra hồ sơ tồn.',
      from: { assignee: null },
      to: { assignee: 'chutich.bd' },
    });
    // Assigning it to the same person again says so.
    expect((await t.as(operator).post(`/api/v1/alerts/${id}/assign`).send({ assignee: 'chutich.bd' })).status).toBe(409);

    // "Assigned to me": the chair finds it; the operator does not.
    const mine = (await t.as(chair).get('/api/v1/alerts').query({ assignee: 'me' }).expect(200)).body as AlertListResponse;
    expect(mine.items.map((a) => [a.id, a.assignee, a.assigneeName])).toEqual([[id, 'chutich.bd', 'Lê Văn Chủ']]);
    expect(((await t.as(operator).get('/api/v1/alerts').query({ assignee: 'me' }).expect(200)).body as AlertListResponse).total).toBe(0);
    expect(((await t.as(operator).get('/api/v1/alerts').query({ assignee: 'chutich.bd' }).expect(200)).body as AlertListResponse).total).toBe(1);

    const audit = (await t.http.get('/api/v1/audit').query({ action: 'alert.assign', target: `alert:${id}` })).body as AuditListResponse;
    expect(audit.items.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['alert.assign', 'vanhanh.hn', { rule: 'commune-overdue-backlog', unit: '00004', note: 'Nhờ phường kiểm tra hồ sơ tồn.', to: { assignee: 'chutich.bd', name: 'Lê Văn Chủ' } }],
    ]);
  });

  it('says the alerts have not been evaluated until the first evaluation, then when it ran', async () => {
    const before = (await t.as(leader).get('/api/v1/alerts/evaluation').expect(200)).body as AlertEvaluationStatus;
    expect(before).toEqual({ evaluatedAt: null, evaluated: null, everySeconds: null });
    const now = Date.now();
    const result = await t.app.get(AlertEngine).evaluate(now);
    const after = (await t.as(leader).get('/api/v1/alerts/evaluation').expect(200)).body as AlertEvaluationStatus;
    expect(after).toEqual({ evaluatedAt: new Date(now).toISOString(), evaluated: result!.evaluated, everySeconds: null });
  });
});

describe('reports generated on request', () => {
  it('records who generated a report, of which scope and period, in the audit log', async () => {
    const res = await t.as(leader).post('/api/v1/reports').send({ scope: 'province:01', from: '2026-01-01', to: '2026-01-31' });
    expect(res.status).toBe(201);
    const audit = (await t.http.get('/api/v1/audit').query({ action: 'report' })).body as AuditListResponse;
    expect(audit.items.map((e) => [e.action, e.actor, e.target, e.details])).toEqual([
      ['report.generate', 'lanhdao.hn', `report:${res.body.id}`, { scope: 'province:01', kind: 'on_demand', from: '2026-01-01', to: '2026-01-31' }],
    ]);
  });
});
