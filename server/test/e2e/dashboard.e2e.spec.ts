import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import request from 'supertest';
import { localDateOf } from '@ioc/shared';
import { eventsOf } from '../../../shared/src/kpi/test-dossiers.js';
import { TEST_API_KEY, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, launchBrowser } from './browser.js';

let t: TestApp;
let browser: BrowserContext;
let base: string;

/** `YYYY-MM-DDTHH:mm` local time, `minutes` ago. */
const localAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000 + 7 * 3_600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  t = await startTestApp();
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('dashboard in Chromium', () => {
  it("shows today's national KPIs from the API, in Vietnamese formats", async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByText('Chưa có hồ sơ', { exact: false }).first().waitFor({ timeout: 20_000 }).catch(() => undefined);

    // Three dossiers received today, one online: online filing 33,33%.
    const received = Math.min(60, Math.floor((Date.now() - Date.parse(`${localDateOf(Date.now())}T00:00:00+07:00`)) / 60_000) - 1);
    const events = [0, 1, 2].flatMap((i) =>
      eventsOf({ id: `E2E-${i}`, unit: '00004', received: localAgo(Math.max(0, received)), due: '2099-01-01T17:00', channel: i === 0 ? 'online' : 'direct' }),
    );
    const res = await request(t.app.getHttpServer()).post('/api/v1/events').set('X-Api-Key', TEST_API_KEY).send({ events });
    expect(res.body.accepted).toBe(3);

    await page.reload();
    const card = page.locator('article', { hasText: 'Tỷ lệ hồ sơ trực tuyến' }).first();
    await card.getByText('33,33%').waitFor({ timeout: 20_000 });
    await page.getByText('Hà Nội').first().waitFor();
    const rows = await page.locator('table tbody tr').count();
    expect(rows).toBe(34);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-overview.png'), fullPage: true });
    await page.close();
  });
});
