import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { localDateOf } from '@ioc/shared';
import { REPO_ROOT } from '../../src/config/config.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

/** Debian's Chromium, headless, in a fresh profile; never a downloaded browser. `device` emulates a phone (viewport, touch). */
export async function launchBrowser(device: Pick<BrowserContextOptions, 'viewport' | 'hasTouch' | 'isMobile' | 'deviceScaleFactor'> = {}): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ioc-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Europe/London',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...device,
  });
}

/** Polls `check` until it holds or `timeoutMs` passes; answers whether it held. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Local time `YYYY-MM-DDTHH:mm` (Asia/Ho_Chi_Minh) `minutes` ago, as the test dossiers take it. */
export const localAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000 + 7 * 3_600_000).toISOString().slice(0, 16);

/** A reception time earlier today (Asia/Ho_Chi_Minh), at most an hour ago: today's figures count it. */
export function receivedToday(): string {
  const sinceMidnight = Math.floor((Date.now() - Date.parse(`${localDateOf(Date.now())}T00:00:00+07:00`)) / 60_000);
  return localAgo(Math.max(0, Math.min(60, sinceMidnight - 1)));
}

/** The map's element (its state, level and patch count are data attributes). */
export const MAP = '[data-map-state]';

/** A point inside a unit on screen, from the map's test hook. */
/**
 * Waits until the page has stopped scrolling: a one-finger drag ends in a fling that goes on
 * after the finger is lifted, and a point measured during it is stale by the time it is tapped.
 */
export async function scrollSettled(page: Page): Promise<void> {
  const stillFor10Frames = () =>
    new Promise<boolean>((resolve) => {
      const w = globalThis as unknown as { scrollY: number; requestAnimationFrame(cb: () => void): number };
      const start = w.scrollY;
      let frames = 0;
      const tick = () => {
        if (w.scrollY !== start) return resolve(false);
        if (++frames >= 10) return resolve(true);
        w.requestAnimationFrame(tick);
      };
      w.requestAnimationFrame(tick);
    });
  const deadline = Date.now() + 10_000;
  while (!(await page.evaluate(stillFor10Frames))) {
    if (Date.now() > deadline) throw new Error('the page kept scrolling for 10 s');
  }
}

export async function pointOf(page: Page, code: string): Promise<{ x: number; y: number }> {
  const p = await page.locator(MAP).evaluate((el, c) => (el as unknown as { iocMapPointOf(code: string): { x: number; y: number } | null }).iocMapPointOf(c), code);
  if (!p) throw new Error(`no point of ${code} on the map`);
  return p;
}
