import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BrowserContext, WebSocketRoute } from 'playwright-core';
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
/** A reception time earlier today (Asia/Ho_Chi_Minh), at most an hour ago. */
const receivedToday = () =>
  localAgo(Math.max(0, Math.min(60, Math.floor((Date.now() - Date.parse(`${localDateOf(Date.now())}T00:00:00+07:00`)) / 60_000) - 1)));

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
    const received = receivedToday();
    const events = [0, 1, 2].flatMap((i) =>
      eventsOf({ id: `E2E-${i}`, unit: '00004', received, due: '2099-01-01T17:00', channel: i === 0 ? 'online' : 'direct' }),
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

  it('updates the open page over the live stream when events arrive, with no reload and no polling', async () => {
    const page = await browser.newPage();
    const polled: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/v1\/(kpis|rankings)/.test(r.url())) polled.push(r.url());
    });
    await page.goto(base);
    const card = page.locator('article', { hasText: 'Tỷ lệ hồ sơ trực tuyến' }).first();
    await card.getByText('33,33%').waitFor({ timeout: 20_000 });
    const live = page.getByRole('status').filter({ hasText: 'Trực tiếp' });
    await live.waitFor({ timeout: 10_000 });
    expect(await live.getAttribute('aria-live')).toBe('polite');
    await page.getByText(/Cập nhật lúc \d{2}:\d{2}:\d{2}/).waitFor();

    // A fourth dossier, online: 2 of 4 received online, 50,00%, for the nation and for Hà Nội (Ba Đình is in it).
    const events = eventsOf({ id: 'E2E-3', unit: '00004', received: receivedToday(), due: '2099-01-01T17:00', channel: 'online' });
    const res = await request(t.app.getHttpServer()).post('/api/v1/events').set('X-Api-Key', TEST_API_KEY).send({ events });
    expect(res.body.accepted).toBe(1);

    await card.getByText('50,00%').waitFor({ timeout: 20_000 });
    const counts = page.locator('.counts__item', { hasText: 'Tiếp nhận' }).first();
    expect(await counts.locator('dd').textContent()).toBe('4');
    // Hạng, then the name (a th), then score, on time, online: the online column is the fourth td.
    const hanoi = page.locator('table tbody tr', { hasText: 'Hà Nội' }).first();
    await hanoi.locator('td').nth(3).getByText('50,00%').waitFor({ timeout: 10_000 });
    expect(await hanoi.locator('td').first().textContent()).toBe('1');
    expect(await page.locator('table tbody tr').count()).toBe(34);
    expect(await live.textContent()).toContain('Trực tiếp');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-live.png'), fullPage: true });

    // Another rolling period is another pair of topics; the week holds the same four dossiers.
    await page.getByRole('radio', { name: '7 ngày' }).check();
    await page.getByText(/^\d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}$/).waitFor({ timeout: 20_000 });
    await card.getByText('50,00%').waitFor({ timeout: 20_000 });
    await live.waitFor();
    expect(polled).toEqual([]);
    await page.close();
  });

  it('says when the live connection drops and when the figures on screen grow old, then comes back', async () => {
    const page = await browser.newPage();
    let blocked = false;
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (blocked) return ws.close();
      ws.connectToServer();
      sockets.push(ws);
    });
    const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text });
    await page.goto(base);
    await status('Trực tiếp').waitFor({ timeout: 20_000 });

    blocked = true;
    for (const ws of sockets) await ws.close();
    await status('Đang kết nối lại…').waitFor({ timeout: 10_000 });
    // The last figures stay on screen.
    await page.locator('article', { hasText: 'Tỷ lệ hồ sơ trực tuyến' }).first().getByText('50,00%').waitFor();
    // Three heartbeats (15 s) without a message: the figures are said to be old, from the last message's time.
    await status(/^Dữ liệu cũ từ \d{2}:\d{2}, đang kết nối lại…$/).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-reconnecting.png') });

    blocked = false;
    await status('Trực tiếp').waitFor({ timeout: 20_000 });
    await page.close();
  }, 90_000);

  it('falls back to polling the API while the live stream cannot be subscribed, and goes live when it can', async () => {
    const page = await browser.newPage();
    let blocked = true;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => (blocked ? ws.close() : ws.connectToServer()));
    const polled = page.waitForRequest(/\/api\/v1\/kpis\?/, { timeout: 30_000 });
    await page.goto(base);
    await polled;
    await page.getByText(/tự làm mới mỗi 15 giây/).waitFor({ timeout: 20_000 });
    await page.locator('article', { hasText: 'Tỷ lệ hồ sơ trực tuyến' }).first().getByText('50,00%').waitFor();

    blocked = false;
    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 30_000 });
    await page.close();
  }, 90_000);
});
