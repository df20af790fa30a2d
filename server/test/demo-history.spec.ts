import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DAY_MS, localDateOf } from '@ioc/shared';
import { type TestApp, createTestDatabase, startTestApp } from './harness.js';

/**
 * The demo's history goes through the bulk import of dossier records (national
 * volume, so a day or two is all a test can afford): one record row per dossier
 * received on the history's days, the live feed's events from its start on, and
 * DEMO_BACKFILL_DAYS honoured across restarts.
 */
let database: { url: string; drop: () => Promise<void> };
let t: TestApp | null = null;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
  await database.drop();
});

let startedAt = new Date(0);

async function start(days: number): Promise<TestApp> {
  await t?.close();
  startedAt = new Date();
  t = await startTestApp({ DEMO_FEED: 'on', DEMO_BACKFILL_DAYS: String(days) }, database.url);
  return t;
}

/** Record rows per local day of receipt. */
async function recordDays(app: TestApp): Promise<Map<string, number>> {
  const rows = (await app.db.query(
    `SELECT to_char(occurred_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS day, count(*)::int AS n FROM ingest_event WHERE type = 'record' GROUP BY 1 ORDER BY 1`,
  )) as { day: string; n: number }[];
  return new Map(rows.map((r) => [r.day, r.n]));
}

describe('demo history through the bulk import', () => {
  it('imports the days before the live start as dossier records, adds days when DEMO_BACKFILL_DAYS grows and reloads nothing when it shrinks', async () => {
    const app = await start(1);
    await app.demoHistoryLoaded();
    const [{ live_from }] = (await app.db.query(`SELECT live_from FROM demo_state`)) as [{ live_from: Date }];
    // The live feed starts when the server first does; the receipts of today before it and of the day before are history.
    expect(live_from.getTime()).toBeGreaterThanOrEqual(startedAt.getTime());
    const today = localDateOf(live_from.getTime());
    const yesterday = localDateOf(live_from.getTime() - DAY_MS);
    const first = await recordDays(app);
    expect([...first.keys()]).toEqual([yesterday, today]);
    expect(first.get(yesterday)).toBeGreaterThan(5_000);
    // None received today after the live start is a record.
    const [{ late }] = (await app.db.query(`SELECT count(*)::int AS late FROM ingest_event WHERE type = 'record' AND occurred_at >= $1`, [live_from])) as [{ late: number }];
    expect(late).toBe(0);
    // The records hold what was delivered before the live start, the live feed the rest: never the same dossier's receipt twice.
    const [{ both }] = (await app.db.query(`SELECT count(*)::int AS both FROM ingest_event r JOIN ingest_event e ON e.dossier_id = r.dossier_id AND e.type = 'received' WHERE r.type = 'record'`)) as [
      { both: number },
    ];
    expect(both).toBe(0);
    // The day's figures count each dossier once (receipts still arriving live may add a few meanwhile).
    const receivedYesterday = async () =>
      ((await app.db.query(`SELECT count(*)::int AS n FROM dossier WHERE (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = $1::date`, [yesterday])) as [{ n: number }])[0].n;
    const before = await receivedYesterday();
    const kpis = await app.http.get('/api/v1/kpis').query({ scope: 'nation', from: yesterday, to: yesterday });
    const after = await receivedYesterday();
    expect(kpis.status).toBe(200);
    expect(kpis.body.loading).toBeNull();
    const received = (kpis.body as { counts: { received: number } }).counts.received;
    expect(before).toBeGreaterThanOrEqual(first.get(yesterday)!);
    expect(received).toBeGreaterThanOrEqual(before);
    expect(received).toBeLessThanOrEqual(after);
    // Contract v1.1 in the demo: the reporting provinces' catalogue values with the source that sent them, and synced dossiers.
    const reported = (await app.db.query(`SELECT DISTINCT province_code AS p, reported_by AS by FROM reported_value ORDER BY 1`)) as { p: string; by: string }[];
    expect(reported.map((r) => r.p)).toEqual(['01', '22', '48', '79', '92']);
    expect(reported[0]!.by).toMatch(/^Nguồn dữ liệu mô phỏng — /);
    const index = (await app.http.get('/api/v1/kpis').query({ scope: 'province:22', from: yesterday, to: yesterday })).body.indexV2 as { missing: string[] };
    expect(index.missing).not.toContain('1.1');
    expect(index.missing).not.toContain('1.4');
    const silent = (await app.http.get('/api/v1/kpis').query({ scope: 'province:04', from: yesterday, to: yesterday })).body.indexV2 as { missing: string[] };
    expect(silent.missing).toContain('1.1');
    // Citizen feedback (PAKN) goes in as events: each history day's with the day, the rest live.
    const [{ feedback }] = (await app.db.query(`SELECT count(*)::int AS feedback FROM feedback WHERE received_at IS NOT NULL AND received_at < $1`, [live_from])) as [{ feedback: number }];
    expect(feedback).toBeGreaterThan(0);

    const more = await start(2);
    await more.demoHistoryLoaded();
    const second = await recordDays(more);
    const dayBefore = localDateOf(live_from.getTime() - 2 * DAY_MS);
    expect([...second.keys()]).toEqual([dayBefore, yesterday, today]);
    expect(second.get(yesterday)).toBe(first.get(yesterday));
    expect(second.get(today)).toBe(first.get(today));

    const fewer = await start(1);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await recordDays(fewer)).toEqual(second);
    const [{ target }] = (await fewer.db.query(`SELECT history_target AS target FROM demo_state`)) as [{ target: Date }];
    expect(localDateOf(target.getTime())).toBe(dayBefore);
  }, 600_000);
});
