import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { type Commune, type Province, localDateOf } from '@ioc/shared';
import { eventsOf, FAR_DUE } from '../../../shared/src/kpi/test-dossiers.js';
import { TEST_API_KEY, type TestAccount, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, launchBrowser, receivedToday } from './browser.js';
import { signIn } from './signIn.js';

let t: TestApp;
let browser: BrowserContext;

// An ASCII display name, so the English screens' text has no Vietnamese but the units' proper names.
const LEADER: TestAccount = { username: 'lanhdao.views', role: 'leader', scope: 'nation', displayName: 'View Tester' };

/** The part of the address after `#`. */
const hashOf = (page: Page) => page.evaluate('location.hash') as Promise<string>;

beforeAll(async () => {
  const dashboard: Record<string, string> = process.env.DASHBOARD_DIR ? { DASHBOARD_DIR: process.env.DASHBOARD_DIR } : {};
  t = await startTestApp({ DEMO_ACCOUNTS: 'on', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', ...dashboard });
  await t.signIn(LEADER);
  const received = receivedToday();
  const events = [0, 1, 2].flatMap((i) => eventsOf({ id: `VIEW-${i}`, unit: '00004', received, due: FAR_DUE, channel: i === 0 ? 'online' : 'direct' }));
  const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.accepted).toBe(3);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});
beforeEach(async () => {
  await browser.clearCookies();
});

describe('every view is an address', () => {
  it('keeps period and KPI through a drill-down, Back and a reload', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, t.base, LEADER, { language: 'vi' });

    // An address without a period names the default one at once, so a copied link keeps it.
    await page.goto(`${t.base}/#/overview`);
    await page.waitForFunction('/[?&]period=(thisMonth|last7)/.test(location.hash)', undefined, { timeout: 10_000 });

    // A shared link: 7 days, the map coloured by online filing.
    await page.goto(`${t.base}/#/overview?period=last7&kpi=online`);
    const meta = page.locator('.page-header__meta');
    await meta.getByText(/7 ngày · \d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}/).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('radio', { name: '7 ngày' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Tô màu theo').inputValue()).toBe('online');

    // Drill down from the ranking: the province opens on the same period and KPI.
    await page
      .locator('.panel--ranking')
      .getByRole('link', { name: /Hà Nội/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Thành phố Hà Nội' }).waitFor({ timeout: 20_000 });
    expect(await hashOf(page)).toBe('#/overview/province:01?period=last7&kpi=online');
    await meta.getByText(/^Kỳ: 7 ngày/).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('radio', { name: '7 ngày' }).isChecked()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'views-drilled.png'), fullPage: true });

    // Another period on the province replaces its address; Back goes up to the nation as it was left.
    await page.getByRole('radio', { name: 'Quý này' }).check();
    await page.waitForFunction("location.hash === '#/overview/province:01?period=thisQuarter&kpi=online'", undefined, { timeout: 5_000 });
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Toàn quốc' }).waitFor({ timeout: 20_000 });
    expect(await hashOf(page)).toBe('#/overview?period=last7&kpi=online');
    expect(await page.getByRole('radio', { name: '7 ngày' }).isChecked()).toBe(true);

    // A reload reopens the same view.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Toàn quốc' }).waitFor({ timeout: 20_000 });
    await meta.getByText(/7 ngày · /).waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Tô màu theo').inputValue()).toBe('online');
    expect(await hashOf(page)).toBe('#/overview?period=last7&kpi=online');

    // Today says up to when its figures go.
    await page.getByRole('radio', { name: 'Hôm nay' }).check();
    await meta.getByText(/Hôm nay, đến \d{2}:\d{2} · \d{2}\/\d{2}\/\d{4}/).waitFor({ timeout: 20_000 });

    // Custom dates travel too.
    const customFrom = localDateOf(Date.now() - 5 * 86_400_000);
    await page.goto(`${t.base}/#/overview/province:01?period=last7`);
    await meta.getByText(/7 ngày · /).waitFor({ timeout: 20_000 });
    await page.goto(`${t.base}/#/overview/province:01?period=custom&from=${customFrom}&to=${localDateOf(Date.now())}`);
    expect(await page.getByRole('radio', { name: 'Tùy chọn' }).isChecked()).toBe(true);
    // The date fields show the address's dates (the page was open with another period before).
    expect(await page.getByLabel('Từ ngày').inputValue()).toBe(customFrom);
    expect(await page.getByLabel('Đến ngày').inputValue()).toBe(localDateOf(Date.now()));
    await page.screenshot({ path: join(ARTIFACTS, 'views-custom.png'), fullPage: true });

    // Operations: the tab is in the address.
    await page.goto(`${t.base}/#/operations?tab=history`);
    await page.getByRole('tab', { name: 'Lịch sử', selected: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: /Đang mở/ }).click();
    await page.waitForFunction("location.hash === '#/operations'", undefined, { timeout: 5_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('exports the ranking as CSV with codes as text and ISO dates, and as a formatted Excel workbook', async () => {
    const page = await browser.newPage();
    await signIn(page, t.base, LEADER, { language: 'vi' });
    await page.goto(`${t.base}/#/overview/province:01?period=last7`);
    const ranking = page.locator('.panel--ranking');
    await ranking
      .getByRole('link', { name: /Ba Đình/ })
      .first()
      .waitFor({ timeout: 20_000 });

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), ranking.getByRole('button', { name: 'Tải CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^ioc-xep-hang-province-01-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]!.startsWith('Hạng,Mã đơn vị,')).toBe(true);
    // Ba Đình's code kept as text, whatever its rank.
    const badinh = lines.find((l) => l.includes(',"=""00004""",'));
    expect(badinh).toMatch(/^\d+,"=""00004""",[^,]*Ba Đình,/);

    const trend = page.locator('.panel--trend');
    await trend.getByRole('button', { name: 'Tải CSV' }).waitFor();
    await page.waitForFunction("!document.querySelector('.panel--trend button[disabled]')", undefined, { timeout: 20_000 });
    const [trendCsv] = await Promise.all([page.waitForEvent('download'), trend.getByRole('button', { name: 'Tải CSV' }).click()]);
    const trendLines = readFileSync((await trendCsv.path())!, 'utf8')
      .slice(1)
      .split('\r\n');
    expect(trendLines[0]!.startsWith('Ngày,')).toBe(true);
    expect(trendLines[1]).toMatch(/^\d{4}-\d{2}-\d{2},/);

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), ranking.getByRole('button', { name: 'Tải Excel' }).click()]);
    expect(xlsxDownload.suggestedFilename()).toMatch(/\.xlsx$/);
    const { Workbook } = (await import('exceljs')).default;
    const wb = new Workbook();
    await wb.xlsx.readFile((await xlsxDownload.path())!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Thông tin', 'Xếp hạng']);
    expect(wb.getWorksheet('Thông tin')!.getCell('B3').value).toBe('Thành phố Hà Nội');
    const sheet = wb.getWorksheet('Xếp hạng')!;
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(2).value === '00004')!;
    expect(String(row.getCell(3).value)).toContain('Ba Đình');
    expect(row.getCell(2).value).toBe('00004');
    expect(row.getCell(2).numFmt).toBe('@');
    expect(typeof row.getCell(4).value).toBe('number');
    await page.close();
  }, 120_000);
});

describe('English mode', () => {
  it('leaves no Vietnamese on the main screens but the units’ proper names', async () => {
    const server = t.app.getHttpServer();
    const provinces = (await request(server).get('/api/v1/units/provinces')).body as Province[];
    const communes = (await request(server).get('/api/v1/units/provinces/01/communes')).body as Commune[];
    // Proper names (longest first, so "Thành phố Hà Nội" goes before "Hà Nội"): the units, the Decision's number
    // and the language switch's own name.
    const names = [...provinces.flatMap((p) => [p.fullName, p.name]), ...communes.flatMap((c) => [c.fullName, c.name]), 'Tiếng Việt', '766/QĐ-TTg'].sort((a, b) => b.length - a.length);
    const vietnamese = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

    const page = await browser.newPage();
    await signIn(page, t.base, LEADER, { language: 'en' });
    const screens: [string, string, string][] = [
      ['overview', '#/overview?period=thisMonth', 'Nationwide'],
      ['province', '#/overview/province:01?period=today', 'Thành phố Hà Nội'],
      ['commune-overview', '#/overview/commune:00004?period=last7', 'Phường Ba Đình, Hà Nội'],
      ['commune', '#/commune/00004?period=thisMonth', 'Phường Ba Đình'],
      ['operations', '#/operations', 'Operations'],
      ['operations-history', '#/operations?tab=history', 'Operations'],
    ];
    const leftovers: string[] = [];
    for (const [name, hash, heading] of screens) {
      await page.goto(`${t.base}/${hash}`);
      await page.getByRole('heading', { level: 1 }).filter({ hasText: heading }).first().waitFor({ timeout: 20_000 });
      // Let the panels settle (figures, ranking, trend).
      await page.waitForFunction("!document.querySelector('[aria-busy=\"true\"]') && !document.querySelector('.skeleton')", undefined, { timeout: 20_000 }).catch(() => undefined);
      await page.screenshot({ path: join(ARTIFACTS, `views-en-${name}.png`), fullPage: true });
      let text = (await page.evaluate('document.body.innerText')) as string;
      for (const n of names) text = text.split(n).join(' ');
      for (const line of text.split('\n')) if (vietnamese.test(line)) leftovers.push(`${name}: ${line.trim()}`);
    }
    expect(leftovers).toEqual([]);
    await page.close();
  }, 180_000);
});
