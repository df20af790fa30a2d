import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DAY_MS, type DossierEvent, type KpiResponse, computeKpis, evaluatePeriod, mulberry32, startOfLocalDate } from '@ioc/shared';
import { eventsOf, foldEvents } from '../../shared/src/kpi/test-dossiers.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await startTestApp();
  b = await startTestApp({}, a.url);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('two server processes writing to one database', () => {
  it('lose nothing and count every dossier once, even when both create the same dossiers at once', async () => {
    const rnd = mulberry32(7);
    const units = ['00004', '00008', '00025'];
    const events: DossierEvent[] = Array.from({ length: 300 }, (_, i) =>
      eventsOf({
        id: `N${i}`,
        unit: units[i % 3],
        received: `2026-05-0${1 + (i % 5)}T0${8 + (i % 2)}:00`,
        due: '2026-05-08T17:00',
        channel: rnd() < 0.5 ? 'online' : 'direct',
        digitized: `2026-05-0${1 + (i % 5)}T10:00`,
        completed: rnd() < 0.7 ? '2026-05-07T10:00' : undefined,
      }),
    ).flat();
    // Each dossier's receipt goes to one node while its other events go to the other, at the same
    // moment: both nodes create the same new dossiers concurrently. Then everything is replayed.
    const send = async (node: TestApp, list: DossierEvent[], size: number) => {
      let accepted = 0;
      for (let i = 0; i < list.length; i += size) {
        const res = await request(node.app.getHttpServer())
          .post('/api/v1/events?wait=projected')
          .set('X-Api-Key', TEST_API_KEY)
          .send({ events: list.slice(i, i + size) });
        expect(res.status).toBe(200);
        accepted += res.body.accepted as number;
      }
      return accepted;
    };
    const received = events.filter((e) => e.type === 'received');
    const others = events.filter((e) => e.type !== 'received');
    const [fromA, fromB] = await Promise.all([send(a, received, 30), send(b, others, Math.round((30 * others.length) / received.length))]);
    expect(fromA + fromB).toBe(events.length);
    const shuffled = [...events].sort(() => rnd() - 0.5);
    const [againA, againB] = await Promise.all([send(a, events, 37), send(b, shuffled, 53)]);
    expect(againA + againB).toBe(0);

    const res = await b.http.get('/api/v1/kpis').query({ scope: 'province:01', from: '2026-05-01', to: '2026-05-31' });
    const want = computeKpis(evaluatePeriod(foldEvents(events), startOfLocalDate('2026-05-01'), startOfLocalDate('2026-05-31') + DAY_MS));
    expect((res.body as KpiResponse).counts).toEqual(want.counts);
    expect((res.body as KpiResponse).kpis).toEqual(want.kpis);
    const [{ n }] = (await a.db.query('SELECT count(*)::int AS n FROM ingest_event')) as { n: number }[];
    expect(n).toBe(events.length);
  });
});
