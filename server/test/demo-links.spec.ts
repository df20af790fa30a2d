import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ReadinessListResponse, addDays, localDateOf } from '@ioc/shared';
import { REPO_ROOT } from '../src/config/config.js';
import { DemoFeedService } from '../src/demo/demo-feed.service.js';
import { DemoLinks } from '../src/demo/demo-links.js';
import { type TestApp, createTestDatabase, startTestApp } from './harness.js';

/**
 * The demo's relays and readiness on a real database: the communes that run a relay get
 * heartbeats, daily summaries and a state now; every commune gets a readiness profile in
 * two versions; a restart adds nothing twice.
 */
let database: { url: string; drop: () => Promise<void> };
let t: TestApp | null = null;
/** The demo's real relays keep their folders here (see demo-relay.spec.ts). */
const dir = join(REPO_ROOT, '.data', `pg-demo-links-${process.pid}`);
const ENV = { DEMO_FEED: 'on', DEMO_BACKFILL_DAYS: '0', EMBEDDED_PG_DIR: dir };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

/** Waits (up to 5 minutes) until the demo's links are written: the retention run at their end leaves a watermark. */
async function linksSeeded(app: TestApp): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const [row] = (await app.db.query(`SELECT count(*)::int AS n FROM link_day_watermark`)) as { n: number }[];
    if (row!.n > 0) return;
    if (Date.now() > deadline) throw new Error('the demo links were not written within 300 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}

const count = async (app: TestApp, sql: string) => ((await app.db.query(sql)) as { n: number }[])[0]!.n;

describe('demo links and readiness', () => {
  it('gives the relay communes heartbeats, summaries and a state, every commune a readiness profile, and adds nothing twice on a restart', async () => {
    t = await startTestApp(ENV, database.url);
    await linksSeeded(t);
    const relays = t.app.get(DemoLinks).relayCommunes(t.app.get(DemoFeedService).simulator());
    expect(relays.length).toBeGreaterThan(200);
    expect(await count(t, `SELECT count(*)::int AS n FROM link_status WHERE agent = 'ioc-relay/demo'`)).toBe(relays.length);
    // 31 closed days of summaries per relay (the last 6 from the raw heartbeats).
    const today = localDateOf(Date.now());
    expect(await count(t, `SELECT count(DISTINCT day)::int AS n FROM link_day`)).toBe(31);
    const [{ first, last }] = (await t.db.query(`SELECT to_char(min(day), 'YYYY-MM-DD') AS first, to_char(max(day), 'YYYY-MM-DD') AS last FROM link_day`)) as { first: string; last: string }[];
    expect([first, last]).toEqual([addDays(today, -31), addDays(today, -1)]);
    // Remote links go down: outages in working hours over the month.
    expect(await count(t, `SELECT count(DISTINCT commune_code)::int AS n FROM link_day WHERE outage_working_minutes > 0`)).toBeGreaterThan(relays.length / 3);
    expect(await count(t, `SELECT count(*)::int AS n FROM link_heartbeat WHERE backlog_events > 0`)).toBeGreaterThan(0);

    expect(await count(t, `SELECT count(DISTINCT commune_code)::int AS n FROM readiness_value`)).toBe(3321);
    expect(await count(t, `SELECT count(DISTINCT as_of)::int AS n FROM readiness_value`)).toBe(2);
    const cb = (await t.http.get('/api/v1/readiness').query({ scope: 'province:04' }).expect(200)).body as ReadinessListResponse;
    expect(cb.communes.every((c) => c.score !== null)).toBe(true);
    expect(cb.communes.filter((c) => c.link !== null).length).toBeGreaterThan(5);

    const before = await count(t, `SELECT count(*)::int AS n FROM readiness_value`);
    const days = await count(t, `SELECT count(*)::int AS n FROM link_day`);
    await t.close();
    t = await startTestApp(ENV, database.url);
    // The second start finds everything written and adds nothing.
    await t.app.get(DemoLinks).started();
    expect(await count(t, `SELECT count(*)::int AS n FROM readiness_value`)).toBe(before);
    expect(await count(t, `SELECT count(*)::int AS n FROM link_day`)).toBe(days);
  }, 600_000);
});
