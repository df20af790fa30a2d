import { createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import type { AlertListResponse, CaughtMailResponse, DeliveryListResponse, DossierEvent, NotificationChannel, NotificationContact, NotificationSubscription } from '@ioc/shared';
import { eventsOf } from '../../../shared/src/kpi/test-dossiers.js';
import { AlertEngine } from '../../src/alerts/alert-engine.service.js';
import { DemoFeedService } from '../../src/demo/demo-feed.service.js';
import { NotificationDispatcher } from '../../src/notifications/dispatcher.service.js';
import { TEST_ADMIN, TEST_API_KEY, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, eventually, launchBrowser } from './browser.js';
import { signIn } from './signIn.js';

/**
 * The notifications page and the delivery states in Chromium, in demo mode (demo
 * accounts, the seeded email channel and the in-process mail catcher): an administrator
 * adds a webhook channel pointing at a real HTTP receiver started here and sends a test
 * through it, sends a test mail and reads it among the caught mail, subscribes the Hà Nội
 * operator through a webhook whose receiver is down, and queues its dead letter again; the
 * operator sees, beside the alert, the mail sent and the webhook dead-lettered.
 */
const SECRET = 'relay-secret-0123456789abcdef';
const DEMO_PASSWORD = 'ioc-demo-2025';

interface Hook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const hooks: Hook[] = [];
let receiver: Server;
let hookBase = '';

let t: TestApp;
let browser: BrowserContext;
const errors: string[] = [];

const localAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000 + 7 * 3_600_000).toISOString().slice(0, 16);
let n = 0;
const overdue = (unit: string, count: number): DossierEvent[] =>
  Array.from({ length: count }, () => eventsOf({ id: `NTF-${unit}-${++n}`, unit, received: localAgo(7 * 24 * 60), due: localAgo(2 * 24 * 60) })).flat();

function validSignature(h: Hook): boolean {
  const ts = String(h.headers['x-ioc-timestamp']);
  const sig = String(h.headers['x-ioc-signature']);
  const want = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${h.body}`).digest('hex')}`;
  return want.length === sig.length && timingSafeEqual(Buffer.from(want), Buffer.from(sig));
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  return page;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url === '/down') res.writeHead(500).end('relay is down');
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  // Demo mode: its accounts, its email channel and the mail catcher. Notification passes
  // run when the test calls them; one failed attempt dead-letters a message.
  t = await startTestApp({
    DEMO_FEED: 'on',
    DEMO_BACKFILL_DAYS: '0',
    NOTIFY_POLL_SECONDS: '0',
    NOTIFY_MAX_ATTEMPTS: '1',
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000',
    ...(process.env.DASHBOARD_DIR ? { DASHBOARD_DIR: process.env.DASHBOARD_DIR } : {}),
  });
  // The national feed is not what this test is about: its figures would only slow it down.
  await t.app.get(DemoFeedService).onApplicationShutdown();
  const seeded = await eventually(async () => {
    const res = await t.http.get('/api/v1/notifications/channels');
    return (res.body as NotificationChannel[]).some((c) => c.name === 'Thư điện tử (demo)');
  }, 60_000);
  expect(seeded).toBe(true);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
});

describe('notifications in Chromium', () => {
  let alertId = '';

  it('lets an administrator add a webhook channel, test it, read the caught mail and subscribe the operator', async () => {
    const page = await newPage();
    await signIn(page, t.base, TEST_ADMIN, { signOut: browser });
    await page.getByRole('navigation', { name: 'Các trang' }).getByRole('link', { name: 'Thông báo' }).click();
    await page.waitForURL(/#\/notifications$/);
    await page.getByRole('heading', { level: 1, name: 'Thông báo' }).waitFor();
    const demoCard = page.locator('.ntf-card', { hasText: 'Thư điện tử (demo)' });
    await demoCard.waitFor({ timeout: 15_000 });
    expect(await demoCard.textContent()).toContain('Người gửi mặc định của máy chủ');

    // A webhook channel to the receiver started above; its secret is written, never shown back.
    await page.getByRole('button', { name: 'Thêm kênh' }).click();
    const form = page.locator('form.ntf-form');
    await form.getByRole('heading', { name: 'Thêm kênh gửi' }).waitFor();
    // Checked in the page before anything is sent.
    await form.getByRole('button', { name: 'Thêm kênh' }).click();
    await form.getByText('Vui lòng sửa các mục được đánh dấu.').waitFor();
    await form.getByText('Kênh webhook cần khóa ký dài ít nhất 16 ký tự.').waitFor();
    expect(await form.getByLabel('Tên kênh').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Tên kênh').fill('Trạm chuyển tiếp Zalo');
    await form.getByLabel('Địa chỉ nhận (URL)').fill(`${hookBase}/ok`);
    await form.getByLabel('Khóa ký (bí mật)').fill(SECRET);
    expect(await form.getByLabel('Khóa ký (bí mật)').getAttribute('type')).toBe('password');
    await page.screenshot({ path: join(ARTIFACTS, 'notifications-channel-form.png'), fullPage: true });
    await form.getByRole('button', { name: 'Thêm kênh' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thêm kênh “Trạm chuyển tiếp Zalo”.' }).waitFor({ timeout: 10_000 });
    const hookCard = page.locator('.ntf-card', { hasText: 'Trạm chuyển tiếp Zalo' });
    await hookCard.getByText('Đã đặt').waitFor();
    expect(await hookCard.textContent()).not.toContain(SECRET);
    const channels = (await t.http.get('/api/v1/notifications/channels')).body as NotificationChannel[];
    expect(channels.find((c) => c.name === 'Trạm chuyển tiếp Zalo')).toMatchObject({ kind: 'webhook', url: `${hookBase}/ok`, hasSecret: true });

    // Send test: a signed POST reaches the receiver, and the page says so.
    await hookCard.getByRole('button', { name: 'Gửi thử qua kênh Trạm chuyển tiếp Zalo' }).click();
    await hookCard.getByRole('status').filter({ hasText: 'Gửi thử thành công: HTTP 200.' }).waitFor({ timeout: 15_000 });
    const test = hooks.find((h) => h.path === '/ok');
    expect(test?.headers['x-ioc-event']).toBe('test');
    expect(validSignature(test!)).toBe(true);

    // A test mail through the demo's email channel lands in the catcher.
    await demoCard.getByLabel('Địa chỉ nhận thư thử').fill('quantri@demo.ioc.local');
    await demoCard.getByRole('button', { name: 'Gửi thử qua kênh Thư điện tử (demo)' }).click();
    await demoCard.getByRole('status').filter({ hasText: 'Gửi thử thành công' }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'notifications-channels.png'), fullPage: true });

    await page.getByRole('tab', { name: /Thư đã bắt/ }).click();
    await page.waitForURL(/tab=caughtMail/);
    const mail = page.locator('.ntf-mail__item', { hasText: 'quantri@demo.ioc.local' });
    await mail.waitFor({ timeout: 15_000 });
    await mail.locator('summary').click();
    await mail.locator('.ntf-mail__text').waitFor();
    expect((await mail.locator('.ntf-mail__text').textContent())?.length).toBeGreaterThan(10);
    const caught = (await t.http.get('/api/v1/notifications/caught-mail')).body as CaughtMailResponse;
    expect(await mail.locator('.ntf-mail__subject').textContent()).toBe(caught.items.find((m) => m.to.includes('quantri@demo.ioc.local'))!.subject);
    await page.screenshot({ path: join(ARTIFACTS, 'notifications-caught-mail.png'), fullPage: true });

    // A second webhook whose receiver is down, and the Hà Nội operator subscribed to it through the form.
    const down = await t.http.post('/api/v1/notifications/channels').send({ name: 'Relay dự phòng', kind: 'webhook', url: `${hookBase}/down`, secret: SECRET });
    expect(down.status).toBe(201);
    const contacts = (await t.http.get('/api/v1/notifications/contacts')).body as NotificationContact[];
    const operator = contacts.find((c) => c.username === 'vanhanh.hanoi')!;
    await page.getByRole('tab', { name: 'Đăng ký nhận' }).click();
    await page.locator('tr', { hasText: 'Cảnh báo mức Cao trở lên của Hà Nội' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Thêm đăng ký' }).click();
    const sub = page.locator('form.ntf-form');
    await sub.getByLabel('Tên (không bắt buộc)').fill('Relay Hà Nội');
    await sub.getByLabel('Tài khoản nhận').selectOption(operator.userId);
    await sub.getByLabel('Phạm vi', { exact: true }).selectOption('01');
    await sub.getByLabel('Mức độ tối thiểu').selectOption('major');
    // The channel added through the API a moment ago is among the choices once the list is read again.
    await sub.getByLabel('Kênh gửi').locator('option', { hasText: 'Relay dự phòng' }).waitFor({ state: 'attached', timeout: 10_000 });
    await sub.getByLabel('Kênh gửi').selectOption(String((down.body as NotificationChannel).id));
    await sub.getByLabel('Có giờ yên lặng (giờ Việt Nam)').check();
    await sub.getByLabel('Giờ yên lặng đến').fill('22:00');
    await sub.getByLabel('Giờ yên lặng từ').fill('22:00');
    await sub.getByRole('button', { name: 'Thêm đăng ký' }).click();
    await sub.getByText('Giờ kết thúc phải khác giờ bắt đầu.').waitFor();
    await sub.getByLabel('Có giờ yên lặng (giờ Việt Nam)').uncheck();
    await page.screenshot({ path: join(ARTIFACTS, 'notifications-subscription-form.png'), fullPage: true });
    await sub.getByRole('button', { name: 'Thêm đăng ký' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thêm đăng ký “Relay Hà Nội”.' }).waitFor({ timeout: 10_000 });
    const row = page.locator('tr', { hasText: 'Relay Hà Nội' });
    expect(await row.textContent()).toContain('Relay dự phòng');
    expect(await row.locator('td').nth(1).textContent()).toBe('Hà Nội');
    const subs = (await t.http.get('/api/v1/notifications/subscriptions')).body as NotificationSubscription[];
    expect(subs.find((s) => s.name === 'Relay Hà Nội')).toMatchObject({ scope: 'province:01', minSeverity: 'major', quietHours: null, recipient: { kind: 'user', userId: operator.userId } });
    await page.screenshot({ path: join(ARTIFACTS, 'notifications-subscriptions.png'), fullPage: true });

    // Escalation minutes per severity.
    await page.getByRole('tab', { name: 'Chuyển cấp' }).click();
    await page.getByLabel('Mức Nghiêm trọng').fill('30');
    await page.getByLabel('Mức Cao').fill('0');
    await page.getByRole('button', { name: 'Lưu chính sách' }).click();
    await page.getByText('Nhập số phút làm việc từ 1 đến 10.000, hoặc để trống (không chuyển cấp).').waitFor();
    await page.getByLabel('Mức Cao').fill('60');
    await page.getByRole('button', { name: 'Lưu chính sách' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã lưu chính sách chuyển cấp.' }).waitFor({ timeout: 10_000 });
    const policy = await t.http.get('/api/v1/notifications/escalation-policy');
    expect(policy.body.afterMinutes).toMatchObject({ critical: 30, major: 60 });
    await page.screenshot({ path: join(ARTIFACTS, 'notifications-escalation.png'), fullPage: true });
    await page.close();
  });

  it('shows the operator, beside the alert, the mail sent and the webhook dead-lettered', async () => {
    // Five overdue dossiers at Ba Đình with the backlog rule set to fire at once: a major alert of Hà Nội.
    const rule = await t.http.put('/api/v1/alert-rules/commune-overdue-backlog/overrides/00004').send({ pendingMinutes: 0, thresholds: { warning: 2, major: 4 } });
    expect(rule.status).toBe(200);
    const events = overdue('00004', 5);
    const posted = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
    expect(posted.body.accepted).toBe(events.length);
    await t.app.get(AlertEngine).evaluate(Date.now());
    const list = (await t.http.get('/api/v1/alerts').query({ scope: 'commune:00004' })).body as AlertListResponse;
    alertId = list.items.find((a) => a.ruleId === 'commune-overdue-backlog')!.id;
    await t.app.get(NotificationDispatcher).tick();
    const mine = ((await t.http.get('/api/v1/notifications/deliveries').query({ pageSize: 200 })).body as DeliveryListResponse).items.filter((d) => d.alertIds.includes(alertId));
    expect(mine.map((d) => [d.channelName, d.status]).sort()).toEqual([
      ['Relay dự phòng', 'dead_letter'],
      ['Thư điện tử (demo)', 'sent'],
    ]);

    const page = await newPage();
    await signIn(page, t.base, { username: 'vanhanh.hanoi', password: DEMO_PASSWORD }, { signOut: browser });
    await page.waitForURL(/#\/operations$/, { timeout: 10_000 });
    const row = page.locator(`tr[data-alert-id="${alertId}"]`);
    await row.waitFor({ timeout: 20_000 });
    await page.getByRole('columnheader', { name: 'Thông báo' }).waitFor();
    // The row shows what needs an eye first, and that there is more.
    await row.getByText('Thư lỗi sau 1 lần thử').waitFor({ timeout: 20_000 });
    await row.getByText('HTTP 500', { exact: false }).waitFor();
    await row.getByText('và 1 thư khác').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'notifications-operator-list.png'), fullPage: true });

    await row.click();
    const detail = page.locator('.alert-detail');
    const section = detail.locator('section', { has: page.getByRole('heading', { name: 'Thông báo ra ngoài' }) });
    await section.waitFor({ timeout: 10_000 });
    const mailItem = section.locator('.delivery-list__item', { hasText: 'Cảnh báo mới qua Thư điện tử (demo)' });
    await mailItem.getByText(/^Đã gửi lúc \d\d:\d\d$/).waitFor();
    const hookItem = section.locator('.delivery-list__item', { hasText: 'Cảnh báo mới qua Relay dự phòng' });
    await hookItem.getByText('Thư lỗi sau 1 lần thử').waitFor();
    expect(await hookItem.textContent()).toContain('HTTP 500');
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'notifications-operator-detail.png'), fullPage: true });
    await page.close();

    // The alert's mail went through the catcher too.
    const caught = (await t.http.get('/api/v1/notifications/caught-mail')).body as CaughtMailResponse;
    expect(caught.items.some((m) => m.to.includes('vanhanh.hanoi@demo.ioc.local'))).toBe(true);
  });

  it('lets the administrator queue a dead letter again', async () => {
    const page = await newPage();
    await signIn(page, t.base, TEST_ADMIN, { signOut: browser });
    await page.goto(`${t.base}/#/notifications?tab=deadLetters`);
    const row = page.locator('tr', { hasText: 'Relay dự phòng' }).first();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('HTTP 500');
    await page.screenshot({ path: join(ARTIFACTS, 'notifications-dead-letters.png'), fullPage: true });
    const before = ((await t.http.get('/api/v1/notifications/dead-letters')).body as DeliveryListResponse).total;
    await row.getByRole('button', { name: /^Đưa thư .* vào hàng đợi lại$/ }).click();
    await page.getByRole('status').filter({ hasText: 'vào hàng đợi; thư sẽ được gửi ở lượt gửi tới.' }).waitFor({ timeout: 10_000 });
    const after = ((await t.http.get('/api/v1/notifications/dead-letters')).body as DeliveryListResponse).total;
    expect(after).toBe(before - 1);
    await page.close();
    expect(errors).toEqual([]);
  });
});
