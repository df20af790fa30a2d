import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import type { AlertDetail, AlertListResponse, DossierEvent } from '@ioc/shared';
import { eventsOf } from '../../../shared/src/kpi/test-dossiers.js';
import { AlertEngine } from '../../src/alerts/alert-engine.service.js';
import { TEST_API_KEY, type TestAccount, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, launchBrowser } from './browser.js';
import { signIn } from './signIn.js';

/**
 * The operations page and the wall in Chromium: an operator of Hà Nội sees an
 * alert of one of the city's communes, opens it, acknowledges it with a note,
 * and is told at once when a new critical alert fires while the page is open.
 */
let t: TestApp;
let browser: BrowserContext;

const OPERATOR: TestAccount = { username: 'vanhanh.e2e', role: 'operator', scope: 'province:01', displayName: 'Trần Thị Vận' };
const CHAIR: TestAccount = { username: 'chutich.pakn', role: 'commune_chair', scope: 'commune:00004', displayName: 'Lê Văn Phản Ánh' };
const NOTE = 'Đã gọi điện cho phường Ba Đình, đang xử lý hồ sơ tồn.';

/** `YYYY-MM-DDTHH:mm` local time (UTC+7), `minutes` ago. */
const localAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000 + 7 * 3_600_000).toISOString().slice(0, 16);

let n = 0;
/** `count` dossiers of `unit` received a week ago and due two days ago: overdue now. */
const overdue = (unit: string, count: number): DossierEvent[] =>
  Array.from({ length: count }, () => eventsOf({ id: `OPS-${unit}-${++n}`, unit, received: localAgo(7 * 24 * 60), due: localAgo(2 * 24 * 60) })).flat();

async function post(events: DossierEvent[]): Promise<void> {
  const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.accepted).toBe(events.length);
}

/** The backlog rule fires at once on `unit` with these thresholds. */
async function backlogRule(unit: string, thresholds: Record<string, number>): Promise<void> {
  const res = await t.http.put(`/api/v1/alert-rules/commune-overdue-backlog/overrides/${unit}`).send({ pendingMinutes: 0, thresholds });
  expect(res.status).toBe(200);
}

const evaluate = () => t.app.get(AlertEngine).evaluate(Date.now());

/** Waits until the feedback list shows exactly these items, in this order. */
async function eventuallyRows(rows: ReturnType<Page['locator']>, ids: string[]): Promise<void> {
  const read = () => rows.evaluateAll((rs) => rs.map((r) => (r as unknown as { dataset: { feedbackId: string } }).dataset.feedbackId));
  for (let i = 0; i < 50 && JSON.stringify(await read()) !== JSON.stringify(ids); i++) await new Promise((r) => setTimeout(r, 200));
  expect(await read()).toEqual(ids);
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', ...(process.env.DASHBOARD_DIR ? { DASHBOARD_DIR: process.env.DASHBOARD_DIR } : {}) });
  await t.signIn(OPERATOR);
  await t.signIn(CHAIR);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('operations in Chromium', () => {
  let alertId = '';

  it('lands an operator on the live alert list, opens an alert, acknowledges it with a note and hears of a new critical one', async () => {
    // Five overdue dossiers at Ba Đình, with a backlog rule set to fire at once: a major alert.
    await backlogRule('00004', { warning: 2, major: 4 });
    await post(overdue('00004', 5));
    await evaluate();
    const list = (await t.http.get('/api/v1/alerts').query({ scope: 'commune:00004' })).body as AlertListResponse;
    expect(list.items.map((a) => [a.ruleId, a.severity])).toEqual([['commune-overdue-backlog', 'major']]);
    alertId = list.items[0]!.id;

    const page = await browser.newPage();
    await signIn(page, t.base, OPERATOR, { signOut: browser });
    // Operators land on Operations.
    await page.waitForURL(/#\/operations$/, { timeout: 10_000 });
    await page.getByRole('heading', { name: 'Vận hành — cảnh báo' }).waitFor();
    const row = page.locator(`tr[data-alert-id="${alertId}"]`);
    await row.waitFor({ timeout: 20_000 });
    // The threshold as it applies to the unit (the override), once the overrides are read.
    await row.getByText('ngưỡng > 4 hồ sơ').waitFor({ timeout: 10_000 });
    const rowText = await row.textContent();
    expect(rowText).toContain('Cao');
    expect(rowText).toContain('Tồn đọng hồ sơ quá hạn');
    expect(rowText).toContain('Ba Đình');
    expect(rowText).toContain('Hà Nội');
    expect(rowText).toContain('5 hồ sơ');
    expect(rowText).toContain('Chưa xác nhận');
    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.sev-strip__item--major .sev-strip__count').textContent()).toBe('1');
    await page.screenshot({ path: join(ARTIFACTS, 'operations-list.png'), fullPage: true });

    // From the keyboard: the row takes the focus, Enter opens the alert.
    await row.focus();
    await row.press('Enter');
    await page.waitForURL(new RegExp(`#/operations/alerts/${alertId}$`));
    const detail = page.locator('.alert-detail');
    await detail.getByRole('heading', { name: 'Tồn đọng hồ sơ quá hạn' }).waitFor({ timeout: 10_000 });
    await detail.getByText('5 hồ sơ quá hạn trong 5 hồ sơ đang giải quyết.').waitFor();
    await detail.locator('.alert-chart canvas').first().waitFor({ timeout: 15_000 });
    expect(await detail.locator('.thresholds').textContent()).toContain('> 4 hồ sơ');
    await page.screenshot({ path: join(ARTIFACTS, 'operations-detail.png'), fullPage: true });

    // Acknowledge with a note.
    await detail.getByLabel('Ghi chú khi xác nhận (không bắt buộc)').fill(NOTE);
    await detail.getByRole('button', { name: 'Xác nhận đã tiếp nhận' }).click();
    await detail.getByText('Đã xác nhận cảnh báo.').waitFor({ timeout: 10_000 });
    await detail.getByText('Đã xác nhận bởi Trần Thị Vận (vanhanh.e2e)', { exact: false }).waitFor({ timeout: 10_000 });
    await detail.locator('.alert-history__note', { hasText: NOTE }).waitFor();
    await row.getByText('đã xác nhận: Trần Thị Vận (vanhanh.e2e)').waitFor({ timeout: 15_000 });
    const after = (await t.http.get(`/api/v1/alerts/${alertId}`)).body as AlertDetail;
    expect(after).toMatchObject({ acknowledged: true, acknowledgedBy: 'Trần Thị Vận (vanhanh.e2e)' });
    expect(after.history.map((h) => [h.action, h.actor, h.note])).toEqual([
      ['fired', 'system', null],
      ['acknowledged', 'Trần Thị Vận (vanhanh.e2e)', NOTE],
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'operations-acknowledged.png'), fullPage: true });

    // A second acknowledgement is refused, and said so.
    await request(t.app.getHttpServer()).post(`/api/v1/alerts/${alertId}/acknowledge`).set('Authorization', `Bearer ${t.token}`).send({}).expect(409);

    // A critical alert at Hoàn Kiếm while the page is open: a banner and a highlighted row.
    await page.getByRole('button', { name: 'Đóng' }).click();
    await page.waitForURL(/#\/operations$/);
    await backlogRule('00070', { critical: 2 });
    await post(overdue('00070', 3));
    await evaluate();
    const banner = page.getByRole('alert').filter({ hasText: 'Cảnh báo nghiêm trọng mới:' });
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain('Hoàn Kiếm');
    const critical = page.locator('tr.alerts-table__row--new', { hasText: 'Hoàn Kiếm' });
    await critical.waitFor();
    expect(await page.locator('tr.alerts-table__row--new').count()).toBe(1);
    // Its threshold is the commune's override, read again when the alert arrived.
    await critical.getByText('ngưỡng > 2 hồ sơ').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'operations-new-critical.png'), fullPage: true });

    // The history tab shows acknowledged alerts too, from the paged list.
    await page.getByRole('tab', { name: 'Lịch sử' }).click();
    await page.locator(`tr[data-alert-id="${alertId}"]`).waitFor({ timeout: 10_000 });
    await page.getByText(/Trang 1\/1 · 2 cảnh báo/).waitFor();
    await page.close();
  });

  it('shows the wall: dark, full screen, rotating between the map, the alerts and the ranking', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await signIn(page, t.base, OPERATOR, { signOut: browser });
    await page.goto(`${t.base}/#/wall?every=6`);
    await page
      .getByRole('heading', { name: /Trung tâm điều hành/ })
      .waitFor({ timeout: 15_000 })
      .catch(async (e: unknown) => {
        await page.screenshot({ path: join(ARTIFACTS, 'wall-debug.png') });
        throw new Error(`${String(e)}\n${errors.join('\n')}`);
      });
    // The headline tile and the map's legend name the same figure: the kpi-v2 index, earned of the points with data, not out of 100.
    await page.getByRole('term').filter({ hasText: 'Chỉ số QĐ 766 (điểm đạt / điểm có dữ liệu)' }).waitFor();
    await page.locator('.map-legend__title').filter({ hasText: 'Chỉ số (điểm đạt / điểm có dữ liệu)' }).waitFor();
    await page
      .locator('.wall-kpi', { hasText: 'Chỉ số QĐ 766' })
      .locator('dd', { hasText: /^[\d,]+ \/ \d+$/ })
      .waitFor({ timeout: 15_000 });
    expect(await page.locator('.map-legend').textContent()).not.toContain('/100');
    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 15_000 });
    // Nothing scrolls on a wall.
    const overflow = await page.evaluate('document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth');
    expect(overflow).toBe(true);
    await page.waitForTimeout(2500);
    await page.screenshot({ path: join(ARTIFACTS, 'wall-map.png') });

    // Arrow keys move between views; the alerts view shows the critical one.
    await page.keyboard.press('ArrowRight');
    await page.locator('.wall__view[aria-current="true"]', { hasText: 'Cảnh báo đang mở' }).waitFor();
    await page.locator('.wall__slot[data-current="true"] .wall-alert--critical', { hasText: 'Hoàn Kiếm' }).waitFor();
    await page.waitForTimeout(600); // the views cross-fade
    await page.screenshot({ path: join(ARTIFACTS, 'wall-alerts.png') });
    await page.keyboard.press('ArrowRight');
    await page.locator('.wall__view[aria-current="true"]', { hasText: 'Xếp hạng' }).waitFor();
    await page.locator('.wall__slot[data-current="true"] .wall-rank--best li', { hasText: 'Ba Đình' }).waitFor();
    // Ranked and labelled by the headline's figure: the kpi-v2 index, compared points of the common set's maximum.
    const score = (await page.locator('.wall__slot[data-current="true"] .wall-rank--best li .wall-rank__score').first().innerText()).replace(/\s+/g, ' ').trim();
    expect(score).toMatch(/^\d+(,\d+)?\/\d+(,\d+)? điểm$/);
    await page.locator('.wall__slot[data-current="true"] .wall-rank__note', { hasText: 'không quy đổi thang 100' }).waitFor();
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(ARTIFACTS, 'wall-ranking.png') });

    // Space pauses; after resuming, the rotation moves on by itself (every 6 s here).
    await page.keyboard.press(' ');
    await page.getByText('Đã tạm dừng — nhấn phím cách để tiếp tục').waitFor();
    await page.keyboard.press(' ');
    await page.locator('.wall__view[aria-current="true"]', { hasText: 'Bản đồ và chỉ số chính' }).waitFor({ timeout: 10_000 });
    await page.close();
  });
  it('shows citizen feedback (PAKN) to the operator: counts, by topic, overdue and due-soon items, and a chair reaches the commune’s unanswered ones from 5.2', async () => {
    const at = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    const received = (id: string, unit: string, topic: string, receivedHours: number, dueHours: number, dossierId?: string) => ({
      eventId: `${id}-r`,
      type: 'feedback_received',
      feedbackId: id,
      communeCode: unit,
      occurredAt: at(receivedHours),
      dueAt: at(dueHours),
      topic,
      ...(dossierId ? { dossierId } : {}),
    });
    const events = [
      // Ba Đình: one overdue (about a dossier), one due in ten hours, one answered on time; Ngọc Hà: one due in five days.
      received('PAKN-BD-1', '00004', 'procedure', -72, -24, 'OPS-00004-1'),
      received('PAKN-BD-2', '00004', 'staff', -1, 10),
      received('PAKN-BD-3', '00004', 'other', -30, 20),
      { eventId: 'PAKN-BD-3-a', type: 'feedback_answered', feedbackId: 'PAKN-BD-3', communeCode: '00004', occurredAt: at(-2) },
      received('PAKN-NH-1', '00008', 'other', -2, 120),
    ];
    const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
    expect(res.body.accepted).toBe(events.length);

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, t.base, OPERATOR, { signOut: browser });
    await page.waitForURL(/#\/operations$/, { timeout: 10_000 });
    const panel = page.locator('section.feedback');
    await panel.getByRole('heading', { name: 'Phản ánh, kiến nghị (PAKN)' }).waitFor();
    const count = (key: string) => panel.locator(`[data-feedback-count="${key}"] dd`);
    await panel.locator('[data-feedback-count="overdue"] dd', { hasText: '1' }).waitFor({ timeout: 15_000 });
    expect(await count('open').textContent()).toBe('2');
    expect(await count('answeredOnTime').textContent()).toBe('1');
    expect(await count('answeredLate').textContent()).toBe('0');
    const topic = (id: string) => panel.locator(`tr[data-feedback-topic="${id}"] td`);
    expect(await topic('procedure').allTextContents()).toEqual(['1', '0', '1']);
    expect(await topic('staff').allTextContents()).toEqual(['0', '1', '1']);
    expect(await topic('other').allTextContents()).toEqual(['0', '1', '1']);
    // Unanswered items: overdue first, then the least time left, with the unit, topic, dates and linked dossier.
    const rows = panel.locator('tbody tr[data-feedback-id]');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((rs) => rs.map((r) => (r as unknown as { dataset: { feedbackId: string } }).dataset.feedbackId))).toEqual(['PAKN-BD-1', 'PAKN-BD-2', 'PAKN-NH-1']);
    const overdueRow = panel.locator('tr[data-feedback-id="PAKN-BD-1"]');
    expect(await overdueRow.textContent()).toContain('Ba Đình');
    expect(await overdueRow.textContent()).toContain('Thủ tục hành chính');
    expect(await overdueRow.textContent()).toMatch(/Quá hạn (23|24) giờ/);
    expect(await overdueRow.locator('code').textContent()).toBe('OPS-00004-1');
    expect(await panel.locator('tr[data-feedback-id="PAKN-BD-2"]').textContent()).toMatch(/Còn (9|10) giờ · Sắp đến hạn/);
    expect(await panel.locator('tr[data-feedback-id="PAKN-NH-1"]').textContent()).toMatch(/Còn [45] ngày/);
    expect(await panel.locator('tr[data-feedback-id="PAKN-NH-1"]').textContent()).toContain('Không gắn hồ sơ');
    await panel.screenshot({ path: join(ARTIFACTS, 'operations-feedback.png') });

    // A topic: in the address, and the list narrowed to it.
    await panel.getByLabel('Chủ đề').selectOption('staff');
    await page.waitForURL(/ptopic=staff/, { timeout: 10_000 });
    await eventuallyRows(rows, ['PAKN-BD-2']);
    await page.close();

    // The chair of Ba Đình: 5.2 in the points lost links to the commune's unanswered feedback.
    const chair = await browser.newPage();
    chair.on('pageerror', (e) => errors.push(e.message));
    await signIn(chair, t.base, CHAIR, { signOut: browser });
    const lost52 = chair.locator('[data-index-version="kpi-v2"] tr[data-sub-indicator="5.2"]');
    await lost52.waitFor({ timeout: 20_000 });
    await lost52.getByRole('link', { name: 'Xem phản ánh, kiến nghị chưa trả lời' }).click();
    await chair.waitForURL(/#\/operations\?pscope=commune%3A00004&pakn=unanswered$/, { timeout: 10_000 });
    const chairPanel = chair.locator('section.feedback[data-feedback-scope="commune:00004"]');
    await chairPanel.locator('tr[data-feedback-id="PAKN-BD-1"]').waitFor({ timeout: 15_000 });
    expect(await chairPanel.locator('tbody tr[data-feedback-id]').evaluateAll((rs) => rs.map((r) => (r as unknown as { dataset: { feedbackId: string } }).dataset.feedbackId))).toEqual([
      'PAKN-BD-1',
      'PAKN-BD-2',
    ]);
    await chair.screenshot({ path: join(ARTIFACTS, 'operations-feedback-chair.png') });
    expect(errors).toEqual([]);
    await chair.close();
  });
});
