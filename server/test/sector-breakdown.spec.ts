import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DAY_MS, type DossierEvent, type SectorBreakdownResponse, addDays, localDateOf } from '@ioc/shared';
import { FAR_DUE, eventsOf } from '../../shared/src/kpi/test-dossiers.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/** GET /kpis/by-sector: the dossiers received in a period, per sector and procedure, as the KPIs count them. */
let t: TestApp;
const d1 = localDateOf(Date.now() - 10 * DAY_MS);
const d2 = addDays(d1, 1);
const d3 = addDays(d1, 2);

const of = (sector: string, procedureCode: string, events: DossierEvent[]): DossierEvent[] => events.map((e) => (e.type === 'received' ? { ...e, sector, procedureCode } : e));

beforeAll(async () => {
  t = await startTestApp();
  const events = [
    // Hộ tịch, 1.001193: one resolved on time after a day, one late after two.
    ...of('Hộ tịch', '1.001193', eventsOf({ id: 'S-A', unit: '00004', received: `${d1}T09:00`, due: `${d3}T17:00`, completed: `${d2}T09:00` })),
    ...of('Hộ tịch', '1.001193', eventsOf({ id: 'S-B', unit: '00008', received: `${d1}T10:00`, due: `${d2}T10:00`, completed: `${d3}T10:00` })),
    // Hộ tịch, 1.000656: in progress, not due.
    ...of('Hộ tịch', '1.000656', eventsOf({ id: 'S-C', unit: '00004', received: `${d2}T08:00`, due: FAR_DUE })),
    // Đất đai: in progress and overdue.
    ...of('Đất đai', '1.012345', eventsOf({ id: 'S-D', unit: '00004', received: `${d1}T08:00`, due: `${d2}T08:00` })),
    // Received after the period, and in another province.
    ...of('Hộ tịch', '1.001193', eventsOf({ id: 'S-E', unit: '00004', received: `${d3}T09:00`, due: FAR_DUE })),
    ...of('Hộ tịch', '1.001193', eventsOf({ id: 'S-F', unit: '25747', received: `${d1}T09:00`, due: FAR_DUE })),
  ];
  const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.accepted).toBe(events.length);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const zeroRest = { resolved: 0, resolvedOnTime: 0, resolvedLate: 0, inProgress: 0, overdue: 0, onTimeRate: null, meanProcessingDays: null };

describe('breakdown per sector and procedure', () => {
  it('counts the dossiers received in the period per sector and procedure, largest first, with the on-time rate and mean processing time', async () => {
    const r = (await t.http.get('/api/v1/kpis/by-sector').query({ scope: 'province:01', from: d1, to: d2 }).expect(200)).body as SectorBreakdownResponse;
    expect(r).toMatchObject({ scope: 'province:01', from: d1, to: d2 });
    expect(r.total).toEqual({ received: 4, resolved: 2, resolvedOnTime: 1, resolvedLate: 1, inProgress: 2, overdue: 1, onTimeRate: 50, meanProcessingDays: 1.5 });
    expect(r.sectors).toEqual([
      {
        sector: 'Hộ tịch',
        received: 3,
        resolved: 2,
        resolvedOnTime: 1,
        resolvedLate: 1,
        inProgress: 1,
        overdue: 0,
        onTimeRate: 50,
        meanProcessingDays: 1.5,
        procedures: [
          { procedureCode: '1.001193', received: 2, resolved: 2, resolvedOnTime: 1, resolvedLate: 1, inProgress: 0, overdue: 0, onTimeRate: 50, meanProcessingDays: 1.5 },
          { procedureCode: '1.000656', received: 1, ...zeroRest, inProgress: 1 },
        ],
      },
      {
        sector: 'Đất đai',
        received: 1,
        ...zeroRest,
        inProgress: 1,
        overdue: 1,
        procedures: [{ procedureCode: '1.012345', received: 1, ...zeroRest, inProgress: 1, overdue: 1 }],
      },
    ]);
    // A commune sees its own; the nation counts the other province too.
    const commune = (await t.http.get('/api/v1/kpis/by-sector').query({ scope: 'commune:00004', from: d1, to: d2 }).expect(200)).body as SectorBreakdownResponse;
    expect(commune.total).toMatchObject({ received: 3, resolved: 1, resolvedOnTime: 1, inProgress: 2, overdue: 1, meanProcessingDays: 1 });
    const nation = (await t.http.get('/api/v1/kpis/by-sector').query({ from: d1, to: d2 }).expect(200)).body as SectorBreakdownResponse;
    expect(nation.total.received).toBe(5);
  });

  it('needs the figures of the scope', async () => {
    const chair = (await t.signIn({ username: 'chutich.sector', role: 'commune_chair', scope: 'commune:00004' })).accessToken;
    expect((await t.as(chair).get('/api/v1/kpis/by-sector').query({ scope: 'commune:00004', from: d1, to: d2 })).status).toBe(200);
    expect((await t.as(chair).get('/api/v1/kpis/by-sector').query({ scope: 'commune:00008', from: d1, to: d2 })).status).toBe(403);
    expect((await t.as(chair).get('/api/v1/kpis/by-sector').query({ scope: 'province:79', from: d1, to: d2 })).status).toBe(403);
    expect((await t.http.get('/api/v1/kpis/by-sector').query({ scope: 'province:01', from: d2, to: d1 })).status).toBe(400);
  });
});
