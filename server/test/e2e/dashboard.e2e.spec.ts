import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BrowserContext, Page, Response, WebSocketRoute } from 'playwright-core';
import request from 'supertest';
import { type HealthResponse, localDateOf } from '@ioc/shared';
import { eventsOf, FAR_DUE } from '../../../shared/src/kpi/test-dossiers.js';
import { TEST_API_KEY, type TestApp, type TestAccount, startTestApp } from '../harness.js';
import { ARTIFACTS, eventually, launchBrowser, receivedToday } from './browser.js';
import { passwordOf, signIn, submitSignIn } from './signIn.js';

let t: TestApp;
let browser: BrowserContext;
let base: string;

const NATION_LEADER: TestAccount = { username: 'lanhdao.e2e', role: 'leader', scope: 'nation', displayName: 'Nguyễn Văn Lãnh' };

/** The id of the element with the keyboard focus (the tests compile without the DOM's types, hence the string). */
const focusedId = (page: Page) => page.evaluate('document.activeElement?.id ?? null');

/** A new access token (not the restore at page load, which finds no cookie before sign-in). */
const tokenRefreshed = (r: Response) => r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200;

/** Sockets open on the server's live namespace. */
const liveConnections = async () => ((await request(t.app.getHttpServer()).get('/api/v1/health')).body as HealthResponse).live.connections;

const onlineCard = (page: Page) => page.locator('article', { hasText: 'Tỷ lệ hồ sơ trực tuyến' }).first();

beforeAll(async () => {
  // Demo accounts on, to check the sign-in screen's list; sign-in attempts are not rate-limited here.
  t = await startTestApp({ DEMO_ACCOUNTS: 'on', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  base = t.base;
  // Creates the account; every test signs it in through the sign-in screen.
  await t.signIn(NATION_LEADER);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});
// Every test starts signed out: the pages of one browser profile share the refresh cookie.
beforeEach(async () => {
  await browser.clearCookies();
});

describe('dashboard in Chromium', () => {
  it("shows today's national KPIs from the API, in Vietnamese formats", async () => {
    const page = await browser.newPage();
    await signIn(page, base, NATION_LEADER);
    await page
      .getByText('Chưa có hồ sơ', { exact: false })
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(() => undefined);

    // Three dossiers received today, one online: online filing 33,33%.
    const received = receivedToday();
    const events = [0, 1, 2].flatMap((i) => eventsOf({ id: `E2E-${i}`, unit: '00004', received, due: FAR_DUE, channel: i === 0 ? 'online' : 'direct' }));
    const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
    expect(res.body.accepted).toBe(3);

    await page.reload();
    const card = onlineCard(page);
    await card.getByText('33,33%').waitFor({ timeout: 20_000 });
    await page.locator('.panel--ranking').getByText('Hà Nội').first().waitFor();
    await page.getByRole('heading', { name: 'Xếp hạng 34 tỉnh, thành phố' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Toàn quốc');
    expect(await page.locator('.account').textContent()).toContain('Lãnh đạo · Cả nước');
    const rows = await page.locator('.panel--ranking table tbody tr').count();
    expect(rows).toBe(34);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-overview.png'), fullPage: true });
    await page.close();
  });

  it('updates the open page over the live stream when events arrive, with no reload and no polling', async () => {
    const page = await browser.newPage();
    const polled: string[] = [];
    page.on('request', (r) => {
      // The period's figures and ranking come live; only history (the previous period, the trend) is fetched, and
      // each unit's kpi-v2 index (`by=index`, not in the live rows), read beside them once a minute.
      const u = new URL(r.url());
      if (/^\/api\/v1\/(kpis|rankings)$/.test(u.pathname) && u.searchParams.get('to') === localDateOf(Date.now()) && u.searchParams.get('by') !== 'index') polled.push(r.url());
    });
    await signIn(page, base, NATION_LEADER);
    const card = onlineCard(page);
    await card.getByText('33,33%').waitFor({ timeout: 20_000 });
    const live = page.getByRole('status').filter({ hasText: 'Trực tiếp' });
    await live.waitFor({ timeout: 10_000 });
    expect(await live.getAttribute('aria-live')).toBe('polite');
    await page.getByText(/Cập nhật lúc \d{2}:\d{2}:\d{2}/).waitFor();

    // A fourth dossier, online: 2 of 4 received online, 50,00%, for the nation and for Hà Nội (Ba Đình is in it).
    const events = eventsOf({ id: 'E2E-3', unit: '00004', received: receivedToday(), due: FAR_DUE, channel: 'online' });
    const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
    expect(res.body.accepted).toBe(1);

    await card.getByText('50,00%').waitFor({ timeout: 20_000 });
    const counts = page.locator('.counts__item', { hasText: 'Tiếp nhận' }).first();
    expect(await counts.locator('dd').textContent()).toBe('4');
    // Ranked by the kpi-v2 index (the default): hạng, then the name (a th), the index, the comparable points, on time, online:
    // the online column is the fifth td.
    const hanoi = page.locator('.panel--ranking table tbody tr', { hasText: 'Hà Nội' }).first();
    await hanoi.locator('td').nth(4).getByText('50,00%').waitFor({ timeout: 10_000 });
    expect(await hanoi.locator('td').first().textContent()).toBe('1');
    expect(await page.locator('.panel--ranking table tbody tr').count()).toBe(34);
    expect(await live.textContent()).toContain('Trực tiếp');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-live.png'), fullPage: true });

    // Another rolling period is another pair of topics; the week holds the same four dossiers.
    await page.getByRole('radio', { name: '7 ngày' }).check();
    await page
      .locator('.page-header__meta')
      .getByText(/7 ngày · \d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}/)
      .waitFor({ timeout: 20_000 });
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
    await signIn(page, base, NATION_LEADER);
    await status('Trực tiếp').waitFor({ timeout: 20_000 });

    blocked = true;
    for (const ws of sockets) await ws.close();
    await status('Đang kết nối lại…').waitFor({ timeout: 10_000 });
    // The last figures stay on screen.
    await onlineCard(page).getByText('50,00%').waitFor();
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
    // The first answer says the access token has expired: the page refreshes it and asks again, once.
    let refusals = 0;
    await page.route(/\/api\/v1\/kpis\?/, (route) =>
      refusals++ === 0
        ? route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'The access token has expired.' }) })
        : route.continue(),
    );
    const refreshed = page.waitForResponse(tokenRefreshed, { timeout: 30_000 });
    const polled = page.waitForRequest(/\/api\/v1\/kpis\?/, { timeout: 30_000 });
    await signIn(page, base, NATION_LEADER);
    await polled;
    await refreshed;
    await page.getByText(/tự làm mới mỗi 15 giây/).waitFor({ timeout: 20_000 });
    await onlineCard(page).getByText('50,00%').waitFor();
    expect(await page.locator('.panel--ranking table tbody tr').count()).toBe(34);

    blocked = false;
    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 30_000 });
    await page.close();
  }, 90_000);
  it('connects the live stream again with a fresh token when the server refuses the handshake', async () => {
    const page = await browser.newPage();
    let connections = 0;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (++connections > 1) return ws.connectToServer();
      // The first connection plays a server whose check of the access token fails (socket.io protocol 5).
      ws.send(`0${JSON.stringify({ sid: 'refused', upgrades: [], pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1_000_000 })}`);
      ws.onMessage((m) => {
        if (String(m).startsWith('40/live,')) {
          ws.send(`44/live,${JSON.stringify({ message: 'unauthorized', data: { status: 401, reason: 'The access token has expired.' } })}`);
        }
      });
    });
    const refreshed = page.waitForResponse(tokenRefreshed, { timeout: 20_000 });
    await signIn(page, base, NATION_LEADER);
    await refreshed;
    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 20_000 });
    await onlineCard(page).getByText('50,00%').waitFor();
    expect(connections).toBe(2);
    await page.close();
  });

  it('says a wrong password in Vietnamese, then signs in and lands on the overview', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByRole('heading', { name: 'Đăng nhập', exact: true }).waitFor({ timeout: 20_000 });
    // The first field has the focus: a person can type at once.
    expect(await focusedId(page)).toBe('signin-username');

    await submitSignIn(page, { username: NATION_LEADER.username, password: 'not-the-password' });
    const alert = page.getByRole('alert');
    await alert.getByText('Sai tên đăng nhập hoặc mật khẩu.').waitFor({ timeout: 10_000 });
    // The password is cleared and focused for another try.
    expect(await page.getByLabel('Mật khẩu').inputValue()).toBe('');
    expect(await focusedId(page)).toBe('signin-password');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-sign-in-error.png') });

    await page.getByLabel('Mật khẩu').fill(passwordOf(NATION_LEADER));
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await onlineCard(page).getByText('50,00%').waitFor({ timeout: 20_000 });
    expect(await page.locator('.account').textContent()).toContain('Nguyễn Văn Lãnh');
    expect(await page.locator('.panel--ranking table tbody tr').count()).toBe(34);
    await page.close();
  });

  it('keeps the sign-in over a reload, from the refresh cookie, with no token left in storage', async () => {
    const page = await browser.newPage();
    await signIn(page, base, NATION_LEADER);
    await onlineCard(page).getByText('50,00%').waitFor({ timeout: 20_000 });

    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
    await page.reload();
    expect((await refreshed).status()).toBe(200);
    await onlineCard(page).getByText('50,00%').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    expect(await page.getByLabel('Mật khẩu').count()).toBe(0);
    const stored = await page.evaluate('JSON.stringify([{ ...localStorage }, { ...sessionStorage }])');
    expect(stored).toBe('[{},{}]');
    await page.close();
  });

  it("takes a province operator, by a demo account's button, to Hà Nội's overview with its communes", async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const demo = page.getByRole('region', { name: 'Tài khoản trình diễn' });
    await demo.getByText('vanhanh.hanoi').waitFor({ timeout: 20_000 });
    expect(await demo.getByRole('listitem').count()).toBe(5);
    const operator = demo.getByRole('listitem').filter({ hasText: 'vanhanh.hanoi' });
    await operator.getByText('Cán bộ trực IOC', { exact: true }).waitFor();
    await operator.getByText('Thành phố Hà Nội', { exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-sign-in.png'), fullPage: true });

    await demo.getByRole('button', { name: 'Đăng nhập bằng tài khoản vanhanh.hanoi' }).click();
    // An operator lands on the operations page; the overview of their province is one click away.
    const nav = page.getByRole('navigation', { name: 'Các trang' });
    await nav.getByRole('link', { name: 'Vận hành' }).and(page.locator('[aria-current="page"]')).waitFor({ timeout: 20_000 });
    expect(await page.locator('.account').textContent()).toContain('Cán bộ trực IOC · Thành phố Hà Nội');
    await nav.getByRole('link', { name: 'Tổng quan' }).click();
    await page.getByRole('heading', { name: 'Xếp hạng 126 xã, phường' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thành phố Hà Nội');
    // Hà Nội's four dossiers, all in Ba Đình, two online.
    await onlineCard(page).getByText('50,00%').waitFor({ timeout: 20_000 });
    await page.getByRole('radio', { name: 'Tất cả (126)' }).check();
    const ranking = page.locator('.panel--ranking table');
    await ranking.locator('tbody tr').nth(125).waitFor({ timeout: 20_000 });
    expect(await ranking.locator('tbody tr').count()).toBe(126);
    expect(await ranking.locator('thead').textContent()).toContain('Xã, phường');
    const baDinh = ranking.locator('tbody tr', { hasText: 'Ba Đình' }).first();
    expect(await baDinh.locator('td').first().textContent()).toBe('1');
    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-province-operator.png'), fullPage: true });
    await page.close();
  });

  it("shows a commune chair Ba Đình's figures and asks for nothing they may not read", async () => {
    const chair: TestAccount = { username: 'chutich.e2e', role: 'commune_chair', scope: 'commune:00004', displayName: 'Trần Thị Chủ Tịch' };
    await t.signIn(chair);
    const page = await browser.newPage();
    const refused: string[] = [];
    const requested: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 403) refused.push(r.url());
    });
    page.on('request', (r) => requested.push(r.url()));
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));

    await signIn(page, base, chair);
    // A chair lands on their commune's page; its overview shows the commune's own figures.
    // The page names its period in the address (`?period=…`).
    await page.waitForURL(/#\/commune\/00004(\?period=\w+)?$/, { timeout: 20_000 });
    expect(await page.locator('.account').textContent()).toContain('Chủ tịch UBND xã · Phường Ba Đình, Hà Nội');
    await page.goto(`${base}/#/overview/commune:00004`);
    await onlineCard(page).getByText('50,00%').waitFor({ timeout: 20_000 });
    expect(await page.locator('.counts__item', { hasText: 'Tiếp nhận' }).first().locator('dd').textContent()).toBe('4');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Phường Ba Đình, Hà Nội');
    await page.getByRole('heading', { name: 'So sánh với các xã, phường khác' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-commune-chair.png'), fullPage: true });

    expect(refused).toEqual([]);
    expect(frames.filter((f) => f.includes('forbidden'))).toEqual([]);
    // Other communes only as ranking rows, never their figures.
    expect(requested.filter((u) => /\/api\/v1\/kpis(\/series)?\?scope=commune%3A(?!00004)/.test(u))).toEqual([]);
    await page.close();
  });

  it('labels the highest and lowest units with the compared points they are ranked by, as the table does', async () => {
    // Three more provinces with dossiers, on different sub-indicators, so units have more points with data than they share.
    const provinces = (await t.http.get('/api/v1/units/provinces')).body as { code: string }[];
    const others = provinces
      .map((p) => p.code)
      .filter((c) => c !== '01')
      .slice(0, 3);
    const communes = await Promise.all(others.map(async (c) => ((await t.http.get(`/api/v1/units/provinces/${c}/communes`)).body as { code: string }[])[0]!.code));
    const received = receivedToday();
    const events = [
      ...[0, 1, 2, 3].flatMap((i) => eventsOf({ id: `E2E-X${i}`, unit: communes[0]!, received, due: FAR_DUE, channel: 'online', fullOnlineEligible: true, digitized: received, completed: received })),
      ...[0, 1].flatMap((i) => eventsOf({ id: `E2E-Y${i}`, unit: communes[1]!, received, due: FAR_DUE, channel: 'direct', feeRequired: true, paid: { at: received, online: i === 0 } })),
      ...[0, 1, 2].flatMap((i) => eventsOf({ id: `E2E-Z${i}`, unit: communes[2]!, received, due: FAR_DUE, channel: i === 0 ? 'online' : 'direct' })),
    ];
    const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
    expect(res.body.rejected).toBe(0);

    const page = await browser.newPage();
    await signIn(page, base, NATION_LEADER);
    const extremes = page.locator('.panel--extremes');
    await extremes.locator('.extremes__list--worst li').nth(1).waitFor({ timeout: 30_000 });
    // The basis is said once: the sub-indicators every unit with data has, and their points.
    const basis = await extremes.locator('.extremes__basis').innerText();
    const pmax = basis.match(/\(tối đa (\d+) điểm\)/)?.[1];
    expect(pmax).toBeDefined();
    const note = await page.locator('.panel--ranking .panel__note', { hasText: 'tiêu chí mà mọi đơn vị' }).innerText();
    expect(note).toContain(`(tối đa ${pmax} điểm)`);

    const table = page.locator('.panel--ranking table tbody');
    const read = async (view: 'best' | 'worst') => {
      const items = extremes.locator(`.extremes__list--${view} li`);
      const out: { name: string; value: number; own: string | null }[] = [];
      for (let i = 0; i < (await items.count()); i++) {
        const item = items.nth(i);
        const name = (await item.locator('.extremes__name').innerText()).trim();
        const label = (await item.locator('.extremes__comparable').innerText()).trim();
        // "48,81/56": the compared points of the ranking's common points, never the unit's own "earned/available".
        const [value, of] = label.split('/');
        expect(of).toBe(pmax);
        // The same figure as the table's compared-points column (rank, name, index, compared points).
        const row = table.locator('tr', { has: page.locator('th', { hasText: name }) }).first();
        expect(await row.locator('td').nth(2).innerText()).toBe(value);
        out.push({ name, value: Number(value!.replace(',', '.')), own: await item.locator('.extremes__score').getAttribute('title') });
      }
      return out;
    };
    const best = await read('best');
    const worst = await read('worst');
    expect(best.length).toBe(2);
    expect(worst.length).toBe(2);
    // Ordered by the figure shown: the best from the highest down, the worst from the lowest up, the best above the worst.
    expect(best.map((e) => e.value)).toEqual([...best.map((e) => e.value)].sort((a, b) => b - a));
    expect(worst.map((e) => e.value)).toEqual([...worst.map((e) => e.value)].sort((a, b) => a - b));
    expect(best[best.length - 1]!.value).toBeGreaterThanOrEqual(worst[worst.length - 1]!.value);
    // The unit's own points earned of points with data stay at hand, as secondary text.
    for (const e of [...best, ...worst]) expect(e.own).toMatch(new RegExp(`^Điểm so sánh \\d+,\\d{2} / ${pmax}; riêng đơn vị: \\d+,\\d{2} / \\d+ điểm có số liệu$`));
    // Some unit has more points with data than the ranking compares: its own figure is not the label.
    expect([...best, ...worst].some((e) => !e.own!.includes(`riêng đơn vị: ${e.value.toFixed(2).replace('.', ',')} / ${pmax} `))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-extremes-comparable.png') });
    await page.close();
  }, 90_000);

  it('signs out: back to the sign-in screen, the live socket closed, and a reload does not sign in again', async () => {
    const page = await browser.newPage();
    await signIn(page, base, NATION_LEADER);
    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 20_000 });

    const signedOut = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/sign-out'));
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    expect((await signedOut).status()).toBe(204);
    await page.getByRole('heading', { name: 'Đăng nhập', exact: true }).waitFor({ timeout: 10_000 });
    expect(await focusedId(page)).toBe('signin-username');
    // Other tests' pages are closed, so no socket is left open on the server.
    expect(await eventually(async () => (await liveConnections()) === 0, 10_000)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-signed-out.png') });

    await page.reload();
    await page.getByRole('heading', { name: 'Đăng nhập', exact: true }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'Đăng xuất' }).count()).toBe(0);

    // Someone else signs in on the same page: their own socket, with their token and scope.
    await page.getByRole('button', { name: 'Đăng nhập bằng tài khoản lanhdao.hanoi' }).click();
    await page.getByRole('heading', { name: 'Xếp hạng 126 xã, phường' }).waitFor({ timeout: 20_000 });
    await page.getByRole('status').filter({ hasText: 'Trực tiếp' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.account').textContent()).toContain('Lãnh đạo · Thành phố Hà Nội');
    expect(await liveConnections()).toBe(1);
    await page.close();
  });
});
