import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { localDateOf } from '@ioc/shared';
import { eventsOf, FAR_DUE } from '../../../shared/src/kpi/test-dossiers.js';
import type { IngestSource } from '../../src/auth/auth.types.js';
import { ConnectivityService } from '../../src/connectivity/connectivity.service.js';
import { TEST_API_KEY, type TestAccount, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, launchBrowser } from './browser.js';
import { signIn } from './signIn.js';

/**
 * "Why" on screen, in Chromium: the commune view's readiness and link beside its KPIs,
 * and the province view's scatter of the communes' index against their readiness,
 * with the table of communes where both lag and the note that this is association.
 */
let t: TestApp;
let browser: BrowserContext;

const CHAIR: TestAccount = { username: 'chutich.sansang', role: 'commune_chair', scope: 'commune:00004', displayName: 'Lê Văn Sẵn' };
const LEADER: TestAccount = { username: 'lanhdao.sansang', role: 'leader', scope: 'province:01', displayName: 'Trần Thị Tỉnh' };
const NATION: TestAccount = { username: 'lanhdao.ketnoi', role: 'leader', scope: 'nation', displayName: 'Phạm Văn Kết' };
/** Wards of Hà Nội, from most to least ready; the first ones file online and finish on time. */
const WARDS = ['00004', '00008', '00025', '00070', '00082', '00091', '00097', '00103'];

const localAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000 + 7 * 3_600_000).toISOString().slice(0, 16);
const minutesToday = () => Math.floor((Date.now() - Date.parse(`${localDateOf(Date.now())}T00:00:00+07:00`)) / 60_000);

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', ...(process.env.DASHBOARD_DIR ? { DASHBOARD_DIR: process.env.DASHBOARD_DIR } : {}) });
  await t.signIn(CHAIR);
  await t.signIn(LEADER);
  await t.signIn(NATION);
  browser = await launchBrowser();
  const server = t.app.getHttpServer();

  // Figures: the more ready a ward, the more of its dossiers are filed online and done.
  const received = localAgo(Math.max(1, Math.min(120, minutesToday() - 1)));
  const events = WARDS.flatMap((unit, i) =>
    Array.from({ length: 4 }, (_, k) =>
      eventsOf({
        id: `WHY-${unit}-${k}`,
        unit,
        received,
        due: FAR_DUE,
        channel: k < 4 - Math.floor(i / 2) ? 'online' : 'direct',
        fullOnlineEligible: true,
        ...(k < 4 - i / 2 ? { completed: received, digitized: received } : {}),
      }),
    ).flat(),
  );
  const res = await request(server).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.rejected).toBe(0);

  // Readiness, pushed as by the province's system; Ba Đình's scanners have an older version too.
  const v = (value: number | boolean, asOf = '2026-09-30') => ({ value, asOf, source: 'Sở Nội vụ Hà Nội, báo cáo quý III' });
  await request(server)
    .post('/api/v1/readiness')
    .set('X-Api-Key', TEST_API_KEY)
    .send({
      communes: WARDS.map((communeCode, i) => ({
        communeCode,
        values: {
          itStaff: v(Math.max(0, 2 - Math.floor(i / 3))),
          trainedStaff: v(8 - i),
          digitalSignatures: v(Math.max(0, 7 - i)),
          scanners: v(Math.max(0, 3 - Math.floor(i / 2))),
          kiosks: v(i < 3 ? 1 : 0),
          vneidLevel2Share: v(75 - i * 6.5),
          socCovered: v(i < 4),
        },
      })),
    })
    .expect(200);
  await request(server)
    .post('/api/v1/readiness')
    .set('X-Api-Key', TEST_API_KEY)
    .send({ communes: [{ communeCode: '00004', values: { scanners: v(1, '2026-06-30') } }] })
    .expect(200);

  // Ba Đình's relay: a heartbeat every 5 minutes over the last 26 hours, with a 3-hour outage 20 hours ago.
  const conn = t.app.get(ConnectivityService);
  const source: IngestSource = { keyId: '00000000-0000-4000-8000-00000000e2e1', name: 'Một cửa Ba Đình', scope: { kind: 'commune', code: '00004', provinceCode: '01' } };
  const now = Date.now();
  for (let m = 26 * 60; m >= 0; m -= 5) {
    if (m <= 20 * 60 && m > 17 * 60) continue;
    const backlog = m === 17 * 60 ? { backlogEvents: 42, oldestBacklogSeconds: 3 * 3600 } : { backlogEvents: 0, oldestBacklogSeconds: null };
    await conn.heartbeat(source, { latencyMs: 400 + (m % 7) * 60, intervalSeconds: 300, ...backlog }, now - m * 60_000 - 30_000);
  }
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A page in a fresh browser profile: each test signs in on its own. */
async function freshPage(): Promise<Page> {
  await browser.close();
  browser = await launchBrowser();
  return browser.newPage();
}

describe('why on screen, in Chromium', () => {
  it("shows a commune's readiness, with dates, sources and versions, and its link now and over 7 days, beside the KPIs", async () => {
    const page = await freshPage();
    await signIn(page, t.base, CHAIR, { language: 'vi' });
    await page.waitForURL(/#\/commune\/00004/, { timeout: 20_000 });
    const panel = page.getByTestId('commune-why');
    await panel.getByRole('heading', { name: 'Vì sao: điều kiện sẵn sàng và kết nối' }).waitFor({ timeout: 20_000 });
    await panel.getByText('không phải bằng chứng nhân quả').waitFor();
    const scanners = panel.getByRole('row', { name: /Máy quét tài liệu/ });
    await scanners.waitFor({ timeout: 20_000 });
    expect(await scanners.textContent()).toContain('30/09/2026');
    expect(await scanners.textContent()).toContain('Sở Nội vụ Hà Nội, báo cáo quý III');
    expect(await scanners.textContent()).toContain('2 lần');
    expect(await panel.getByRole('row', { name: /SOC/ }).textContent()).toContain('Có');
    await panel.getByText(/Mức sẵn sàng: 100/).waitFor();
    await panel.getByTestId('link-state').getByText('Kết nối tốt').waitFor();
    const timeline = panel.getByTestId('link-timeline');
    await timeline.waitFor();
    expect(await timeline.locator('.why-timeline__day').count()).toBe(7);
    expect(await timeline.locator('.why-timeline__seg--down').count()).toBeGreaterThan(0);
    await timeline.getByText(/1 lần mất kết nối từ 30 phút/).waitFor();
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'why-commune.png'), fullPage: true });
    await panel.screenshot({ path: join(ARTIFACTS, 'why-commune-panel.png') });
    await page.close();
  });

  it("plots the province's communes, index against readiness, with the communes where both lag and the note that this is association", async () => {
    const page = await freshPage();
    await signIn(page, t.base, LEADER, { language: 'vi' });
    await page.waitForURL(/#\/overview\/province:01/, { timeout: 20_000 });
    const panel = page.getByTestId('province-why');
    await panel.getByRole('heading', { name: 'Vì sao các xã chậm: chỉ số và điều kiện sẵn sàng' }).waitFor({ timeout: 30_000 });
    await panel.getByText('không phải bằng chứng nhân quả').waitFor();
    await panel.scrollIntoViewIfNeeded();
    await panel.locator('canvas').first().waitFor({ timeout: 20_000 });
    const correlation = panel.getByTestId('why-correlation');
    await correlation.waitFor();
    expect(await correlation.textContent()).toMatch(/Hệ số tương quan r = 0,\d+ trên 8 xã/);
    const gaps = panel.getByTestId('why-gaps');
    await gaps.waitFor();
    const rows = await gaps.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(8);
    await page.screenshot({ path: join(ARTIFACTS, 'why-province.png'), fullPage: true });
    await panel.screenshot({ path: join(ARTIFACTS, 'why-province-panel.png') });

    // Another measure on the horizontal axis: only Ba Đình has a relay, too few for a correlation.
    await panel.getByLabel('Trục ngang').selectOption('vneidLevel2Share');
    await correlation.getByText(/trên 8 xã/).waitFor();
    await panel.getByLabel('Trục ngang').selectOption('outageWorkingMinutes');
    await panel.getByText('Chưa đủ xã có cả hai số liệu để tính tương quan.').waitFor();
    await page.close();
  });

  it("colours the province's communes by their link state, with a legend of the states and each commune's link in its tooltip", async () => {
    // Two more relays: one waits on an hour-old backlog, the other has been silent for 45 minutes.
    const conn = t.app.get(ConnectivityService);
    const source: IngestSource = { keyId: '00000000-0000-4000-8000-00000000e2e2', name: 'Trục liên thông Hà Nội', scope: { kind: 'province', code: '01' } };
    await conn.heartbeat(source, { communeCode: '00008', latencyMs: 900, backlogEvents: 42, oldestBacklogSeconds: 3600 });
    await conn.heartbeat(source, { communeCode: '00025', latencyMs: 700, backlogEvents: 0 }, Date.now() - 45 * 60_000);

    const page = await freshPage();
    await signIn(page, t.base, LEADER, { language: 'vi' });
    await page.waitForURL(/#\/overview\/province:01/, { timeout: 20_000 });
    await page.getByLabel('Tô màu theo').selectOption('links');
    await page.waitForURL(/kpi=links/);
    const legend = page.getByTestId('link-legend');
    await legend.getByText('Kết nối tốt (1)').waitFor({ timeout: 20_000 });
    await legend.getByText('Kết nối chập chờn (1)').waitFor();
    await legend.getByText('Mất kết nối (1)').waitFor();
    await legend.getByText(/^Chưa có nguồn tín hiệu \(\d+\)$/).waitFor();
    await legend.getByText('không phải mất kết nối').waitFor();
    await page.locator('[data-map-state="ready"][data-map-level="commune"]').waitFor({ timeout: 60_000 });
    const map = page.locator('[data-map-state]');
    await page.locator('.panel--map').scrollIntoViewIfNeeded();

    const pointOf = async (code: string) => {
      const p = await map.evaluate((el, c) => (el as unknown as { iocMapPointOf(code: string): { x: number; y: number } | null }).iocMapPointOf(c), code);
      if (!p) throw new Error(`no point of ${code} on the map`);
      return p;
    };
    const tooltip = page.locator('.choropleth__tooltip');
    const degraded = await pointOf('00008');
    await page.mouse.move(degraded.x, degraded.y);
    await tooltip.getByText('Kết nối chập chờn').waitFor();
    await tooltip.getByText('Tồn đọng: 42 bản ghi chờ gửi').waitFor();
    expect(await tooltip.textContent()).toMatch(/Từ \d{2}:\d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}/);
    expect(await tooltip.textContent()).toMatch(/Tín hiệu gần nhất: \d{2}:\d{2}:\d{2}/);
    await page.screenshot({ path: join(ARTIFACTS, 'links-province.png'), fullPage: true });
    await page.locator('.panel--map').screenshot({ path: join(ARTIFACTS, 'links-province-map.png') });

    const down = await pointOf('00025');
    await page.mouse.move(down.x, down.y);
    await tooltip.getByText('Mất kết nối').waitFor();
    const none = await pointOf('00103');
    await page.mouse.move(none.x, none.y);
    await tooltip.getByText('Chưa có nguồn tín hiệu').waitFor();
    await tooltip.getByText(/chưa có trạm chuyển tiếp/).waitFor();

    // The layer is in the address: the page opens on it again.
    await page.reload();
    await page.getByTestId('link-legend').getByText('Mất kết nối (1)').waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Tô màu theo').inputValue()).toBe('links');
    await page.close();

    // Nationally, each province by the share of its relayed communes that are down: Hà Nội has 1 of 3.
    const nation = await freshPage();
    await signIn(nation, t.base, NATION, { language: 'vi' });
    await nation.locator('[data-map-state="ready"][data-map-level="province"]').waitFor({ timeout: 60_000 });
    await nation.getByLabel('Tô màu theo').selectOption('links');
    const shares = nation.getByTestId('link-legend');
    await shares.getByText('Tỉ lệ xã mất kết nối, trong các xã có nguồn tín hiệu').waitFor({ timeout: 20_000 });
    await shares.getByText('Từ 25% số xã trở lên mất kết nối').waitFor();
    await shares.getByText('Chưa xã nào có nguồn tín hiệu').waitFor();
    const hanoi = await nation.locator('[data-map-state]').evaluate((el) => (el as unknown as { iocMapPointOf(code: string): { x: number; y: number } | null }).iocMapPointOf('01'));
    if (!hanoi) throw new Error('no point of Hà Nội on the map');
    await nation.mouse.move(hanoi.x, hanoi.y);
    await nation.locator('.choropleth__tooltip').getByText('1/3 xã mất kết nối (33,33%)').waitFor({ timeout: 20_000 });
    await nation.locator('.panel--map').screenshot({ path: join(ARTIFACTS, 'links-nation-map.png') });
    await nation.close();
  });

  it('says the same in English', async () => {
    const page = await freshPage();
    await signIn(page, t.base, LEADER, { language: 'en' });
    await page.waitForURL(/#\/overview\/province:01/, { timeout: 20_000 });
    const panel = page.getByTestId('province-why');
    await panel.getByRole('heading', { name: 'Why communes lag: the index against readiness' }).waitFor({ timeout: 30_000 });
    await panel.getByText('This is association between figures, not proof of cause').waitFor();
    await panel.scrollIntoViewIfNeeded();
    await panel
      .getByTestId('why-correlation')
      .getByText(/Correlation r = 0\.\d+ over the 8 communes/)
      .waitFor({ timeout: 20_000 });
    await panel.screenshot({ path: join(ARTIFACTS, 'why-province-en.png') });
    await page.close();
  });
});
