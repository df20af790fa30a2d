import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import request from 'supertest';
import { eventsOf, FAR_DUE } from '../../../shared/src/kpi/test-dossiers.js';
import { TEST_API_KEY, type TestAccount, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, MAP, launchBrowser, pointOf, receivedToday, scrollSettled } from './browser.js';
import { submitSignIn } from './signIn.js';

/**
 * The overview on a phone with a touch screen (390 × 844, touch events, no mouse): one
 * finger on the map scrolls the page and says that two fingers move the map, so the page
 * never gets stuck inside it; a tap on a province opens it.
 */
let t: TestApp;
let phone: BrowserContext;

const LEADER: TestAccount = { username: 'lanhdao.cham', role: 'leader', scope: 'nation', displayName: 'Nguyễn Văn Chạm' };

beforeAll(async () => {
  t = await startTestApp(process.env.DASHBOARD_DIR ? { DASHBOARD_DIR: process.env.DASHBOARD_DIR } : {});
  await t.signIn(LEADER);
  const events = eventsOf({ id: 'TOUCH-1', unit: '00004', received: receivedToday(), due: FAR_DUE, channel: 'online' });
  const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.accepted).toBe(events.length);
  phone = await launchBrowser({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
});
afterAll(async () => {
  await phone?.close();
  await t?.close();
});

describe('the overview on a touch screen', () => {
  it('scrolls the page under one finger, explains two fingers, and opens a province on a tap', async () => {
    const page = await phone.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(t.base);
    await submitSignIn(page, LEADER, { submit: 'tap' });
    await page.locator('[data-map-state="ready"][data-map-level="province"]').waitFor({ timeout: 60_000 });
    expect(await page.evaluate("matchMedia('(pointer: coarse)').matches")).toBe(true);

    // One finger dragged up over the map: the page scrolls, the map stays, and it says how to move it.
    await page.locator(MAP).evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
    const box = (await page.locator('.choropleth__canvas canvas').boundingBox())!;
    const scrolled = (await page.evaluate('scrollY')) as number;
    const cdp = await phone.newCDPSession(page);
    const x = Math.round(box.x + box.width / 2);
    const y0 = Math.round(box.y + box.height * 0.75);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: y0 }] });
    for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y0 - i * 25 }] });
    await page.getByText('Dùng hai ngón tay để di chuyển, phóng to bản đồ').waitFor({ timeout: 10_000 });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await page.waitForFunction(`scrollY > ${scrolled}`, undefined, { timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'touch-one-finger.png') });

    // Nothing is wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    // A tap on Hà Nội opens its overview with its communes.
    await scrollSettled(page);
    await page.locator(MAP).evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'center' }));
    await scrollSettled(page);
    const hanoi = await pointOf(page, '01');
    await page.touchscreen.tap(hanoi.x, hanoi.y);
    await page.waitForURL(/#\/overview\/province:01\?/, { timeout: 15_000 });
    await page.locator('[data-map-state="ready"][data-map-level="commune"]').waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { level: 1, name: 'Thành phố Hà Nội' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'touch-province.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
