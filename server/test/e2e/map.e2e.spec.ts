import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { eventsOf, FAR_DUE } from '../../../shared/src/kpi/test-dossiers.js';
import { TEST_API_KEY, type TestAccount, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, MAP, eventually, launchBrowser, pointOf, receivedToday } from './browser.js';
import { signIn } from './signIn.js';

/**
 * The overview's map in Chromium (WebGL on SwiftShader): drawn offline from the
 * server's boundaries, patched in place by the live stream, and a way down to a
 * province's communes by pointer and by keyboard.
 */
let t: TestApp;
let browser: BrowserContext;

const NATION_LEADER: TestAccount = { username: 'lanhdao.bando', role: 'leader', scope: 'nation', displayName: 'Trần Thị Bản Đồ' };

async function post(events: unknown[]): Promise<void> {
  const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.accepted).toBe(events.length);
}

const mapReady = (page: Page, level: 'province' | 'commune') => page.locator(`[data-map-state="ready"][data-map-level="${level}"]`).waitFor({ timeout: 60_000 });
const patchesOf = async (page: Page) => Number(await page.locator(MAP).getAttribute('data-map-patches'));

beforeAll(async () => {
  t = await startTestApp(process.env.DASHBOARD_DIR ? { DASHBOARD_DIR: process.env.DASHBOARD_DIR } : {});
  await t.signIn(NATION_LEADER);
  browser = await launchBrowser();
  // Hà Nội: two dossiers received online; Hồ Chí Minh: one in person. The other 32 provinces have none.
  const received = receivedToday();
  await post([
    ...eventsOf({ id: 'MAP-HN-1', unit: '00004', received, due: FAR_DUE, channel: 'online' }),
    ...eventsOf({ id: 'MAP-HN-2', unit: '00008', received, due: FAR_DUE, channel: 'online' }),
    ...eventsOf({ id: 'MAP-HCM-1', unit: '25747', received, due: FAR_DUE, channel: 'direct' }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the overview map in Chromium', () => {
  it('draws the 34 provinces offline, patches them in place from the live stream, and drills down to a province', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const offsite: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(t.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offsite.push(r.url());
    });

    await signIn(page, t.base, NATION_LEADER);
    await mapReady(page, 'province');
    expect(await page.evaluate(() => performance.getEntriesByName('ioc:map-first-paint').length)).toBe(1);
    await page.getByRole('heading', { name: 'Bản đồ 34 tỉnh, thành phố' }).waitFor();
    // The legend: classes in vi-VN formats, no data, silence.
    const legend = page.locator('.map-legend');
    await legend.getByText('Không có số liệu').waitFor();
    await legend.getByText('Im lặng > 2 giờ').waitFor();

    // Online filing colours the map from here on.
    await page.getByLabel('Tô màu theo').selectOption('online');
    await legend.getByText('Từ 80% trở lên').waitFor();
    await legend.getByText('50% – dưới 65%').waitFor();

    // The tooltip of Hà Nội, under the pointer.
    await page.locator(MAP).scrollIntoViewIfNeeded();
    const hanoi = await pointOf(page, '01');
    await page.mouse.move(hanoi.x, hanoi.y);
    const tooltip = page.locator('.choropleth__tooltip');
    await tooltip.getByText('Hà Nội').waitFor();
    expect(await tooltip.textContent()).toContain('100,00%');
    expect(await tooltip.textContent()).toMatch(/Lần cuối có dữ liệu: \d{2}:\d{2}/);
    expect(await page.locator('.choropleth__canvas canvas').evaluate((c) => (c as unknown as { style: { cursor: string } }).style.cursor)).toBe('pointer');
    await page.screenshot({ path: join(ARTIFACTS, 'map-provinces.png'), fullPage: true });
    await page.locator('.panel--map').screenshot({ path: join(ARTIFACTS, 'map-provinces-panel.png') });

    // A province with no dossiers says so, and never reads as 0%.
    const danang = await pointOf(page, '48');
    await page.mouse.move(danang.x, danang.y);
    await tooltip.getByText('Không có số liệu').waitFor();

    // A third dossier for Hà Nội, in person: online filing 2 of 3. The same map element shows it, patched.
    await page.mouse.move(5, 5);
    const container = await page.locator(MAP).elementHandle();
    const before = await patchesOf(page);
    await post(eventsOf({ id: 'MAP-HN-3', unit: '00004', received: receivedToday(), due: FAR_DUE, channel: 'direct' }));
    expect(await eventually(async () => (await patchesOf(page)) > before, 30_000)).toBe(true);
    expect(await container!.evaluate((el) => (el as unknown as { isConnected: boolean }).isConnected)).toBe(true);
    expect(await page.evaluate(() => performance.getEntriesByName('ioc:map-patch-applied').length)).toBeGreaterThan(0);
    // The first screen's panels may have settled meanwhile: find Hà Nội again.
    const hanoiNow = await pointOf(page, '01');
    await page.mouse.move(hanoiNow.x, hanoiNow.y);
    await tooltip.getByText('66,67%').waitFor({ timeout: 10_000 });

    // A click on Hà Nội opens its overview, with the map of its communes.
    await page.mouse.click(hanoiNow.x, hanoiNow.y);
    // A drill-down keeps the period and the KPI colouring the map.
    await page.waitForURL(/#\/overview\/province:01\?period=\w+&kpi=online$/, { timeout: 10_000 });
    await mapReady(page, 'commune');
    await page.getByRole('heading', { name: 'Bản đồ các xã, phường, đặc khu' }).waitFor();
    expect(await page.locator(MAP).getAttribute('data-map-province')).toBe('01');
    await page.locator(MAP).scrollIntoViewIfNeeded();
    const badinh = await pointOf(page, '00004');
    await page.mouse.move(badinh.x, badinh.y);
    await tooltip.getByText('Ba Đình').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'map-communes.png'), fullPage: true });
    await page.locator('.panel--map').screenshot({ path: join(ARTIFACTS, 'map-communes-panel.png') });

    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lets a keyboard user choose a unit from the list next to the map, see its tooltip, and open it with Enter', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await signIn(page, t.base, NATION_LEADER);
    await mapReady(page, 'province');
    const pick = page.getByLabel('Chọn đơn vị');
    expect(await pick.locator('option').count()).toBe(35);
    await pick.scrollIntoViewIfNeeded();
    await pick.focus();
    await pick.selectOption('79');
    const tooltip = page.locator('.choropleth__tooltip');
    await tooltip.getByText('Hồ Chí Minh').waitFor();
    expect(await pick.getAttribute('aria-describedby')).toBe(await tooltip.getAttribute('id'));
    await page.locator('.panel--map').screenshot({ path: join(ARTIFACTS, 'map-keyboard.png') });
    await pick.press('Enter');
    await page.waitForURL(/#\/overview\/province:79(\?[\w=&]+)?$/, { timeout: 10_000 });
    await mapReady(page, 'commune');
    await page.close();
  });

  it('colours the map by the kpi-v2 index by default and by a sub-indicator chosen in "colour by", kept in the address across a reload', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, t.base, NATION_LEADER);
    await mapReady(page, 'province');
    const colourBy = page.getByLabel('Tô màu theo');
    const legend = page.locator('.map-legend');
    // The leader's default: the index as earned of the points with data, never "thang 100".
    expect(await colourBy.inputValue()).toBe('index');
    await legend.locator('.map-legend__title', { hasText: 'Chỉ số (điểm đạt / điểm có dữ liệu)' }).waitFor();
    await legend.getByText('Từ 95% trở lên').waitFor();
    expect(await legend.locator('.map-legend__title').textContent()).not.toMatch(/100/);
    await legend.getByText('Tỷ lệ điểm đạt trên điểm có dữ liệu của từng đơn vị; không quy đổi thang 100.').waitFor();
    // The sub-indicators are grouped as the portal groups them.
    expect(await colourBy.locator('optgroup').evaluateAll((gs) => gs.map((g) => (g as unknown as { label: string }).label))).toEqual([
      'Chỉ số QĐ 766 (kpi-v2)',
      'Nhóm Công khai, minh bạch (18 điểm)',
      'Nhóm Tiến độ giải quyết (20 điểm)',
      'Nhóm Dịch vụ công trực tuyến (12 điểm)',
      'Nhóm Thanh toán trực tuyến (10 điểm)',
      'Nhóm Số hóa hồ sơ (22 điểm)',
      'Nhóm Mức độ hài lòng (18 điểm)',
      'Các tỷ lệ kpi-v1',
      'Kết nối',
    ]);
    // The index of Hà Nội (dossiers in progress, on time) in the keyboard list, in points.
    const pick = page.getByLabel('Chọn đơn vị');
    await eventually(async () => /^Hà Nội: [\d,]+ \/ \d+ điểm$/.test((await pick.locator('option[value="01"]').textContent()) ?? ''), 30_000);
    expect(await pick.locator('option[value="01"]').textContent()).toMatch(/^Hà Nội: [\d,]+ \/ \d+ điểm$/);
    expect(await pick.locator('option[value="48"]').textContent()).toBe('Đà Nẵng: Không có số liệu');

    // On-time processing (2.1): the legend in points of its 20, the address, the tooltip, the ranking.
    await colourBy.selectOption('2.1');
    await page.waitForURL(/[?&]kpi=2\.1(&|$)/, { timeout: 10_000 });
    await legend.locator('.map-legend__title', { hasText: '2.1 Giải quyết đúng hạn (điểm, tối đa 20)' }).waitFor();
    await legend.getByText('Đủ 20 điểm').waitFor();
    await legend.getByText('8 – dưới 12').waitFor();
    await page.locator(MAP).scrollIntoViewIfNeeded();
    const hanoi = await pointOf(page, '01');
    await page.mouse.move(hanoi.x, hanoi.y);
    const tooltip = page.locator('.choropleth__tooltip');
    await tooltip.getByText('Hà Nội').waitFor();
    await tooltip.getByText('20,00 / 20 điểm').waitFor({ timeout: 10_000 });
    const table = page.locator('table.ranking');
    await table.locator('thead th', { hasText: '2.1 Giải quyết đúng hạn' }).waitFor();
    const hanoiRow = table.locator('tbody tr', { has: page.locator('th', { hasText: 'Hà Nội' }) });
    expect(await hanoiRow.locator('.score-cell__value').textContent()).toBe('20,00 / 20 điểm');
    expect(
      await table
        .locator('tbody tr', { has: page.locator('th', { hasText: 'Đà Nẵng' }) })
        .locator('.score-cell__value')
        .textContent(),
    ).toBe('—');
    await page.getByText('Xếp theo: 2.1 Giải quyết đúng hạn').waitFor();
    await page.locator('.panel--map').screenshot({ path: join(ARTIFACTS, 'map-subindicator-panel.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'map-subindicator.png'), fullPage: true });

    // A reload opens the same choice.
    await page.reload();
    await mapReady(page, 'province');
    expect(await page.getByLabel('Tô màu theo').inputValue()).toBe('2.1');
    await page.locator('.map-legend .map-legend__title', { hasText: '2.1 Giải quyết đúng hạn (điểm, tối đa 20)' }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/kpi=2\.1/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
