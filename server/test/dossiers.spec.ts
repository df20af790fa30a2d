import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DossierEvent, type DossierListResponse, HOUR_MS, type KpiResponse, type MonthProjection, localDateOf, localDateTimeOf, monthWindow } from '@ioc/shared';
import request from 'supertest';
import { type DossierSpec, eventsOf } from '../../shared/src/kpi/test-dossiers.js';
import { DossiersService } from '../src/dossiers/dossiers.service.js';
import { KpiService } from '../src/kpi/kpi.service.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/**
 * C: commune 00004 (Ba Đình, Hà Nội), C2: 00008 (Ngọc Hà, Hà Nội), P: the
 * province of Hà Nội (01), Qc: 25747 (Thủ Dầu Một, province 79). 00103 (Tây Hồ)
 * holds the projection fixture at a pinned instant; 00145 (Long Biên) nothing.
 */
let t: TestApp;
const post = (events: unknown[]) => t.http.post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
const get = (path: string, query: Record<string, string> = {}, token?: string) => (token ? t.as(token) : t.http).get(path).query(query);

// Fixture times are whole minutes, a minute before the suite starts, so no event lies in the future.
const base = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
const local = (offsetHours: number) => localDateTimeOf(base + offsetHours * HOUR_MS);
const spec = (id: string, unit: string, hours: { received: number; due: number; supplements?: number[]; completed?: number }): DossierSpec => ({
  id,
  unit,
  received: local(hours.received),
  due: local(hours.due),
  supplements: hours.supplements?.map(local),
  completed: hours.completed === undefined ? undefined : local(hours.completed),
});
/** A province-level dossier names its province instead of a commune. */
const atProvince = (events: DossierEvent[], province: string) => events.map((e) => ({ ...e, communeCode: undefined, provinceCode: province }));

// Commune C: when each listed dossier turns (or turned) overdue, in hours from `base`.
const C_OVERDUE_AT: Record<string, number> = { 'C-OD1': -48, 'C-OD2B': -20, 'C-OD2': -3, 'C-DS1': 2, 'C-DS2': 30, 'C-LATER': 100 };
const C_SPECS: DossierSpec[] = [
  spec('C-OD1', '00004', { received: -120, due: -48 }),
  spec('C-OD2', '00004', { received: -72, due: -3 }),
  // A second supplement request makes it overdue from that request, before its appointment.
  spec('C-OD2B', '00004', { received: -48, due: 120, supplements: [-30, -20] }),
  spec('C-DS1', '00004', { received: -1, due: 2 }),
  spec('C-DS2', '00004', { received: -2, due: 30 }),
  spec('C-LATER', '00004', { received: -1, due: 100 }),
  // One supplement request by the appointment stops the clock: past its appointment, still within deadline.
  spec('C-PAUSED', '00004', { received: -96, due: -24, supplements: [-48] }),
  spec('C-DONE-LATE', '00004', { received: -120, due: -72, completed: -24 }),
  spec('C-DONE', '00004', { received: -48, due: 24, completed: -1 }),
];
const OTHER_SPECS: DossierSpec[] = [spec('C2-OD', '00008', { received: -50, due: -10 }), spec('C2-DS', '00008', { received: -5, due: 5 }), spec('Q-OD', '25747', { received: -50, due: -10 })];
const PROVINCE_LEVEL = atProvince(eventsOf(spec('P-OD', '00004', { received: -30, due: -6 })), '01');

let chairC: string;
let operatorP: string;
let leaderQ: string;

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  const res = await post([...C_SPECS.flatMap(eventsOf), ...OTHER_SPECS.flatMap(eventsOf), ...PROVINCE_LEVEL]);
  expect(res.body).toMatchObject({ rejected: 0 });
  chairC = (await t.signIn({ username: 'chutich.badinh', role: 'commune_chair', scope: 'commune:00004', displayName: 'Chủ tịch UBND phường Ba Đình' })).accessToken;
  operatorP = (await t.signIn({ username: 'vanhanh.hanoi', role: 'operator', scope: 'province:01', displayName: 'Cán bộ trực IOC Hà Nội' })).accessToken;
  leaderQ = (await t.signIn({ username: 'lanhdao.79', role: 'leader', scope: 'province:79', displayName: 'Lãnh đạo TP Hồ Chí Minh' })).accessToken;
});
afterAll(async () => {
  await t?.close();
});

const list = async (query: Record<string, string>, token?: string): Promise<DossierListResponse> => {
  const res = await get('/api/v1/dossiers', query, token);
  expect(res.status).toBe(200);
  return res.body as DossierListResponse;
};
const kpis = async (scope: string, from: string, to: string): Promise<KpiResponse> => {
  const res = await get('/api/v1/kpis', { scope, from, to });
  expect(res.status).toBe(200);
  return res.body as KpiResponse;
};
const ids = (r: DossierListResponse) => r.items.map((i) => i.dossierId);

describe('GET /api/v1/dossiers', () => {
  it('lists the overdue then the due-soon dossiers of a commune, most urgent first', async () => {
    const r = await list({ scope: 'commune:00004' });
    expect(ids(r)).toEqual(['C-OD1', 'C-OD2B', 'C-OD2', 'C-DS1', 'C-DS2']);
    expect(r.items.map((i) => i.state)).toEqual(['overdue', 'overdue', 'overdue', 'due_soon', 'due_soon']);
    expect(r).toMatchObject({ scope: 'commune:00004', dueWithinHours: 48, totals: { overdue: 3, due_soon: 2 }, total: 5, page: 1, pageSize: 50 });
    for (const item of r.items) {
      expect(Date.parse(item.overdueAt)).toBe(base + C_OVERDUE_AT[item.dossierId]! * HOUR_MS);
      expect(Math.abs(item.hoursLeft - (Date.parse(item.overdueAt) - Date.parse(r.asOf)) / HOUR_MS)).toBeLessThan(0.01);
    }
  });

  it('names each dossier with its unit, procedure and appointment; a second supplement request moves the overdue time before the appointment', async () => {
    const r = await list({ scope: 'commune:00004', state: 'overdue' });
    const od2b = r.items.find((i) => i.dossierId === 'C-OD2B')!;
    expect(od2b).toEqual({
      dossierId: 'C-OD2B',
      unitCode: '00004',
      unitName: 'Ba Đình',
      procedureCode: '1.001193',
      sector: 'Hộ tịch',
      channel: 'direct',
      receivedAt: new Date(base - 48 * HOUR_MS).toISOString(),
      dueAt: new Date(base + 120 * HOUR_MS).toISOString(),
      overdueAt: new Date(base - 20 * HOUR_MS).toISOString(),
      state: 'overdue',
      hoursLeft: od2b.hoursLeft,
    });
    expect(od2b.hoursLeft).toBeGreaterThan(-20.2);
    expect(od2b.hoursLeft).toBeLessThan(-19.9);
  });

  it('filters by state, and widens due soon with dueWithinHours', async () => {
    const overdue = await list({ scope: 'commune:00004', state: 'overdue' });
    expect(ids(overdue)).toEqual(['C-OD1', 'C-OD2B', 'C-OD2']);
    expect(overdue).toMatchObject({ total: 3, totals: { overdue: 3, due_soon: 2 } });
    const soon = await list({ scope: 'commune:00004', state: 'due_soon' });
    expect(ids(soon)).toEqual(['C-DS1', 'C-DS2']);
    expect(soon.total).toBe(2);
    const wide = await list({ scope: 'commune:00004', state: 'due_soon', dueWithinHours: '120' });
    expect(ids(wide)).toEqual(['C-DS1', 'C-DS2', 'C-LATER']);
    expect(wide).toMatchObject({ dueWithinHours: 120, total: 3, totals: { overdue: 3, due_soon: 3 } });
    const narrow = await list({ scope: 'commune:00004', dueWithinHours: '1' });
    expect(ids(narrow)).toEqual(['C-OD1', 'C-OD2B', 'C-OD2']);
    expect(ids(await list({ scope: 'commune:00004', state: 'due_soon,overdue' }))).toEqual(ids(await list({ scope: 'commune:00004' })));
  });

  it('counts overdue exactly as the KPIs do: totals.overdue = counts.inProgressOverdue for today', async () => {
    const today = localDateOf(Date.now());
    for (const scope of ['commune:00004', 'commune:00008', 'province:01', 'commune:25747', 'commune:00145']) {
      const [r, k] = [await list({ scope }), await kpis(scope, today, today)];
      expect({ scope, overdue: r.totals.overdue }).toEqual({ scope, overdue: k.counts.inProgressOverdue });
    }
    // The paused and resolved dossiers are in the KPIs but not in the list.
    const k = await kpis('commune:00004', today, today);
    expect(k.counts.inProgress).toBe(7);
    expect(k.counts.inProgressOverdue).toBe(3);
  });

  it('lists a province with its communes and its own province-level dossiers, not another province', async () => {
    const r = await list({ scope: 'province:01' });
    expect(ids(r)).toEqual(['C-OD1', 'C-OD2B', 'C2-OD', 'P-OD', 'C-OD2', 'C-DS1', 'C2-DS', 'C-DS2']);
    expect(r.totals).toEqual({ overdue: 5, due_soon: 3 });
    expect(r.items.find((i) => i.dossierId === 'P-OD')).toMatchObject({ unitCode: '01', unitName: 'Hà Nội' });
    expect(ids(await list({ scope: 'province:79' }))).toEqual(['Q-OD']);
  });

  it('pages through the same order with the same totals', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((page) => list({ scope: 'commune:00004', page: String(page), pageSize: '2' })));
    expect(pages.map(ids)).toEqual([['C-OD1', 'C-OD2B'], ['C-OD2', 'C-DS1'], ['C-DS2'], []]);
    for (const p of pages) expect(p).toMatchObject({ total: 5, pageSize: 2, totals: { overdue: 3, due_soon: 2 } });
  });

  it('reads through valid partial indexes of open dossiers per commune and per province', async () => {
    const rows = (await t.db.query(
      `SELECT c.relname AS name, i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('dossier_open_unit_idx', 'dossier_open_province_idx') ORDER BY 1`,
    )) as { name: string; valid: boolean; def: string }[];
    expect(rows.map((r) => [r.name, r.valid])).toEqual([
      ['dossier_open_province_idx', true],
      ['dossier_open_unit_idx', true],
    ]);
    for (const r of rows) expect(r.def).toMatch(/\(\w+, overdue_at\) WHERE \(\(overdue_at IS NOT NULL\) AND \(completed_at IS NULL\)\)/);
  });

  it("defaults to the caller's own scope", async () => {
    expect(ids(await list({}, chairC))).toEqual(['C-OD1', 'C-OD2B', 'C-OD2', 'C-DS1', 'C-DS2']);
    expect((await list({}, operatorP)).scope).toBe('province:01');
  });

  it.each([
    [{ scope: 'nation' }, 400, /scope=nation is too broad for a list of dossiers/],
    [{ scope: 'district:01' }, 400, /scope must be nation, province:<2-digit code> or commune:<5-digit code>, got "district:01"/],
    [{ scope: 'commune:00001' }, 404, /No commune has code 00001/],
    [{ scope: 'commune:00004', state: 'late' }, 400, /state must be due_soon or overdue \(or both, comma-separated\), got "late"/],
    [{ scope: 'commune:00004', state: '' }, 400, /state must be due_soon or overdue/],
    [{ scope: 'commune:00004', dueWithinHours: '0' }, 400, /dueWithinHours must be a whole number from 1 to 744, got "0"/],
    [{ scope: 'commune:00004', dueWithinHours: '745' }, 400, /dueWithinHours must be a whole number from 1 to 744/],
    [{ scope: 'commune:00004', dueWithinHours: '1.5' }, 400, /dueWithinHours must be a whole number/],
    [{ scope: 'commune:00004', page: '0' }, 400, /page must be a whole number from 1 to 1,000,000/],
    [{ scope: 'commune:00004', pageSize: '201' }, 400, /pageSize must be a whole number from 1 to 200/],
    [{ scope: 'commune:00004', status: 'open' }, 400, /unknown query parameter\(s\): status; this endpoint takes scope, state, dueWithinHours, page, pageSize/],
  ])('refuses %j with %i', async (query, status, message) => {
    const res = await get('/api/v1/dossiers', query as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
  });

  it('refuses a parameter given twice', async () => {
    const res = await t.http.get('/api/v1/dossiers?scope=commune:00004&state=overdue&state=due_soon');
    expect(res.status).toBe(400);
    // The query guard in front of every route (common/request-guards.ts) answers before the controller does.
    expect(res.body.message).toMatch(/'?state'? (may be given|was given more than) once/);
  });

  it('asks for a token (401) and refuses dossiers outside the scope (403)', async () => {
    const anon = await request(t.app.getHttpServer()).get('/api/v1/dossiers').query({ scope: 'commune:00004' });
    expect(anon.status).toBe(401);
    expect(anon.headers['www-authenticate']).toMatch(/^Bearer/);

    const other = await get('/api/v1/dossiers', { scope: 'commune:00008' }, chairC);
    expect(other.status).toBe(403);
    expect(other.body.message).toBe('chutich.badinh (commune chair, Phường Ba Đình, Hà Nội) may not read the dossiers of Phường Ngọc Hà, Hà Nội.');
    // Dossier-level data is the chair's own commune only, not the province they may see figures of.
    expect((await get('/api/v1/dossiers', { scope: 'province:01' }, chairC)).status).toBe(403);

    const otherProvince = await get('/api/v1/dossiers', { scope: 'province:79' }, operatorP);
    expect(otherProvince.status).toBe(403);
    expect(otherProvince.body.message).toBe('vanhanh.hanoi (IOC operator, Thành phố Hà Nội) may not read the dossiers of Thành phố Hồ Chí Minh.');
    expect((await get('/api/v1/dossiers', { scope: 'commune:25747' }, operatorP)).status).toBe(403);
    expect(ids(await list({ scope: 'commune:00008' }, operatorP))).toEqual(['C2-OD', 'C2-DS']);
    expect((await get('/api/v1/dossiers', { scope: 'commune:00004' }, leaderQ)).status).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents both routes with the parameters they take', async () => {
    const doc = (await request(t.app.getHttpServer()).get('/api/docs/openapi.json')).body as {
      paths: Record<string, { get: { tags: string[]; parameters: { name: string; in: string }[] } }>;
    };
    const params = (path: string) => doc.paths[path]!.get.parameters.filter((x) => x.in === 'query').map((x) => x.name);
    expect(params('/api/v1/dossiers').sort()).toEqual(['dueWithinHours', 'page', 'pageSize', 'scope', 'state']);
    expect(params('/api/v1/kpis/projection')).toEqual(['scope']);
    expect(doc.paths['/api/v1/dossiers']!.get.tags).toEqual(['dossiers']);
    expect(doc.paths['/api/v1/kpis/projection']!.get.tags).toEqual(['kpis']);
  });
});

describe('GET /api/v1/kpis/projection', () => {
  const project = async (query: Record<string, string>, token?: string): Promise<MonthProjection> => {
    const res = await get('/api/v1/kpis/projection', query, token);
    expect(res.status).toBe(200);
    return res.body as MonthProjection;
  };

  it('starts from the on-time numerator and denominator of /kpis for the month to date', async () => {
    const w = monthWindow(Date.now());
    for (const scope of ['commune:00004', 'province:01', 'nation']) {
      const [p, k] = [await project({ scope }), await kpis(scope, w.from, w.to)];
      expect(p).toMatchObject({ scope, month: w.month, from: w.from, to: w.to });
      expect({ scope, denominator: p.denominator, onTimeNow: p.onTimeNow, alreadyOverdue: p.alreadyOverdue }).toEqual({
        scope,
        denominator: k.kpis.onTime.denominator,
        onTimeNow: k.kpis.onTime.numerator,
        alreadyOverdue: k.counts.inProgressOverdue,
      });
      expect(p.onTime.now).toBe(k.kpis.onTime.value);
    }
    // At risk: the open dossiers of C not overdue now that turn overdue before the month ends.
    const now = Date.now();
    const atRisk = Object.values(C_OVERDUE_AT).filter((h) => base + h * HOUR_MS >= now && base + h * HOUR_MS < w.end).length;
    expect((await project({ scope: 'commune:00004' })).atRisk).toBe(atRisk);
  });

  it('has no rates for a unit with no dossiers', async () => {
    const p = await project({ scope: 'commune:00145' });
    expect(p).toMatchObject({ denominator: 0, onTimeNow: 0, atRisk: 0, alreadyOverdue: 0, recentOnTimeRate: null });
    expect(p.onTime).toEqual({ now: null, best: null, expected: null, worst: null });
  });

  it('computes best, expected and worst as worked out by hand', async () => {
    // Tây Hồ (00103) on 20 March 2026 at 10:00, Hà Nội time.
    const now = Date.parse('2026-03-20T10:00:00+07:00');
    const specs: DossierSpec[] = [
      // Resolved this month: R1 and R3 on time, R2 late.
      { id: 'R1', received: '2026-03-02T08:00', due: '2026-03-05T17:00', completed: '2026-03-04T10:00' },
      { id: 'R2', received: '2026-03-03T08:00', due: '2026-03-05T17:00', completed: '2026-03-06T10:00' },
      { id: 'R3', received: '2026-03-10T08:00', due: '2026-03-12T17:00', completed: '2026-03-11T10:00' },
      // Resolved in the last 30 days but last month: R4 late, R5 on time. R6 before the 30 days.
      { id: 'R4', received: '2026-02-20T08:00', due: '2026-02-23T17:00', completed: '2026-02-24T10:00' },
      { id: 'R5', received: '2026-02-20T08:00', due: '2026-02-25T17:00', completed: '2026-02-21T10:00' },
      { id: 'R6', received: '2026-02-01T08:00', due: '2026-02-03T17:00', completed: '2026-02-10T10:00' },
      // In progress now: O1, O2 overdue; S2 overdue from its second supplement request.
      { id: 'O1', received: '2026-02-25T08:00', due: '2026-03-10T17:00' },
      { id: 'O2', received: '2026-03-18T08:00', due: '2026-03-19T17:00' },
      { id: 'S2', received: '2026-03-16T08:00', due: '2026-03-30T17:00', supplements: ['2026-03-17T09:00', '2026-03-19T09:00'] },
      // A1, A2 turn overdue before the month ends; B1 after it; S1's clock is stopped.
      { id: 'A1', received: '2026-03-19T08:00', due: '2026-03-25T17:00' },
      { id: 'A2', received: '2026-03-20T08:00', due: '2026-03-31T23:00' },
      { id: 'B1', received: '2026-03-20T08:00', due: '2026-04-02T17:00' },
      { id: 'S1', received: '2026-03-01T08:00', due: '2026-03-05T17:00', supplements: ['2026-03-04T09:00'] },
    ];
    const res = await post(specs.flatMap((s) => eventsOf({ ...s, id: `TH-${s.id}`, unit: '00103' })));
    expect(res.body).toMatchObject({ rejected: 0 });

    const p = await t.app.get(DossiersService).projection('commune:00103', now);
    // Denominator: 3 resolved this month + 7 in progress = 10. On time now: R1, R3 + A1, A2, B1, S1 = 6.
    // At risk: A1, A2. Recent pace: 3 on time (R1, R3, R5) of 5 resolved = 0.6.
    // now = best = 6/10; worst = 4/10; expected = (6 − 2 × 0.4)/10 = 52%.
    expect(p).toEqual({
      scope: 'commune:00103',
      month: '2026-03',
      from: '2026-03-01',
      to: '2026-03-20',
      asOf: new Date(now).toISOString(),
      denominator: 10,
      onTimeNow: 6,
      atRisk: 2,
      alreadyOverdue: 3,
      recentOnTimeRate: 60,
      onTime: { now: 60, best: 60, expected: 52, worst: 40 },
    });
    const k = await t.app.get(KpiService).kpis({ scope: 'commune:00103', from: '2026-03-01', to: '2026-03-20' }, now);
    expect(k.kpis.onTime).toEqual({ numerator: 6, denominator: 10, value: 60 });
    expect(k.counts.inProgressOverdue).toBe(3);
    // On the last evening of the month, A2 (due 23:00 on the 31st) is the only one left at risk.
    const late = await t.app.get(DossiersService).projection('commune:00103', Date.parse('2026-03-31T22:00:00+07:00'));
    expect(late).toMatchObject({ atRisk: 1, alreadyOverdue: 4 });
    expect(late.asOf).toBe(new Date(Date.parse('2026-03-31T22:00:00+07:00')).toISOString());
  });

  it.each([
    [{ scope: 'district:01' }, 400, /scope must be nation, province:<2-digit code> or commune:<5-digit code>/],
    [{ scope: 'province:99' }, 404, /No province has code 99/],
    [{ scope: 'commune:00004', from: '2026-03-01' }, 400, /unknown query parameter\(s\): from; this endpoint takes scope/],
  ])('refuses %j with %i', async (query, status, message) => {
    const res = await get('/api/v1/kpis/projection', query as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
  });

  it('needs a token and the figures of the scope', async () => {
    expect((await request(t.app.getHttpServer()).get('/api/v1/kpis/projection').query({ scope: 'commune:00004' })).status).toBe(401);
    const other = await get('/api/v1/kpis/projection', { scope: 'commune:00008' }, chairC);
    expect(other.status).toBe(403);
    expect(other.body.message).toBe('chutich.badinh (commune chair, Phường Ba Đình, Hà Nội) may not read the figures of Phường Ngọc Hà, Hà Nội.');
    expect((await get('/api/v1/kpis/projection', { scope: 'province:79' }, chairC)).status).toBe(403);
    // A chair reads the figures of their province and of the nation.
    expect((await project({ scope: 'province:01' }, chairC)).scope).toBe('province:01');
    expect((await project({}, chairC)).scope).toBe('nation');
    expect((await get('/api/v1/kpis/projection', { scope: 'commune:00004' }, leaderQ)).status).toBe(403);
  });
});
