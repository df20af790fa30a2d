import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { DossierEvent, EventResult, IngestResponse, KpiResponse } from '@ioc/shared';
import { eventsOf } from '../../shared/src/kpi/test-dossiers.js';
import { registerIngestKey } from '../src/auth/provision.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/**
 * One source cannot harm another: not through a dossier id of another scope,
 * not by taking another source's eventIds first, not by sending an event that
 * the database refuses at the same moment as someone else's batch.
 */
const HANOI_KEY = 'test-key-province-01-aaaa';
const BA_DINH_KEY = 'test-key-commune-00004-bbb';
const HCM_KEY = 'test-key-province-79-cccc';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await registerIngestKey(t.db, HANOI_KEY, 'province:01', 'Một cửa Hà Nội');
  await registerIngestKey(t.db, BA_DINH_KEY, 'commune:00004', 'Một cửa phường Ba Đình');
  await registerIngestKey(t.db, HCM_KEY, 'province:79', 'Một cửa TP. Hồ Chí Minh');
});
afterAll(async () => {
  await t?.close();
});

async function send(key: string, events: unknown[]): Promise<IngestResponse> {
  const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', key).send({ events });
  expect(res.status).toBe(200);
  return res.body as IngestResponse;
}
const statuses = (r: IngestResponse) => r.results.map((x) => x.status);
async function counts(scope: string): Promise<KpiResponse['counts']> {
  const res = await t.http.get('/api/v1/kpis').query({ scope, from: '2026-05-01', to: '2026-05-31' });
  expect(res.status).toBe(200);
  return (res.body as KpiResponse).counts;
}

describe('dossier ids are scoped', () => {
  it('a key cannot complete, nor move, a dossier of a unit outside its scope', async () => {
    const hcm = eventsOf({ id: 'HCM-D1', unit: '25747', received: '2026-05-04T08:00', due: '2026-05-08T17:00', channel: 'online' });
    expect(statuses(await send(HCM_KEY, hcm))).toEqual(['accepted']);
    const before = await counts('commune:25747');

    const completed: DossierEvent = { eventId: 'HN-X1', type: 'completed', occurredAt: '2026-05-05T09:00:00+07:00', dossierId: 'HCM-D1', communeCode: '00004', outcome: 'resolved' };
    const moved = { ...hcm[0]!, eventId: 'HN-X2', communeCode: '00004', occurredAt: '2026-05-03T08:00:00+07:00' };
    const res = await send(HANOI_KEY, [completed, moved]);
    expect(statuses(res)).toEqual(['rejected', 'rejected']);
    expect(res.results[0]!.reason).toMatch(/dossier HCM-D1 belongs to .*outside this key's scope/);

    expect(await counts('commune:25747')).toEqual(before);
    const [row] = (await t.db.query(`SELECT unit_code FROM dossier WHERE dossier_id = 'HCM-D1'`)) as { unit_code: string }[];
    expect(row!.unit_code).toBe('25747');
    const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM ingest_event WHERE event_id IN ('HN-X1', 'HN-X2')`)) as { n: number }[];
    expect(n).toBe(0);
    // The owner itself still completes it.
    expect(statuses(await send(HCM_KEY, [{ ...completed, eventId: 'HCM-D1-c', communeCode: '25747' }]))).toEqual(['accepted']);
  });

  it('a key may move a dossier between units of its own scope', async () => {
    const ev = eventsOf({ id: 'HN-M1', unit: '00008', received: '2026-05-04T08:00', due: '2026-05-08T17:00' });
    expect(statuses(await send(HANOI_KEY, ev))).toEqual(['accepted']);
    const earlier = { ...ev[0]!, eventId: 'HN-M1-r0', communeCode: '00004', occurredAt: '2026-05-04T07:00:00+07:00' };
    expect(statuses(await send(HANOI_KEY, [earlier]))).toEqual(['accepted']);
    const [row] = (await t.db.query(`SELECT unit_code FROM dossier WHERE dossier_id = 'HN-M1'`)) as { unit_code: string }[];
    expect(row!.unit_code).toBe('00004');
  });
});

describe('eventIds', () => {
  it("taken first by another source: a conflict, and the squatter's event is not counted for the victim", async () => {
    const real = eventsOf({ id: 'SQ', unit: '00004', received: '2026-05-06T08:00', due: '2026-05-08T17:00', digitized: '2026-05-06T09:00', completed: '2026-05-07T09:00' });
    // The commune key sends events with the province system's ids first, for dossiers of its own.
    const squatted = real.map((e, i) => ({ ...e, dossierId: `SQ-FAKE-${i}`, type: 'digitized' as const, occurredAt: '2026-05-06T10:00:00+07:00' }));
    const cleaned = squatted.map(({ eventId, type, occurredAt, dossierId, communeCode }) => ({ eventId, type, occurredAt, dossierId, communeCode }));
    expect(statuses(await send(BA_DINH_KEY, cleaned))).toEqual(real.map(() => 'accepted'));

    const res = await send(HANOI_KEY, real);
    expect(statuses(res)).toEqual(real.map(() => 'conflict'));
    expect(res.conflicts).toBe(real.length);
    expect(res.results[0]!.reason).toMatch(/another source/);
  });

  it('the same eventId with other content from the same source is a conflict; the same event again a duplicate', async () => {
    const [r] = eventsOf({ id: 'CC', unit: '00004', received: '2026-05-06T08:00', due: '2026-05-08T17:00' });
    expect(statuses(await send(HANOI_KEY, [r]))).toEqual(['accepted']);
    // The same instant written in UTC, keys in another order: the same event.
    const same = { ...r!, occurredAt: '2026-05-06T01:00:00Z', dueAt: '2026-05-08T10:00:00Z' };
    const reordered = Object.fromEntries(Object.entries(same).reverse());
    expect(statuses(await send(HANOI_KEY, [reordered]))).toEqual(['duplicate']);
    const changed = { ...r!, channel: 'online' };
    const res = await send(HANOI_KEY, [changed]);
    expect(statuses(res)).toEqual(['conflict']);
    expect(res.results[0]!.reason).toMatch(/different content/);
    // The first content stands.
    const [row] = (await t.db.query(`SELECT payload->>'channel' AS channel FROM ingest_event WHERE event_id = 'CC-r'`)) as { channel: string }[];
    expect(row!.channel).toBe('direct');
    // Twice in one batch with different content: the second is a conflict.
    const [d] = eventsOf({ id: 'CB', unit: '00004', received: '2026-05-06T08:00', due: '2026-05-08T17:00' });
    expect(statuses(await send(HANOI_KEY, [d, d, { ...d!, channel: 'postal' }]))).toEqual(['accepted', 'duplicate', 'conflict']);
  });

  it('each stored event names the key that sent it, and refusals are in the audit log', async () => {
    const res = await t.http.get('/api/v1/events/SQ-r');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ eventId: 'SQ-r', unitCode: '00004', source: { name: 'Một cửa phường Ba Đình', scope: 'commune:00004' } });
    expect((await t.http.get('/api/v1/events/nothing-here')).status).toBe(404);
    // An id no event can have (a NUL character) is a 400 with a sentence, never a database error.
    const nul = await t.http.get('/api/v1/events/%00bad');
    expect(nul.status).toBe(400);
    expect(nul.body.message).toContain('control character (U+0000)');
    const audit = await t.http.get('/api/v1/audit').query({ action: 'ingest' });
    expect(audit.status).toBe(200);
    const entries = audit.body.items as { actor: string; details: { conflicts: string[]; foreignDossiers: string[] } }[];
    expect(entries.some((e) => e.actor === 'key:Một cửa Hà Nội' && e.details.conflicts.includes('SQ-r'))).toBe(true);
    expect(entries.some((e) => e.details.foreignDossiers.includes('HN-X1'))).toBe(true);
  });
});

describe('a batch the database refuses', () => {
  it("fails neither another source's batch committed with it nor its own good events", async () => {
    // Stands for any value PostgreSQL refuses after validation passed.
    await t.db.query(`ALTER TABLE ingest_event ADD CONSTRAINT test_poison CHECK (dossier_id <> 'POISON')`);
    try {
      for (let round = 0; round < 10; round++) {
        const innocent = Array.from({ length: 30 }, (_, i) => eventsOf({ id: `INNO-${round}-${i}`, unit: '25747', received: '2026-05-06T08:00', due: '2026-05-08T17:00' })).flat();
        const mixed = [
          ...eventsOf({ id: `MIX-${round}-a`, unit: '00004', received: '2026-05-06T08:00', due: '2026-05-08T17:00' }),
          ...eventsOf({ id: 'POISON', unit: '00004', received: '2026-05-06T08:00', due: '2026-05-08T17:00' }).map((e) => ({ ...e, eventId: `POISON-${round}` })),
          ...eventsOf({ id: `MIX-${round}-b`, unit: '00004', received: '2026-05-06T08:00', due: '2026-05-08T17:00' }),
        ];
        // Sent at the same moment, so they share a commit.
        const [a, b] = await Promise.all([send(HCM_KEY, innocent), send(HANOI_KEY, mixed)]);
        expect(statuses(a)).toEqual(innocent.map(() => 'accepted'));
        expect(statuses(b)).toEqual(['accepted', 'rejected', 'accepted']);
        expect((b.results[1] as EventResult).reason).toMatch(/could not store this event/);
      }
      const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM ingest_event WHERE event_id LIKE 'INNO-%' OR event_id LIKE 'MIX-%'`)) as { n: number }[];
      expect(n).toBe(10 * 32);
    } finally {
      await t.db.query(`ALTER TABLE ingest_event DROP CONSTRAINT test_poison`);
    }
  });

  it('the national test key still works', async () => {
    expect(statuses(await send(TEST_API_KEY, eventsOf({ id: 'NAT-1', unit: '25747', received: '2026-05-06T08:00', due: '2026-05-08T17:00' })))).toEqual(['accepted']);
  });
});
