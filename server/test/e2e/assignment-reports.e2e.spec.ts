import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import type { AlertDetail, AlertListResponse, AuditListResponse, DossierEvent, ReportListResponse, SectorBreakdownResponse } from '@ioc/shared';
import { eventsOf } from '../../../shared/src/kpi/test-dossiers.js';
import { AlertEngine } from '../../src/alerts/alert-engine.service.js';
import { TEST_API_KEY, type TestAccount, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, launchBrowser } from './browser.js';
import { signIn } from './signIn.js';

/**
 * Alert assignment and the reports page in Chromium. Before the rules' first evaluation the
 * operator is told the alerts are not yet evaluated (not that every unit is within its
 * thresholds); an alert fires, the operator assigns it to the commune's chair from the list of
 * people who may act on it, and the chair, whose page is open, is told at once and finds it
 * under "assigned to me". Then a report is generated from the reports page and downloaded,
 * and the dossiers are broken down per sector and procedure.
 */
let t: TestApp;
let browser: BrowserContext;

const OPERATOR: TestAccount = { username: 'vanhanh.giao', role: 'operator', scope: 'province:01', displayName: 'Trần Thị Vận' };
const CHAIR: TestAccount = { username: 'chutich.giao', role: 'commune_chair', scope: 'commune:00004', displayName: 'Lê Văn Chủ' };
const NOTE = 'Nhờ phường rà soát hồ sơ quá hạn trong hôm nay.';

const localAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000 + 7 * 3_600_000).toISOString().slice(0, 16);
let n = 0;
const overdue = (unit: string, count: number): DossierEvent[] =>
  Array.from({ length: count }, () => eventsOf({ id: `GIAO-${unit}-${++n}`, unit, received: localAgo(7 * 24 * 60), due: localAgo(2 * 24 * 60) })).flat();

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', ...(process.env.DASHBOARD_DIR ? { DASHBOARD_DIR: process.env.DASHBOARD_DIR } : {}) });
  await t.signIn(OPERATOR);
  await t.signIn(CHAIR);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('alert assignment in Chromium', () => {
  it('says "not yet evaluated" before the first evaluation, assigns an alert to the chair, who is told at once and finds it under "assigned to me"', async () => {
    // The chair's page is open first, so the assignment reaches it live.
    const chairPage = await browser.newPage();
    // Errors once signed in (the sign-in page's first look for an earlier sign-in is refused, as expected).
    await signIn(chairPage, t.base, CHAIR, { signOut: browser });
    const chairErrors = watchErrors(chairPage);
    await chairPage.goto(`${t.base}/#/operations`);
    await chairPage.getByRole('heading', { name: 'Vận hành — cảnh báo' }).waitFor({ timeout: 20_000 });

    const page = await browser.newPage();
    await signIn(page, t.base, OPERATOR, { signOut: browser });
    const errors = watchErrors(page);
    await page.waitForURL(/#\/operations$/, { timeout: 10_000 });
    // No evaluation yet: the empty list does not claim every commune is within its thresholds.
    await page.getByText('Chưa đánh giá: hệ thống chưa chạy lượt kiểm tra quy tắc đầu tiên', { exact: false }).waitFor({ timeout: 20_000 });
    await page.getByText('Quy tắc chưa được đánh giá lần nào').waitFor();
    expect(await page.getByText('mọi chỉ số trong ngưỡng').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'assignment-not-evaluated.png'), fullPage: true });

    // Five overdue dossiers at Ba Đình and a backlog rule that fires at once.
    await t.http
      .put('/api/v1/alert-rules/commune-overdue-backlog/overrides/00004')
      .send({ pendingMinutes: 0, thresholds: { warning: 2, major: 4 } })
      .expect(200);
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/events?wait=projected')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ events: overdue('00004', 5) });
    expect(res.body.accepted).toBeGreaterThan(0);
    await t.app.get(AlertEngine).evaluate(Date.now());
    const list = (await t.http.get('/api/v1/alerts').query({ scope: 'commune:00004' })).body as AlertListResponse;
    const alertId = list.items[0]!.id;

    const row = page.locator(`tr[data-alert-id="${alertId}"]`);
    await row.waitFor({ timeout: 20_000 });
    // The alert's arrival asks again when the rules were evaluated.
    await page.getByText(/^Đánh giá quy tắc lần cuối: /).waitFor({ timeout: 15_000 });
    // The rule is named as a rule, the firing as an alert, the handling as a case.
    await page.getByRole('columnheader', { name: 'Quy tắc' }).waitFor();
    await row.click();
    await page.waitForURL(new RegExp(`#/operations/alerts/${alertId}$`));
    const detail = page.locator('.alert-detail');
    await detail.getByRole('heading', { name: 'Xử lý vụ việc' }).waitFor({ timeout: 10_000 });
    await detail.getByRole('heading', { name: 'Diễn biến vụ việc' }).waitFor();

    // The picker offers those who may act on Ba Đình: the chair, the operator, the administrator.
    const picker = detail.getByLabel('Giao cho', { exact: true });
    await picker.locator('option', { hasText: 'Lê Văn Chủ (chutich.giao)' }).waitFor({ state: 'attached', timeout: 10_000 });
    const options = await picker.locator('option').allTextContents();
    expect(options).toEqual([
      '— Chọn người xử lý —',
      'Lê Văn Chủ (chutich.giao) · Chủ tịch UBND xã',
      'Trần Thị Vận (vanhanh.giao) · Cán bộ trực IOC',
      'Quản trị kiểm thử (test-admin) · Quản trị hệ thống',
    ]);
    await picker.selectOption('chutich.giao');
    await detail.getByLabel('Ghi chú khi giao (không bắt buộc)').fill(NOTE);
    await detail.getByRole('button', { name: 'Giao xử lý' }).click();
    await detail.getByText('Đã giao cho Lê Văn Chủ.').waitFor({ timeout: 10_000 });
    await detail.getByText('Giao cho: Lê Văn Chủ (chutich.giao)').waitFor({ timeout: 10_000 });
    await detail.locator('.alert-history__item--assigned', { hasText: 'chưa giao → Lê Văn Chủ (chutich.giao)' }).waitFor();
    await detail.locator('.alert-history__note', { hasText: NOTE }).waitFor();
    await row.getByText('giao cho Lê Văn Chủ').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'assignment-assigned.png'), fullPage: true });

    const after = (await t.http.get(`/api/v1/alerts/${alertId}`)).body as AlertDetail;
    expect(after).toMatchObject({ assignee: 'chutich.giao', assigneeName: 'Lê Văn Chủ' });
    const audit = (await t.http.get('/api/v1/audit').query({ action: 'alert.assign', target: `alert:${alertId}` })).body as AuditListResponse;
    expect(audit.items.map((e) => [e.action, e.actor])).toEqual([['alert.assign', 'vanhanh.giao']]);

    // The chair's open page is told, and offers the alerts assigned to them.
    const banner = chairPage.locator('.assigned-banner');
    await banner.getByText('Cảnh báo vừa được giao cho bạn:').waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toContain('Tồn đọng hồ sơ quá hạn — Ba Đình, Hà Nội');
    await chairPage.getByRole('button', { name: '1 cảnh báo giao cho tôi' }).waitFor();
    await chairPage.getByLabel('Giao cho tôi').check();
    await chairPage.waitForURL(/[?&]mine=1/);
    await chairPage.locator(`tr[data-alert-id="${alertId}"]`).waitFor();
    await chairPage.screenshot({ path: join(ARTIFACTS, 'assignment-chair-notified.png'), fullPage: true });
    await banner.getByRole('button', { name: 'Đã thấy' }).click();
    expect(await banner.textContent()).toBe('');

    // The operator's filters are in the address: a reload keeps them.
    await page.getByRole('button', { name: 'Đóng' }).click();
    await page.getByRole('checkbox', { name: 'Cao' }).check();
    await page.getByLabel('Xác nhận', { exact: true }).selectOption('unacknowledged');
    await page.waitForURL(/sev=major/);
    expect(page.url()).toContain('ack=unacknowledged');
    await page.reload();
    await page.locator(`tr[data-alert-id="${alertId}"]`).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('checkbox', { name: 'Cao' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Xác nhận', { exact: true }).inputValue()).toBe('unacknowledged');
    // The operator is not the assignee: "assigned to me" empties the list.
    await page.getByLabel('Giao cho tôi').check();
    await page.getByText('Không có cảnh báo nào khớp bộ lọc.').waitFor();

    expect(errors).toEqual([]);
    expect(chairErrors).toEqual([]);
    await chairPage.close();
    await page.close();
  });
});

describe('reports page in Chromium', () => {
  it('lists no report at first, generates one for the chosen scope and period, lists it with its files and downloads the PDF', async () => {
    const page = await browser.newPage();
    await signIn(page, t.base, OPERATOR, { signOut: browser });
    const errors = watchErrors(page);
    await page.getByRole('link', { name: 'Báo cáo' }).click();
    await page.waitForURL(/#\/reports$/);
    await page.getByRole('heading', { level: 1, name: 'Báo cáo' }).waitFor();
    await page.getByText('Chưa có báo cáo nào.').waitFor({ timeout: 15_000 });

    await page.getByLabel('Phạm vi', { exact: true }).selectOption('province:01');
    await page.getByRole('radio', { name: /^Tháng này đến hôm nay/ }).check();
    await page.getByRole('button', { name: 'Lập báo cáo' }).click();
    await page.getByText(/^Đã lập báo cáo Thành phố Hà Nội/).waitFor({ timeout: 60_000 });
    const list = (await t.http.get('/api/v1/reports')).body as ReportListResponse;
    expect(list.items).toHaveLength(1);
    const report = list.items[0]!;
    expect(report).toMatchObject({ scope: 'province:01', kind: 'on_demand', requestedBy: 'vanhanh.giao' });
    const row = page.locator(`tr[data-report-id="${report.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    const text = await row.textContent();
    expect(text).toContain('Thành phố Hà Nội');
    expect(text).toContain('Theo yêu cầu');
    expect(text).toContain('vanhanh.giao');
    await page.screenshot({ path: join(ARTIFACTS, 'reports-page.png'), fullPage: true });

    // The PDF downloads under the name the server gives it.
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /Tải PDF báo cáo Thành phố Hà Nội/ }).click()]);
    expect(download.suggestedFilename()).toBe(`ioc-bao-cao-province-01-${report.from}_${report.to}.pdf`);
    const [workbook] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /Tải Excel báo cáo Thành phố Hà Nội/ }).click()]);
    expect(workbook.suggestedFilename()).toBe(`ioc-bao-cao-province-01-${report.from}_${report.to}.xlsx`);

    // Who generated it is in the audit log.
    const audit = (await t.http.get('/api/v1/audit').query({ action: 'report.generate' })).body as AuditListResponse;
    expect(audit.items.map((e) => [e.actor, e.target])).toEqual([['vanhanh.giao', `report:${report.id}`]]);

    // In English, and filtered by kind through the address.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await row.getByText('On demand').waitFor();
    await page.getByText(/^Report of Thành phố Hà Nội, .+ generated\.$/).waitFor();
    await page.getByLabel('Kind of report').selectOption('monthly');
    await page.waitForURL(/#\/reports\?kind=monthly$/);
    await page.getByText('No report of this kind.').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'reports-page-en-empty.png'), fullPage: true });
    // Back to Vietnamese, which this browser remembers for the next sign-in.
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Báo cáo' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('sectors and procedures in Chromium', () => {
  it('breaks the scope down per sector and procedure, sorts, expands a sector and exports', async () => {
    // Beside the five overdue Hộ tịch dossiers above: two land dossiers resolved within the period.
    const land = [1, 2].flatMap((k) =>
      eventsOf({ id: `GIAO-DD-${k}`, unit: '00008', received: localAgo(3 * 24 * 60), due: localAgo(-3 * 24 * 60), completed: localAgo(24 * 60) }).map((e) =>
        e.type === 'received' ? { ...e, sector: 'Đất đai', procedureCode: '1.012345' } : e,
      ),
    );
    const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events: land });
    expect(res.body.accepted).toBe(land.length);

    const page = await browser.newPage();
    await signIn(page, t.base, OPERATOR, { signOut: browser });
    const errors = watchErrors(page);
    await page.getByRole('link', { name: 'Lĩnh vực' }).click();
    await page.waitForURL(/#\/sectors/);
    await page.goto(`${t.base}/#/sectors?period=last30`);
    await page.getByRole('heading', { level: 1, name: 'Lĩnh vực và thủ tục' }).waitFor();
    const table = page.locator('.sectors-table');
    await table.waitFor({ timeout: 15_000 });
    const names = () => table.locator('tr.sectors-table__sector .sectors-table__name').allTextContents();
    // Largest first: five Hộ tịch dossiers, two Đất đai.
    expect(await names()).toEqual(['Hộ tịch', 'Đất đai']);
    const hoTich = table.locator('tr[data-sector="Hộ tịch"]');
    expect((await hoTich.locator('td').allTextContents()).slice(0, 2)).toEqual(['5', '0']);
    const datDai = table.locator('tr[data-sector="Đất đai"]');
    // Resolved on time in two days.
    expect(await datDai.locator('td').allTextContents()).toEqual(['2', '2', '2', '0', '100,00%', '0', '0', '2,00']);

    // Sorting by the on-time rate, then the other way; the order is in the address.
    await table.getByRole('button', { name: 'Quá hạn' }).click();
    await page.waitForURL(/sort=overdue/);
    expect(await names()).toEqual(['Hộ tịch', 'Đất đai']);
    await table.getByRole('button', { name: 'Quá hạn' }).click();
    await page.waitForURL(/dir=asc/);
    expect(await names()).toEqual(['Đất đai', 'Hộ tịch']);
    expect(await table.locator('th[aria-sort="ascending"]').textContent()).toContain('Quá hạn');

    // A sector opens on its procedures.
    await table.getByRole('button', { name: 'Xem các thủ tục của lĩnh vực Hộ tịch' }).click();
    await table.locator('tr.sectors-table__procedure', { hasText: '1.001193' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'sectors-page.png'), fullPage: true });

    // The same figures as the API, and an Excel export.
    const api = (await t.http.get('/api/v1/kpis/by-sector').query({ scope: 'province:01', from: localAgo(29 * 24 * 60).slice(0, 10), to: localAgo(0).slice(0, 10) })).body as SectorBreakdownResponse;
    expect(api.total).toMatchObject({ received: 7, resolved: 2, overdue: 5 });
    const [workbook] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải Excel' }).click()]);
    expect(workbook.suggestedFilename()).toMatch(/^ioc-linh-vuc-thu-tuc-province-01-.*\.xlsx$/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
