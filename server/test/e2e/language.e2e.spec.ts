import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { eventsOf, FAR_DUE } from '../../../shared/src/kpi/test-dossiers.js';
import { TEST_API_KEY, type TestAccount, type TestApp, startTestApp } from '../harness.js';
import { ARTIFACTS, launchBrowser, receivedToday } from './browser.js';
import { submitSignIn, waitSignedIn } from './signIn.js';

let t: TestApp;
let browser: BrowserContext;

const LEADER: TestAccount = { username: 'lanhdao.ngonngu', role: 'leader', scope: 'nation', displayName: 'Nguyễn Thị Ngôn Ngữ' };

const htmlLang = (page: Page) => page.evaluate('document.documentElement.lang');
const storedLanguage = (page: Page) => page.evaluate("localStorage.getItem('ioc.language')");

/** The language switch, wherever it is on screen: its group is named in the language shown. */
const toggle = (page: Page) => page.getByRole('group', { name: /^(Ngôn ngữ|Language)$/ }).first();

beforeAll(async () => {
  // The harness reads no environment of its own: pass on the dashboard build to serve, when one is named.
  const dashboard: Record<string, string> = process.env.DASHBOARD_DIR ? { DASHBOARD_DIR: process.env.DASHBOARD_DIR } : {};
  t = await startTestApp({ DEMO_ACCOUNTS: 'on', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', ...dashboard });
  await t.signIn(LEADER);
  // Three dossiers received today, one online: online filing 33,33% (33.33% in English).
  const received = receivedToday();
  const events = [0, 1, 2].flatMap((i) => eventsOf({ id: `LANG-${i}`, unit: '00004', received, due: FAR_DUE, channel: i === 0 ? 'online' : 'direct' }));
  const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.accepted).toBe(3);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the dashboard in two languages', () => {
  it('speaks Vietnamese by default, English after the toggle, keeps English over a reload, and switches back', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(t.base);

    // Vietnamese first: the sign-in page, then the signed-in page with Vietnamese number formats.
    await page.getByRole('heading', { name: 'Đăng nhập', exact: true }).waitFor({ timeout: 20_000 });
    expect(await htmlLang(page)).toBe('vi');
    expect(await toggle(page).getByRole('button', { name: 'Tiếng Việt' }).getAttribute('aria-pressed')).toBe('true');
    expect(await toggle(page).getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('false');
    await page.screenshot({ path: join(ARTIFACTS, 'language-sign-in-vi.png'), fullPage: true });

    await submitSignIn(page, LEADER, { submit: 'click' });
    await waitSignedIn(page);
    await page.getByText('33,33%').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.account').first().textContent()).toContain('Lãnh đạo · Cả nước');
    await page.screenshot({ path: join(ARTIFACTS, 'language-overview-vi.png'), fullPage: true });

    // The sign-in page always offers the switch: sign out, fail a sign-in, switch there from the keyboard.
    await page.getByRole('button', { name: 'Đăng xuất' }).first().click();
    await page.getByRole('heading', { name: 'Đăng nhập', exact: true }).waitFor({ timeout: 10_000 });
    await submitSignIn(page, { username: LEADER.username, password: 'not-the-password' });
    await page.getByRole('alert').getByText('Sai tên đăng nhập hoặc mật khẩu.').waitFor({ timeout: 10_000 });
    const english = toggle(page).getByRole('button', { name: 'English' });
    await english.focus();
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor({ timeout: 5_000 });
    expect(await english.getAttribute('aria-pressed')).toBe('true');
    expect(await toggle(page).getAttribute('aria-label')).toBe('Language');
    expect(await htmlLang(page)).toBe('en');
    expect(await storedLanguage(page)).toBe('en');
    await page.getByText('Intelligent Operations Centre').waitFor();
    const demo = page.getByRole('region', { name: 'Demo accounts' });
    await demo.getByText('IOC operator', { exact: true }).first().waitFor({ timeout: 10_000 });
    // The refusal on screen is said again in English.
    await page.getByRole('alert').getByText('Wrong username or password.').waitFor({ timeout: 5_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'language-sign-in-en.png'), fullPage: true });

    // Signed in, in English: the header's words and the figures' formats.
    await submitSignIn(page, LEADER, { language: 'en', submit: 'click' });
    await waitSignedIn(page, 'en');
    await page.getByText('33.33%').first().waitFor({ timeout: 20_000 });
    expect(await page.getByText('33,33%').count()).toBe(0);
    expect(await page.locator('.account').first().textContent()).toContain('Leader · Nationwide');
    await page.screenshot({ path: join(ARTIFACTS, 'language-overview-en.png'), fullPage: true });

    // A reload restores the sign-in and keeps the language.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).first().waitFor({ timeout: 20_000 });
    await page.getByText('33.33%').first().waitFor({ timeout: 20_000 });
    expect(await htmlLang(page)).toBe('en');

    // Back to Vietnamese.
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor({ timeout: 10_000 });
    await toggle(page).getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Đăng nhập', exact: true }).waitFor({ timeout: 5_000 });
    expect(await htmlLang(page)).toBe('vi');
    expect(await storedLanguage(page)).toBe('vi');
    await submitSignIn(page, LEADER, { submit: 'click' });
    await waitSignedIn(page);
    await page.getByText('33,33%').first().waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
