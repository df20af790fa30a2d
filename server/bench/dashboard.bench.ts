import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildrenData, type DossierEvent, type LiveClientToServer, type LiveServerToClient, liveOverSocket } from '@ioc/shared';
import pg from 'pg';
import { type BrowserContext, type CDPSession, type Page, chromium } from 'playwright-core';
import { type Socket, io } from 'socket.io-client';
import { insertAccount, registerIngestKey, signInOver } from '../src/auth/provision.js';
import { REPO_ROOT, SERVER_ROOT } from '../src/config/config.js';
import { benchDatabase, fmt, percentile } from './bench-support.js';
import { spawnServer } from './server-process.js';

/**
 * npm run bench:dashboard
 *
 * The built dashboard, served by the built server, in headless Debian Chromium
 * with an empty cache (a fresh profile per cold load), signed in as a national leader:
 *
 * 1. Cold load of the national view: time to the first paint of the map (the
 *    map's own `ioc:map-first-paint` mark), against the page's first contentful
 *    paint in the same load (the baseline: what the frame costs without the map);
 *    bytes transferred (headers and bodies, as Chromium counts them).
 * 2. Live update, on the national map coloured by online filing: a dossier
 *    received at the counter, posted over HTTP, until the map has repainted the
 *    province it changed (`ioc:map-patch-applied`); baseline: the same delta's
 *    arrival at a bare socket.io client in Node, subscribed to the same topic.
 * 3. Drill-down to one province: bytes of its commune layer (the boundaries) and
 *    of the whole drill-down (boundaries, ranking, live snapshots are on the socket).
 *
 * Targets (README): first map paint ≤ 1.5 s, a province's commune layer ≤ 300 kB.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DIST = join(REPO_ROOT, 'dashboard', 'dist', 'index.html');
const KEY = 'bench-dashboard-key-0000';
const USER = { username: 'bench.leader', password: 'bench-password-0' };
const COLD_LOADS = Number(process.env.BENCH_DASHBOARD_LOADS ?? 3);
const UPDATES = Number(process.env.BENCH_DASHBOARD_UPDATES ?? 10);
const PROVINCE = '01';
const FIRST_PAINT_TARGET_MS = 1500;
const LAYER_TARGET_BYTES = 300 * 1024;

type Commune = { code: string; provinceCode: string };
const communes = JSON.parse(readFileSync(join(SERVER_ROOT, 'data', 'vn-admin', 'communes.json'), 'utf8')) as Commune[];

let seq = 0;
function received(commune: string, now = Date.now(), channel?: 'online' | 'direct'): DossierEvent {
  const id = `D${now.toString(36)}-${++seq}`;
  return {
    eventId: `${id}-r`,
    dossierId: id,
    communeCode: commune,
    type: 'received',
    occurredAt: new Date(now - 60_000).toISOString(),
    procedureCode: '1.001193',
    sector: 'Hộ tịch',
    channel: channel ?? (seq % 3 === 0 ? 'direct' : 'online'),
    fullOnlineEligible: true,
    resultRequired: false,
    feeRequired: false,
    dueAt: new Date(now + 3 * 86_400_000).toISOString(),
  } as DossierEvent;
}

async function post(base: string, events: DossierEvent[]): Promise<void> {
  const res = await fetch(`${base}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify({ events }) });
  if (!res.ok) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
}

async function launch(): Promise<{ context: BrowserContext; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-bench-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    locale: 'vi-VN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { context, dir };
}

/** Bytes Chromium received (headers + bodies, compressed as sent) per URL, from the DevTools protocol. */
class Traffic {
  private readonly urls = new Map<string, string>();
  readonly bytes = new Map<string, number>();
  private constructor(cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => this.urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
      const url = this.urls.get(e.requestId) ?? e.requestId;
      this.bytes.set(url, (this.bytes.get(url) ?? 0) + e.encodedDataLength);
    });
  }
  static async on(page: Page): Promise<Traffic> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    return new Traffic(cdp);
  }
  reset(): void {
    this.bytes.clear();
  }
  total(filter: (url: string) => boolean = () => true): number {
    let n = 0;
    for (const [url, b] of this.bytes) if (filter(url)) n += b;
    return n;
  }
}

const kb = (b: number) => `${fmt(b / 1024, 1)} kB`;

async function mapReady(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('[data-map-state="ready"]').first().waitFor({ timeout });
}

async function coldLoad(base: string): Promise<{ mapPaint: number; fcp: number; bytes: number; requests: number }> {
  const { context, dir } = await launch();
  try {
    // The refresh cookie of a signed-in leader: the page restores the session and lands on the overview.
    const res = await context.request.post(`${base}/api/v1/auth/sign-in`, { data: USER });
    if (!res.ok()) throw new Error(`sign-in answered ${res.status()}`);
    const page = await context.newPage();
    const traffic = await Traffic.on(page);
    await page.goto(`${base}/#/overview`);
    await mapReady(page);
    const marks = (await page.evaluate(`(() => {
      const paint = performance.getEntriesByName('ioc:map-first-paint')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      // When the pieces on the map's path arrived: the page's code, the map's code and worker, the boundaries, the sign-in.
      const names = { '/assets/index-': 'app', 'OverviewPage-': 'overview', '/assets/maplibre-': 'maplibre', 'maplibre-gl-worker': 'worker', '/geo/provinces': 'boundaries', '/auth/refresh': 'session', '/client-config': 'config', '/units': 'units' };
      const steps = {};
      for (const e of performance.getEntriesByType('resource')) {
        for (const [k, v] of Object.entries(names)) if (e.name.includes(k) && !(v in steps)) steps[v] = Math.round(e.responseEnd);
      }
      for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('ioc:map-') && !(m.name.slice(8) in steps)) steps[m.name.slice(8)] = Math.round(m.startTime);
      return { mapPaint: paint ? paint.startTime : null, fcp: fcp ? fcp.startTime : null, steps };
    })()`)) as { mapPaint: number | null; fcp: number | null; steps: Record<string, number> };
    console.log(
      `      arrived (ms): ${Object.entries(marks.steps)
        .sort((a, b) => a[1] - b[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    if (marks.mapPaint === null || marks.fcp === null) throw new Error('the page has no map-first-paint or first-contentful-paint entry');
    // Let the requests the first paint triggered (trend, previous period) finish before counting.
    await page.waitForLoadState('networkidle').catch(() => undefined);
    return { mapPaint: marks.mapPaint, fcp: marks.fcp, bytes: traffic.total(), requests: traffic.bytes.size };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build the dashboard first (npm run build -w dashboard)`);
  const db = await benchDatabase('ioc_bench_dashboard', true);
  const server = await spawnServer(db.url, { INGEST_RATE_LIMIT_PER_MINUTE: '0', SIGN_IN_RATE_LIMIT_PER_MINUTE: '10000', ACCESS_TOKEN_SECONDS: '86400', LIVE_REFRESH_SECONDS: '15' });
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await registerIngestKey(admin, KEY, 'nation', 'Benchmark');
  await insertAccount(admin, { ...USER, role: 'leader', scope: 'nation', displayName: 'Benchmark' });
  await admin.end();
  const base = server.url;
  console.log(`server ${base}, Chromium ${CHROMIUM}, dashboard ${DIST}`);

  try {
    // Two dossiers received today in every commune: a full map, 34 provinces and every province's communes.
    const events = communes.flatMap((c) => [received(c.code), received(c.code)]);
    for (let i = 0; i < events.length; i += 2000) await post(base, events.slice(i, i + 2000));
    console.log(`seeded ${fmt(events.length)} dossiers over ${fmt(communes.length)} communes`);

    console.log(`\n1. Cold load of the national view (${COLD_LOADS} loads, empty cache each)`);
    const loads = [];
    for (let i = 0; i < COLD_LOADS; i++) {
      const l = await coldLoad(base);
      loads.push(l);
      console.log(`   load ${i + 1}: first map paint ${fmt(l.mapPaint)} ms, first contentful paint ${fmt(l.fcp)} ms, ${kb(l.bytes)} in ${l.requests} requests`);
    }
    const paints = loads.map((l) => l.mapPaint).sort((a, b) => a - b);
    const fcps = loads.map((l) => l.fcp).sort((a, b) => a - b);
    const median = (xs: number[]) => percentile(xs, 50);
    const bytesNational = median(loads.map((l) => l.bytes).sort((a, b) => a - b));

    console.log(`\n2. Live updates on the national map, then 3. drill-down to province ${PROVINCE}`);
    const { context, dir } = await launch();
    let layerBytes = 0;
    let drillBytes = 0;
    const screen: number[] = [];
    const wire: number[] = [];
    let missed = 0;
    try {
      await context.request.post(`${base}/api/v1/auth/sign-in`, { data: USER });
      const page = await context.newPage();
      const traffic = await Traffic.on(page);
      await page.goto(`${base}/#/overview`);
      await mapReady(page);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      // The baseline: a bare socket.io client holding the topic behind the national map.
      const token = await signInOver(base, USER.username, USER.password);
      const socket: Socket<LiveServerToClient, LiveClientToServer> = io(`${base}/live`, { transports: ['websocket'], auth: { token } });
      socket.on('connect_error', (e) => console.log(`   the bare socket.io client could not connect: ${e.message}`));
      const topic = 'children|nation|today';
      let arrivedAt = 0;
      let watching: string | null = null;
      let before = 0;
      const subs = liveOverSocket(socket, {
        onChange: (s) => {
          if (s.topic !== topic || watching === null || arrivedAt) return;
          const row = (s.data as ChildrenData | null)?.[watching];
          if (row && row.counts.received > before) arrivedAt = Date.now();
        },
      });
      await subs.add({ scope: 'nation', view: 'children', period: 'today' });
      // Coloured by online filing, which every dossier received moves (one more dossier in progress
      // need not change the index score: its components may already be at full or zero points).
      await page.getByLabel('Tô màu theo').selectOption('online');
      await page.waitForTimeout(1000);
      for (let i = 0; i < UPDATES; i++) {
        const { code: commune, provinceCode } = communes[(i * 397) % communes.length]!;
        const patches = Number(await page.locator('[data-map-patches]').first().getAttribute('data-map-patches'));
        watching = provinceCode;
        before = (subs.get(topic)?.data as ChildrenData | null)?.[provinceCode]?.counts.received ?? 0;
        arrivedAt = 0;
        await post(base, [received(commune, Date.now(), 'direct')]);
        const acked = Date.now();
        // A function, not a string: the page's CSP forbids eval.
        const repainted = await page
          .waitForFunction(
            (n) => {
              const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document;
              return Number(doc.querySelector('[data-map-patches]')?.getAttribute('data-map-patches')) > n;
            },
            patches,
            { timeout: 20_000, polling: 'raf' },
          )
          .then(
            () => true,
            () => false,
          );
        if (!repainted) {
          missed++;
          continue;
        }
        const painted = (await page.evaluate(`(() => {
          const m = performance.getEntriesByName('ioc:map-patch-applied');
          return performance.timeOrigin + m[m.length - 1].startTime;
        })()`)) as number;
        screen.push(painted - acked);
        if (arrivedAt) wire.push(arrivedAt - acked);
        // Deltas of a topic are at least a second apart: keep the updates distinct.
        await page.waitForTimeout(1200);
      }
      socket.disconnect();

      traffic.reset();
      await page.evaluate(`window.location.hash = '#/overview/province:${PROVINCE}'`);
      await page.waitForResponse((r) => r.url().includes(`/geo/provinces/${PROVINCE}/communes`), { timeout: 30_000 });
      await mapReady(page);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await page.waitForTimeout(1500);
      layerBytes = traffic.total((u) => u.includes(`/geo/provinces/${PROVINCE}/communes`));
      drillBytes = traffic.total();
      console.log(`   commune layer of province ${PROVINCE}: ${kb(layerBytes)} (target ≤ ${kb(LAYER_TARGET_BYTES)}); the whole drill-down: ${kb(drillBytes)}`);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
    screen.sort((a, b) => a - b);
    wire.sort((a, b) => a - b);

    console.log('\nSummary');
    console.log(`| measure | value | baseline (same run) | target |`);
    console.log(`|---|---:|---:|---:|`);
    console.log(
      `| national view, first map paint (median of ${COLD_LOADS} cold loads) | ${fmt(median(paints))} ms | first contentful paint ${fmt(median(fcps))} ms | ≤ ${fmt(FIRST_PAINT_TARGET_MS)} ms ${median(paints) <= FIRST_PAINT_TARGET_MS ? '✓' : '✗'} |`,
    );
    console.log(`| national view, bytes transferred | ${kb(bytesNational)} | — | — |`);
    console.log(`| province ${PROVINCE} commune layer | ${kb(layerBytes)} | whole drill-down ${kb(drillBytes)} | ≤ ${kb(LAYER_TARGET_BYTES)} ${layerBytes <= LAYER_TARGET_BYTES ? '✓' : '✗'} |`);
    console.log(
      `| live update, POST answered → map repainted (p50 / p95 of ${screen.length}) | ${fmt(percentile(screen, 50))} / ${fmt(percentile(screen, 95))} ms | ${wire.length === 0 ? 'no delta seen at the bare socket.io client' : `delta at a bare socket.io client ${fmt(percentile(wire, 50))} / ${fmt(percentile(wire, 95))} ms (${wire.length} of ${screen.length} seen)`} | — |`,
    );
    if (missed) console.log(`\n${missed} of ${UPDATES} live updates did not repaint the map within 20 s.`);
    console.log('\nLive deltas of a topic are at most one a second, so a change waits up to 1 s for its delta by design.');
  } finally {
    await server.kill();
    await db.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
