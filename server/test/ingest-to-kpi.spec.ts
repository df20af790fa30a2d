import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DAY_MS, type DossierEvent, type KpiResponse, computeKpis, evaluatePeriod, startOfLocalDate } from '@ioc/shared';
import { type DossierSpec, eventsOf, foldEvents } from '../../shared/src/kpi/test-dossiers.js';
import { KpiService } from '../src/kpi/kpi.service.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

let t: TestApp;
const http = () => t.http;
const post = (events: unknown[]) => http().post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
const kpis = async (scope: string, from: string, to: string): Promise<KpiResponse> => {
  const res = await http().get('/api/v1/kpis').query({ scope, from, to });
  expect(res.status).toBe(200);
  return res.body as KpiResponse;
};
/** What the rules say, computed directly from the events. */
const expected = (events: DossierEvent[], from: string, to: string, unit?: (u: string) => boolean) =>
  computeKpis(
    evaluatePeriod(
      foldEvents(events).filter((f) => !unit || unit(f.unitCode)),
      startOfLocalDate(from),
      startOfLocalDate(to) + DAY_MS,
    ),
  );

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('ingest → KPI query', () => {
  const specs: DossierSpec[] = [
    {
      id: 'A1',
      unit: '00004',
      received: '2026-01-05T08:00',
      due: '2026-01-07T17:00',
      channel: 'online',
      completed: '2026-01-06T10:00',
      feeRequired: true,
      paid: { at: '2026-01-05T08:05', online: true },
    },
    { id: 'A2', unit: '00004', received: '2026-01-05T09:00', due: '2026-01-07T17:00', completed: '2026-01-09T10:00', digitized: '2026-01-05T09:30' },
    { id: 'A3', unit: '00008', received: '2026-01-06T10:00', due: '2026-01-08T17:00', channel: 'online', fullOnlineEligible: true, supplements: ['2026-01-07T09:00'] },
    {
      id: 'A4',
      unit: '00008',
      received: '2026-01-06T11:00',
      due: '2026-01-20T17:00',
      resultRequired: true,
      completed: '2026-01-08T15:00',
      resultIssued: { at: '2026-01-08T15:00', electronic: true },
      rated: { at: '2026-01-09T08:00', satisfied: false, complaint: true },
    },
  ];
  const events = specs.flatMap(eventsOf);

  it('accepts a batch and answers per event', async () => {
    const res = await post(events);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: events.length, duplicates: 0, rejected: 0 });
    expect(res.body.results[0]).toEqual({ index: 0, eventId: 'A1-r', status: 'accepted' });
  });

  it.each([
    ['commune:00004', '2026-01-05', '2026-01-05'],
    ['commune:00004', '2026-01-05', '2026-01-11'],
    ['province:01', '2026-01-05', '2026-01-08'],
    ['province:01', '2026-01-01', '2026-01-31'],
    ['nation', '2026-01-07', '2026-01-07'],
    ['nation', '2026-01-01', '2026-03-31'],
  ])('serves %s %s..%s exactly as the rules compute it', async (scope, from, to) => {
    const body = await kpis(scope, from, to);
    const unitFilter = scope.startsWith('commune:') ? (u: string) => u === scope.slice(8) : undefined;
    const want = expected(events, from, to, unitFilter);
    expect(body.kpis).toEqual(want.kpis);
    expect(body.counts).toEqual(want.counts);
    expect(body).toMatchObject({ scope, from, to, asOf: new Date(startOfLocalDate(to) + DAY_MS).toISOString() });
  });

  it('is idempotent on eventId: a replayed batch changes nothing', async () => {
    const before = await kpis('province:01', '2026-01-01', '2026-01-31');
    const res = await post(events);
    expect(res.body).toMatchObject({ accepted: 0, duplicates: events.length, rejected: 0 });
    expect(await kpis('province:01', '2026-01-01', '2026-01-31')).toEqual(before);
  });

  it('places a late event in the period it belongs to', async () => {
    const late: DossierEvent = { eventId: 'A3-c', type: 'completed', occurredAt: '2026-01-09T10:00:00+07:00', dossierId: 'A3', communeCode: '00008', outcome: 'resolved' };
    expect((await post([late])).body.accepted).toBe(1);
    const all = [...events, late];
    for (const [from, to] of [
      ['2026-01-09', '2026-01-09'],
      ['2026-01-08', '2026-01-08'],
      ['2026-01-01', '2026-01-31'],
    ] as const) {
      expect((await kpis('commune:00008', from, to)).counts).toEqual(expected(all, from, to, (u) => u === '00008').counts);
    }
  });

  it('counts a received at 23:30 UTC in the next Vietnamese day', async () => {
    const e: DossierEvent = { ...(eventsOf({ id: 'TZ', unit: '00025', received: '2026-02-01T08:00', due: '2026-02-05T17:00' })[0] as DossierEvent), occurredAt: '2026-02-01T23:30:00Z' };
    expect((await post([e])).body.accepted).toBe(1);
    expect((await kpis('commune:00025', '2026-02-01', '2026-02-01')).counts.received).toBe(0);
    expect((await kpis('commune:00025', '2026-02-02', '2026-02-02')).counts.received).toBe(1);
  });
});

describe('bad input', () => {
  it('rejects broken events on their own without poisoning the good ones', async () => {
    const good = eventsOf({ id: 'G1', unit: '00004', received: '2026-01-12T08:00', due: '2026-01-14T17:00' })[0]!;
    const batch = [
      { ...good, eventId: 'bad-unit', dossierId: 'G2', communeCode: '99999' },
      good,
      { ...good, eventId: 'bad-date', dossierId: 'G3', occurredAt: '12/01/2026' },
      { eventId: 'bad-type', type: 'archived', occurredAt: '2026-01-12T08:00:00+07:00', dossierId: 'G4', communeCode: '00004' },
      'not an object',
      { ...good, eventId: 'missing-due', dossierId: 'G5', dueAt: undefined },
      { ...good, eventId: 'both-codes', dossierId: 'G6', provinceCode: '01' },
      { ...good, eventId: 'due-before', dossierId: 'G7', dueAt: '2026-01-11T08:00:00+07:00' },
      { ...good, eventId: 'future', dossierId: 'G8', occurredAt: '2099-01-01T00:00:00+07:00', dueAt: '2099-01-02T00:00:00+07:00' },
      { ...good, eventId: 'extra', dossierId: 'G9', citizenName: 'Nguyễn Văn A' },
      { ...good },
    ];
    const res = await post(batch);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries((res.body.results as { eventId: string; status: string; reason?: string }[]).map((r, i) => [r.eventId ?? `#${i}`, r]));
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 9 });
    expect(res.body.results[1]).toEqual({ index: 1, eventId: 'G1-r', status: 'accepted' });
    expect(res.body.results[10]).toEqual({ index: 10, eventId: 'G1-r', status: 'duplicate' });
    expect(byId['bad-unit']!.reason).toMatch(/99999 is not a known commune/);
    expect(byId['bad-date']!.reason).toMatch(/occurredAt must be an ISO-8601 instant/);
    expect(byId['bad-type']!.reason).toMatch(/type must be one of/);
    expect(byId['#4']).toMatchObject({ index: 4, eventId: null, status: 'rejected', reason: 'an event must be a JSON object' });
    expect(byId['missing-due']!.reason).toMatch(/dueAt/);
    expect(byId['both-codes']!.reason).toMatch(/exactly one of communeCode/);
    expect(byId['due-before']!.reason).toMatch(/before occurredAt/);
    expect(byId['future']!.reason).toMatch(/future/);
    expect(byId['extra']!.reason).toMatch(/unknown field\(s\): citizenName/);
    expect((await kpis('commune:00004', '2026-01-12', '2026-01-12')).counts.received).toBe(1);
  });

  it('answers malformed JSON with a 400 a person understands', async () => {
    const res = await http().post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).set('Content-Type', 'application/json').send('{"events": [ {"eventId": "x",, }');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/not valid JSON/);
  });

  it('refuses more than 5,000 events with 413', async () => {
    const e = eventsOf({ id: 'BIG', received: '2026-01-12T08:00', due: '2026-01-14T17:00' })[0]!;
    const res = await post(Array.from({ length: 5001 }, (_, i) => ({ ...e, eventId: `big-${i}` })));
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/at most 5000 events/);
  });

  it('refuses a body over 5 MB with 413', async () => {
    const e = eventsOf({ id: 'HUGE', received: '2026-01-12T08:00', due: '2026-01-14T17:00' })[0]!;
    const res = await post(Array.from({ length: 4000 }, (_, i) => ({ ...e, eventId: `huge-${i}`, sector: 'x'.repeat(1400) })));
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/5 MB/);
  });

  it.each([
    [{}, /\{"events": \[\.\.\.\]\}/],
    [{ events: 'x' }, /must be an array/],
    [{ events: [] }, /empty/],
  ])('rejects a wrong envelope %j with 400', async (body, message) => {
    const res = await http().post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('requires a valid API key', async () => {
    expect((await http().post('/api/v1/events?wait=projected').send({ events: [] })).status).toBe(401);
    const res = await http().post('/api/v1/events?wait=projected').set('X-Api-Key', 'wrong-key-wrong-key').send({ events: [] });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/not valid/);
  });

  it.each([
    ['/api/v1/kpis?scope=district:01', 400, /scope must be/],
    ['/api/v1/kpis?scope=province:99', 404, /No province has code 99/],
    ['/api/v1/kpis?scope=commune:00001', 404, /No commune has code 00001/],
    ['/api/v1/kpis?from=2026-02-30', 400, /from must be a date/],
    ['/api/v1/kpis?from=2026-03-02&to=2026-03-01', 400, /after to/],
    ['/api/v1/kpis/series?granularity=week', 400, /granularity must be/],
    ['/api/v1/kpis/series?granularity=hour&from=2026-01-01&to=2026-03-01', 400, /at most 31 days/],
    ['/api/v1/rankings?by=speed', 400, /by must be points or one of/],
    ['/api/v1/rankings?scope=commune:00004', 400, /no units below it/],
    ['/api/v1/units/communes/123', 404, /No commune has code 123/],
  ])('GET %s → %i', async (url, status, message) => {
    const res = await http().get(url);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
  });
});

describe('time-driven changes', () => {
  it('an open dossier turns overdue at its appointment with no event arriving', async () => {
    const now = Date.parse('2026-04-10T10:00:00+07:00');
    const [received] = eventsOf({ id: 'OVD', unit: '00070', received: '2026-04-10T08:00', due: '2026-04-10T12:00' });
    expect((await post([received!])).body.accepted).toBe(1);
    const svc = t.app.get(KpiService);
    const before = await svc.kpis({ scope: 'commune:00070', from: '2026-04-10', to: '2026-04-10' }, now);
    expect(before.counts).toMatchObject({ inProgress: 1, inProgressOverdue: 0 });
    expect(before.asOf).toBe(new Date(now).toISOString());
    const after = await svc.kpis({ scope: 'commune:00070', from: '2026-04-10', to: '2026-04-10' }, now + 3 * 3_600_000);
    expect(after.counts).toMatchObject({ inProgress: 1, inProgressOverdue: 1 });
    expect(after.kpis.onTime.value).toBe(0);
    const month = await svc.kpis({ scope: 'commune:00070', from: '2026-04-01', to: '2026-04-10' }, now);
    expect(month.counts.inProgressOverdue).toBe(0);
    const series = await svc.series({ scope: 'commune:00070', from: '2026-04-10', to: '2026-04-10', granularity: 'hour' }, now + 3 * 3_600_000);
    expect(series.points.map((p) => p.counts.inProgressOverdue)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});
