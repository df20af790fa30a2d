import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConnectivityResponse, ConnectivityTimeline, DossierEvent } from '@ioc/shared';
import { type ServerProcess, spawnServer } from '../bench/server-process.js';
import { REPO_ROOT } from '../src/config/config.js';
import { DemoFeedService } from '../src/demo/demo-feed.service.js';
import { DemoLinks } from '../src/demo/demo-links.js';
import { DemoRelays } from '../src/demo/demo-relays.js';
import { DEMO_RELAY_COMMUNES } from '../src/demo/relay-exports.js';
import { RELAY_AGENT } from '../src/relay/options.js';
import { type TestApp, createTestDatabase, startTestApp } from './harness.js';

/**
 * The demo's real relays on a real database: the demo starts an ioc-relay for each of a few
 * remote communes, whose heartbeats (not simulated ones) are those communes' link state; the
 * demo feed's events for them go through the relay's folder, spool and weak link, and arrive
 * after an outage, each exactly once, also when the server's answers are lost and across a
 * restart; stopping the application stops the relays.
 */
const dir = join(REPO_ROOT, '.data', `pg-demo-relay-${process.pid}`);
const ENV = { DEMO_FEED: 'on', DEMO_BACKFILL_DAYS: '0', EMBEDDED_PG_DIR: dir };
let database: { url: string; drop: () => Promise<void> };
let t: TestApp | null = null;
let spawned: { server: ServerProcess | null; database: { url: string; drop: () => Promise<void> }; dir: string } | null = null;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
  if (spawned) {
    await spawned.server?.kill('SIGKILL');
    await spawned.database.drop();
    await rm(spawned.dir, { recursive: true, force: true });
  }
});

/** Polls `fn` until it answers something other than null or false (fails after `timeoutMs`). */
async function until<T>(what: string, fn: () => Promise<T | null | false> | T | null | false, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const count = async (app: TestApp, sql: string, args: unknown[] = []) => ((await app.db.query(sql, args)) as { n: number }[])[0]!.n;

function iso(ms: number): string {
  return `${new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}

/** `n` dossiers received by `commune` an hour ago, as its one-stop system records them. */
function received(prefix: string, commune: string, n: number): DossierEvent[] {
  const now = Date.now();
  return Array.from(
    { length: n },
    (_, i) =>
      ({
        eventId: `${prefix}-e${i}`,
        type: 'received',
        occurredAt: iso(now - 3_600_000 + i * 1000),
        dossierId: `${prefix}-${i}`,
        communeCode: commune,
        procedureCode: '1.001193',
        sector: 'Hộ tịch',
        channel: i % 2 ? 'online' : 'direct',
        fullOnlineEligible: true,
        resultRequired: false,
        feeRequired: false,
        dueAt: iso(now + 5 * 86_400_000),
      }) as DossierEvent,
  );
}

/** Events of dossiers with the prefix in the log, and how many of them came with the commune relay's key. */
async function arrived(app: TestApp, prefix: string, commune: string): Promise<{ events: number; viaRelay: number }> {
  const [r] = (await app.db.query(
    `SELECT count(*)::int AS events, count(*) FILTER (WHERE k.scope = $2)::int AS via
       FROM ingest_event e LEFT JOIN ingest_key k ON k.id = e.key_id WHERE e.dossier_id LIKE $1`,
    [`${prefix}-%`, `commune:${commune}`],
  )) as { events: number; via: number }[];
  return { events: r!.events, viaRelay: r!.via };
}

function relaysOf(app: TestApp): DemoRelays {
  return app.app.get(DemoRelays);
}

/** Starts the demo and clears every relay commune's link (their scheduled outages would make the waits long). */
async function startDemo(): Promise<TestApp> {
  const app = await startTestApp(ENV, database.url);
  const relays = relaysOf(app);
  await relays.started();
  for (const c of relays.communes()) relays.link()!.hold(c, 'up');
  return app;
}

describe('the demo runs real relays for a few remote communes', () => {
  it('takes their link state from the relays, delivers what waited out an outage exactly once, and stops the relays with the server', async () => {
    // Folders left by databases that are gone: removed at the start, unless something waits in them.
    const gone = join(dir, 'demo-relay', 'ioc_test_gone');
    const goneWaiting = join(dir, 'demo-relay', 'ioc_test_gone_waiting');
    await mkdir(join(gone, '01726', 'spool', 'queue'), { recursive: true });
    await writeFile(join(gone, '01726', 'spool', 'journal.ndjson'), '');
    await mkdir(join(goneWaiting, '01726', 'spool', 'queue'), { recursive: true });
    await writeFile(join(goneWaiting, '01726', 'spool', 'queue', '000000000000001-00000000000000a0p00000-1.events.json.gz'), '');
    t = await startDemo();
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(goneWaiting)).toBe(true);
    const relays = relaysOf(t);
    const communes = relays.communes();
    expect(communes).toEqual([...DEMO_RELAY_COMMUNES]);
    await until('every relay running', () => relays.runningRelays().length === communes.length);
    // No second source: the simulated heartbeats leave these communes out.
    const simulated = t.app
      .get(DemoLinks)
      .relayCommunes(t.app.get(DemoFeedService).simulator())
      .map((c) => c.code);
    expect(simulated.length).toBeGreaterThan(100);
    expect(simulated.filter((c) => communes.includes(c))).toEqual([]);

    // Every relay's heartbeat arrives, with its own commune-scoped key, and sets the commune's link state.
    await until('a heartbeat from every relay', async () => {
      const n = await count(
        t!,
        `SELECT count(DISTINCT h.commune_code)::int AS n FROM link_heartbeat h JOIN ingest_key k ON k.id = h.key_id
          WHERE h.agent = $1 AND k.scope = 'commune:' || h.commune_code AND h.commune_code = ANY($2)`,
        [RELAY_AGENT, communes],
      );
      return n === communes.length;
    });
    const cb = (await t.http.get('/api/v1/connectivity').query({ scope: 'province:04' }).expect(200)).body as ConnectivityResponse;
    const cbRelays = cb.communes.filter((c) => communes.includes(c.communeCode));
    expect(cbRelays.map((c) => c.communeCode).sort()).toEqual(communes.filter((c) => c.startsWith('01')).sort());
    for (const c of cbRelays) {
      expect(c.lastHeartbeat?.agent).toBe(RELAY_AGENT);
      expect(c.lastHeartbeat?.intervalSeconds).toBe(60);
    }
    const timeline = (await t.http.get(`/api/v1/connectivity/${communes[0]}/timeline`).expect(200)).body as ConnectivityTimeline;
    expect(timeline.heartbeats).toBeGreaterThan(0);

    // An outage: what the demo feed exports meanwhile waits in the relay's spool, and nothing reaches the server.
    const c = communes[0]!;
    const link = relays.link()!;
    const feed = t.app.get(DemoFeedService);
    link.hold(c, 'reset');
    const p1 = `DRT-${randomBytes(4).toString('hex')}`;
    const first = received(p1, c, 40);
    const elsewhere = received(`${p1}-other`, '00004', 1);
    const retriesBefore = relays.status(c)!.stats.retries;
    // Five events exported twice (a one-stop system sends some events again).
    const rest = await feed.exportRelayed([...first, ...first.slice(0, 5), ...elsewhere]);
    expect(rest).toEqual(elsewhere);
    await until('the exported events waiting in the spool, their sending failing', () => {
      const s = relays.status(c);
      return s !== null && s.backlog.items >= 45 && s.stats.retries > retriesBefore;
    });
    expect(await arrived(t, p1, c)).toEqual({ events: 0, viaRelay: 0 });

    // The link is back: everything arrives through the relay, each dossier once.
    link.hold(c, 'up');
    await until('the backlog delivered', async () => relays.status(c)?.backlog.items === 0 && (await arrived(t!, p1, c)).events === 40);
    expect(await arrived(t, p1, c)).toEqual({ events: 40, viaRelay: 40 });
    expect(relays.status(c)!.stats.duplicates).toBeGreaterThanOrEqual(5);
    await t.projected();
    expect(await count(t, `SELECT count(*)::int AS n FROM dossier WHERE dossier_id LIKE $1`, [`${p1}-%`])).toBe(40);

    // The link fails after the server took a batch: the answer is lost, the relay sends it again, the server answers duplicates.
    link.hold(c, 'lose-answers');
    const p2 = `DRT-${randomBytes(4).toString('hex')}`;
    const dupsBefore = relays.status(c)!.stats.duplicates;
    const retries2 = relays.status(c)!.stats.retries;
    await feed.exportRelayed(received(p2, c, 30));
    await until('the batch stored while its answers are lost', async () => {
      const s = relays.status(c);
      return s !== null && s.backlog.items >= 30 && s.stats.retries > retries2 && (await arrived(t!, p2, c)).events === 30;
    });
    link.hold(c, 'up');
    await until('the batch acknowledged', () => relays.status(c)?.backlog.items === 0);
    expect(relays.status(c)!.stats.duplicates - dupsBefore).toBeGreaterThanOrEqual(30);
    expect(await arrived(t, p2, c)).toEqual({ events: 30, viaRelay: 30 });
    await t.projected();
    expect(await count(t, `SELECT count(*)::int AS n FROM dossier WHERE dossier_id LIKE $1`, [`${p2}-%`])).toBe(30);

    // Stopping the server stops the relays: locks released, links closed; the spool keeps what waits.
    link.hold(c, 'reset');
    const p3 = `DRT-${randomBytes(4).toString('hex')}`;
    await feed.exportRelayed(received(p3, c, 20));
    await until('the last export spooled', () => (relays.status(c)?.backlog.items ?? 0) >= 20);
    const linkUrl = link.url(c);
    const locks = communes.map((x) => join(relays.folders(x).spoolDir, 'relay.lock'));
    expect(locks.every((l) => existsSync(l))).toBe(true);
    const app = t;
    t = null;
    await app.close();
    expect(relays.runningRelays()).toEqual([]);
    expect(locks.filter((l) => existsSync(l))).toEqual([]);
    await expect(fetch(`${linkUrl}/api/v1/health`)).rejects.toThrow();

    // The next start forwards what the spool kept, once.
    t = await startDemo();
    await until('the spool of the last run delivered', async () => relaysOf(t!).status(c)?.backlog.items === 0 && (await arrived(t!, p3, c)).events === 20);
    expect(await arrived(t, p3, c)).toEqual({ events: 20, viaRelay: 20 });
    expect(await arrived(t, p1, c)).toEqual({ events: 40, viaRelay: 40 });
    expect(await count(t, `SELECT count(*)::int AS n FROM link_heartbeat WHERE agent = 'ioc-relay/demo' AND commune_code = ANY($1)`, [communes])).toBe(0);
  }, 1_200_000);

  it("stops its relays with `npm start`'s process on SIGTERM: exit code 0, no warning, the spools unlocked", async () => {
    spawned = { server: null, database: await createTestDatabase(), dir: join(REPO_ROOT, '.data', `pg-demo-relay-proc-${process.pid}`) };
    const server = await spawnServer(spawned.database.url, { ...ENV, EMBEDDED_PG_DIR: spawned.dir, LOG_LEVEL: 'info', NODE_ENV: 'development' });
    spawned.server = server;
    const name = new URL(spawned.database.url).pathname.slice(1);
    const locks = DEMO_RELAY_COMMUNES.map((c) => join(spawned!.dir, 'demo-relay', name, c, 'spool', 'relay.lock'));
    await until('every relay running', () => locks.every((l) => existsSync(l)));
    // A relay's first heartbeat went through its weak link, or failed on it.
    await until('a relay heard from', () => server.output().includes('"context":"DemoRelays","msg":"relay '));
    const exited = new Promise<number | null>((resolve) => server.proc.once('exit', (code) => resolve(code)));
    server.proc.kill('SIGTERM');
    const code = await exited;
    const output = server.output();
    const after = output.slice(output.indexOf('SIGTERM: shutting down'));
    expect(output).toContain('SIGTERM: shutting down');
    const warnings = after
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.level >= 40);
    expect(warnings).toEqual([]);
    expect(code).toBe(0);
    expect(locks.filter((l) => existsSync(l))).toEqual([]);
  }, 300_000);
});
