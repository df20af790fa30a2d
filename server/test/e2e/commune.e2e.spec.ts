import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import request from 'supertest';
import { localDateOf } from '@ioc/shared';
import { eventsOf, FAR_DUE } from '../../../shared/src/kpi/test-dossiers.js';
import { TEST_API_KEY, type TestAccount, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, launchBrowser } from './browser.js';
import { signIn } from './signIn.js';

let t: TestApp;
let browser: BrowserContext;

const CHAIR: TestAccount = { username: 'chutich.e2e', role: 'commune_chair', scope: 'commune:00004', displayName: 'Lê Văn Chủ' };
/** Wards (phường) of Hà Nội, like Ba Đình (00004): its peers. */
const PEERS = ['00008', '00025', '00070', '00082', '00091', '00097'];
/** A commune (xã) of Hà Nội with the same volume: not a peer of a ward. */
const OTHER_TYPE = '00376';

/** `YYYY-MM-DDTHH:mm` in Vietnam local time, `minutes` from now (negative: ago). */
const localIn = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 7 * 3_600_000).toISOString().slice(0, 16);
/** Minutes since local midnight, so "received today" never falls on yesterday. */
const minutesToday = () => Math.floor((Date.now() - Date.parse(`${localDateOf(Date.now())}T00:00:00+07:00`)) / 60_000);

async function post(events: unknown[]): Promise<void> {
  const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.rejected).toBe(0);
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', ...(process.env.DASHBOARD_DIR ? { DASHBOARD_DIR: process.env.DASHBOARD_DIR } : {}) });
  await t.signIn(CHAIR);
  browser = await launchBrowser();

  // Received today, as early as possible but within the day.
  const ago = Math.max(1, Math.min(120, minutesToday() - 1));
  const received = localIn(-ago);
  const overdueAt = localIn(-Math.max(0, Math.floor(ago / 2)));
  await post([
    // Ba Đình: one due in about five hours, one already overdue, one far off, one resolved on time online.
    ...eventsOf({ id: 'CT-SOON', unit: '00004', received, due: localIn(5 * 60), channel: 'online', fullOnlineEligible: true }),
    ...eventsOf({ id: 'CT-LATE', unit: '00004', received, due: overdueAt }),
    ...eventsOf({ id: 'CT-LATER', unit: '00004', received, due: FAR_DUE, digitized: received }),
    ...eventsOf({ id: 'CT-DONE', unit: '00004', received, due: FAR_DUE, channel: 'online', completed: received }),
    // Peers of a similar volume (2 to 8 dossiers), better or worse online.
    ...PEERS.flatMap((unit, i) =>
      Array.from({ length: 3 + (i % 3) }, (_, k) => eventsOf({ id: `CT-P${unit}-${k}`, unit, received, due: FAR_DUE, channel: k <= i % 2 ? 'online' : 'direct', fullOnlineEligible: true })).flat(),
    ),
    ...Array.from({ length: 4 }, (_, k) => eventsOf({ id: `CT-X-${k}`, unit: OTHER_TYPE, received, due: FAR_DUE, channel: 'online' })).flat(),
  ]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('commune view in Chromium', () => {
  it("lands a commune chair on their commune: comparison with peers, rank, dossiers to act on and the month's projection", async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 403) refused.push(r.url());
    });
    // The page's scripts, by file name, in the order asked for.
    const scripts: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('.js')) scripts.push(path.slice(path.lastIndexOf('/') + 1));
    });
    const chartCode = () => scripts.filter((f) => /^(echarts|EChart)-[\w-]+\.js$/.test(f));
    await signIn(page, t.base, CHAIR);

    await page.waitForURL(/#\/commune\/00004(\?period=\w+)?$/, { timeout: 20_000 });
    await page.getByRole('heading', { level: 1, name: 'Phường Ba Đình' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.page-header__meta').textContent()).toContain('Phường');

    // Comparison: the commune, Hà Nội, the nation and the median of the six wards (the commune of the other type left out).
    const compare = page.getByRole('region', { name: 'So sánh với tỉnh, cả nước và nhóm tương đồng' });
    await compare.getByText(/^Nhóm tương đồng: 6 phường cùng tỉnh có số hồ sơ tiếp nhận trong kỳ từ 2 đến 8/).waitFor({ timeout: 20_000 });
    const onlineRow = compare.locator('tbody tr', { hasText: 'Tỷ lệ hồ sơ trực tuyến' }).first();
    // 2 of 4 received online.
    await onlineRow.locator('td').first().getByText('50,00%').waitFor({ timeout: 20_000 });
    expect(await compare.locator('table caption').textContent()).toContain('Phường Ba Đình');

    // Rank in the province and in the nation, and the history line.
    const rank = page.getByRole('region', { name: 'Thứ hạng theo điểm chỉ số' });
    await rank
      .getByText(/^Hạng \d+ \/ 8$/)
      .first()
      .waitFor({ timeout: 20_000 });
    // The charts are below the first screen: their code is not asked for until one comes near it.
    await page.locator('.commune-grid .skeleton--chart').first().waitFor();
    // Once the page above them has come (the points lost, first), they are still below the screen.
    await page.locator('section[aria-labelledby="lost-heading"] tr[data-sub-indicator="2.1"]').waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.commune-grid canvas').count()).toBe(0);
    expect(scripts.some((f) => f.startsWith('CommunePage-'))).toBe(true);
    expect(chartCode()).toEqual([]);
    const compareChart = page.locator('section[aria-labelledby="compare-heading"]');
    await compareChart.locator('.skeleton--chart').scrollIntoViewIfNeeded();
    await compareChart.locator('canvas').first().waitFor({ timeout: 20_000 });
    expect(chartCode().some((f) => f.startsWith('echarts-'))).toBe(true);
    await rank.locator('canvas').first().waitFor();

    // Dossiers to act on: the overdue one first, then the one due in about five hours.
    const dossiers = page.getByRole('region', { name: 'Hồ sơ cần xử lý' });
    const soon = dossiers.locator('tbody tr', { hasText: 'CT-SOON' });
    await soon.waitFor({ timeout: 20_000 });
    expect(await soon.textContent()).toMatch(/còn [45] giờ/);
    const rows = dossiers.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('CT-LATE');
    expect(await rows.first().textContent()).toContain('quá hạn');
    expect(await page.locator('.commune-tile', { hasText: 'Hồ sơ cần xử lý' }).textContent()).toContain('1 quá hạn · 1 sắp quá hạn');

    // The export holds the same dossiers, with a byte-order mark for Excel.
    const download = page.waitForEvent('download');
    await dossiers.getByRole('button', { name: 'Tải CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^ioc-ho-so-can-xu-ly-Ba-Dinh-00004-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('CT-SOON');

    // Projection: the at-risk dossier named in a plain sentence.
    const projection = page.getByRole('region', { name: /^Dự báo tỷ lệ đúng hạn cuối tháng/ });
    await projection.getByText(/^Nếu giải quyết đúng hạn 1 hồ sơ sắp đến hạn, tỷ lệ đúng hạn tháng này đạt \d+,\d{2}%\.$/).waitFor({ timeout: 20_000 });

    // Points lost on the national index (kpi-v2), the most lost first: 2.1 at 75% on time (3 of 4) loses 5 of its 20 points.
    const lost = page.getByRole('region', { name: 'Điểm bị mất theo chỉ số QĐ 766' });
    const onTimeLost = lost.locator('tr[data-sub-indicator="2.1"]');
    await onTimeLost.waitFor({ timeout: 20_000 });
    expect(await onTimeLost.locator('.commune-lost__lost').innerText()).toBe('−5,00');
    expect(await onTimeLost.locator('td').nth(1).innerText()).toMatch(/^15,00 \/ 20/);
    const lostValues = (await lost.locator('tbody .commune-lost__lost').allInnerTexts()).map((v) => Number(v.replace('−', '').replace(',', '.')));
    expect(lostValues).toEqual([...lostValues].sort((a, b) => b - a));
    // No reported values and no fee-bearing dossiers: listed as missing, not lost.
    const missingList = lost.locator('.commune-lost__missing');
    expect(await missingList.locator('li[data-sub-indicator="1.1"]').innerText()).toMatch(/chưa được báo cáo/);
    expect(await missingList.locator('li[data-sub-indicator="3.6"]').innerText()).toMatch(/Chưa có số liệu/);
    expect(await lost.locator('tr[data-sub-indicator="3.6"]').count()).toBe(0);
    // The formula of a sub-indicator on keyboard focus.
    await onTimeLost.locator('.formula__name').focus();
    expect(await onTimeLost.locator('.formula__tip').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    // What can win the points back: the dossiers due soon.
    await onTimeLost.getByRole('button', { name: 'Xem hồ sơ sắp quá hạn' }).click();
    await page.waitForURL(/dossiers=due_soon/);
    await dossiers.locator('tbody tr', { hasText: 'CT-SOON' }).waitFor({ timeout: 20_000 });
    expect(await dossiers.locator('tbody tr').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'commune-points-lost-v2.png'), fullPage: true });
    await page.getByRole('radio', { name: /^Tất cả/ }).check();
    await dossiers.locator('tbody tr', { hasText: 'CT-LATE' }).waitFor({ timeout: 20_000 });

    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'commune-view.png'), fullPage: true });

    // Another period from the keyboard: the figures follow.
    await page.getByRole('radio', { name: '7 ngày' }).focus();
    await page.keyboard.press('Space');
    await page.getByText(/^Kỳ: \d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}$/).waitFor({ timeout: 20_000 });
    await onlineRow.locator('td').first().getByText('50,00%').waitFor({ timeout: 20_000 });

    expect(refused).toEqual([]);
    await page.close();
  }, 120_000);
});
