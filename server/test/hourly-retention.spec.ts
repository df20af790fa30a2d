import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DAY_MS, type SeriesResponse, hourlyKeptFrom, localDateOf, localDateTimeOf } from '@ioc/shared';
import { eventsOf } from '../../shared/src/kpi/test-dossiers.js';
import { purgeExpiredHourlyRollups } from '../src/projection/hourly-retention.js';
import { rebuildProjection } from '../src/projection/rebuild.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/** Hour-by-hour rollups are kept KPI_HOURLY_RETENTION_DAYS days before today; day and month rollups for ever. */
let t: TestApp;
const DAYS = 35;
const now = Date.now();
const keptFrom = hourlyKeptFrom(now, DAYS);
const dayAgo = (n: number) => localDateOf(now - n * DAY_MS);

beforeAll(async () => {
  t = await startTestApp({ KPI_HOURLY_RETENTION_DAYS: String(DAYS) });
  const events = [
    // Received and completed before the hours kept.
    { id: 'H-OLD', unit: '00004', received: `${dayAgo(40)}T09:00`, due: `${dayAgo(37)}T17:00`, completed: `${dayAgo(39)}T10:00` },
    // Received within them.
    { id: 'H-NEW', unit: '00004', received: `${dayAgo(2)}T09:00`, due: `${dayAgo(-5)}T17:00` },
    // Received long ago, completed a minute ago: its completion falls in a kept hour.
    { id: 'H-LATE', unit: '00004', received: `${dayAgo(50)}T09:00`, due: `${dayAgo(45)}T17:00`, completed: localDateTimeOf(now - 60_000) },
  ].flatMap(eventsOf);
  const res = await t.http.post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ accepted: events.length, rejected: 0 });
});
afterAll(async () => {
  await t?.close();
});

const sums = async (table: string) => {
  const [r] = (await t.db.query(`SELECT coalesce(sum(received), 0)::int AS received, coalesce(sum(resolved), 0)::int AS resolved FROM ${table} WHERE unit_code = '00004'`)) as [
    { received: number; resolved: number },
  ];
  return r;
};
const hourlyRows = async () => JSON.stringify(await t.db.query(`SELECT * FROM kpi_hourly ORDER BY unit_code, bucket`));

describe('hourly rollups kept KPI_HOURLY_RETENTION_DAYS days', () => {
  it('folds no hour older than the retention, and every day', async () => {
    const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM kpi_hourly WHERE bucket < $1`, [new Date(keptFrom).toISOString()])) as [{ n: number }];
    expect(n).toBe(0);
    // The hours hold the receipt 2 days ago and the completion a minute ago; the days hold all three dossiers.
    expect(await sums('kpi_hourly')).toEqual({ received: 1, resolved: 1 });
    expect(await sums('kpi_daily')).toEqual({ received: 3, resolved: 2 });
  });

  it('serves hour series within the retention and refuses earlier ones with a reason', async () => {
    const recent = await t.http.get('/api/v1/kpis/series').query({ scope: 'commune:00004', granularity: 'hour', from: dayAgo(2), to: dayAgo(2) });
    expect(recent.status).toBe(200);
    const points = (recent.body as SeriesResponse).points;
    expect(points).toHaveLength(24);
    expect(points.reduce((s, p) => s + p.counts.received, 0)).toBe(1);

    const old = await t.http.get('/api/v1/kpis/series').query({ scope: 'commune:00004', granularity: 'hour', from: dayAgo(40), to: dayAgo(40) });
    expect(old.status).toBe(400);
    expect(old.body.code).toBe('BAD_REQUEST');
    expect(old.body.message).toContain(`kept for ${DAYS} days before today (from ${localDateOf(keptFrom)})`);
    expect(old.body.message).toContain('granularity=day');

    // The same day by day is there.
    const byDay = await t.http.get('/api/v1/kpis/series').query({ scope: 'commune:00004', granularity: 'day', from: dayAgo(40), to: dayAgo(39) });
    expect(byDay.status).toBe(200);
    expect((byDay.body as SeriesResponse).points.map((p) => [p.counts.received, p.counts.resolved])).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('tells the dashboard how many days are kept', async () => {
    const res = await t.http.get('/api/v1/client-config');
    expect(res.status).toBe(200);
    expect(res.body.hourlyRetentionDays).toBe(DAYS);
  });

  it('deletes the hours that passed out of the retention, and only those', async () => {
    const before = await hourlyRows();
    // An hour folded before the day turned: now just outside the retention.
    await t.db.query(`INSERT INTO kpi_hourly (unit_code, province_code, bucket, received) VALUES ('00004', '01', $1, 1), ('P01', '01', $1, 1)`, [new Date(keptFrom - 3_600_000).toISOString()]);
    expect(await purgeExpiredHourlyRollups(t.db, DAYS, now)).toBe(2);
    expect(await hourlyRows()).toBe(before);
    expect(await purgeExpiredHourlyRollups(t.db, DAYS, now)).toBe(0);
    // Keeping all deletes nothing.
    expect(await purgeExpiredHourlyRollups(t.db, 0, now)).toBe(0);
  });

  it('rebuilds the same hourly rows from the log', async () => {
    const before = await hourlyRows();
    await rebuildProjection(t.db, { hourlyDays: DAYS });
    expect(await hourlyRows()).toBe(before);
    // Kept for ever, the rebuild writes the older hours too.
    await rebuildProjection(t.db, { hourlyDays: 0 });
    expect(await sums('kpi_hourly')).toEqual({ received: 3, resolved: 2 });
  });
});
