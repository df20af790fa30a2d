import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { addDays, localDateOf } from '@ioc/shared';
import { registerIngestKey } from '../src/auth/provision.js';
import { REPO_ROOT, SERVER_ROOT } from '../src/config/config.js';
import { type TestApp, createTestDatabase, startTestApp, waitUntilProjected } from './harness.js';

/**
 * ioc-relay end to end: the built relay as a child process, the real server behind a
 * fault-injecting HTTP proxy (dropped connections before and after the server
 * answered, a stall past the relay's timeout, 503 with Retry-After, a server restart),
 * the relay killed with SIGKILL while the server's answer to a batch is held back,
 * then restarted on the same spool. Every event must be stored exactly once.
 */
const RELAY = join(SERVER_ROOT, 'dist', 'server', 'src', 'cli', 'relay.js');
const KEY = 'relay-test-key-commune-00004';
const COMMUNE = '00004';

type Fault = 'drop-request' | 'drop-response' | 'stall' | '503' | 'hold';

/** An HTTP proxy in front of the server that fails batch requests (events, imports) as told, in order. */
class FaultProxy {
  readonly server: http.Server;
  faults: Fault[] = [];
  /** The server is restarting: every connection is cut. */
  down = false;
  batchRequests = 0;
  held = 0;
  private readonly hanging: Socket[] = [];

  constructor(public target: string) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const batch = req.url!.startsWith('/api/v1/events') || req.url!.startsWith('/api/v1/imports');
    const fault = batch ? (this.faults.shift() ?? null) : null;
    if (batch) this.batchRequests++;
    if (this.down || fault === 'drop-request') return void req.socket.destroy();
    if (fault === 'stall') return void this.hanging.push(req.socket);
    if (fault === '503') {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      return void res.end('{"statusCode":503,"message":"busy"}');
    }
    const up = await this.forward(req, body).catch(() => null);
    if (!up) return void req.socket.destroy();
    if (fault === 'drop-response') return void req.socket.destroy();
    if (fault === 'hold') {
      // The server has stored the batch; the relay never hears it.
      this.held++;
      return void this.hanging.push(req.socket);
    }
    res.writeHead(up.status, up.headers);
    res.end(up.body);
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: new URL(this.target).host, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      const up = http.request(`${this.target}${req.url}`, { method: req.method, headers }, (r) => {
        const out: Buffer[] = [];
        r.on('data', (c: Buffer) => out.push(c));
        r.on('end', () => {
          // The body is passed on whole (possibly compressed): its length, not its transfer encoding.
          const { 'transfer-encoding': _te, connection: _c, 'keep-alive': _k, ...headers } = r.headers;
          resolve({ status: r.statusCode!, headers: { ...headers, 'content-length': String(Buffer.concat(out).length) }, body: Buffer.concat(out) });
        });
        r.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });
  }

  async close(): Promise<void> {
    for (const s of this.hanging) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

async function until<T>(what: string, check: () => Promise<T | null | false> | T | null | false, timeoutMs = 30_000, detail: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fresh temporary folder: the OS's, or under the repository when /tmp is not writable. */
async function tempRoot(): Promise<string> {
  try {
    return await mkdtemp(join(tmpdir(), 'ioc-relay-'));
  } catch {
    await mkdir(join(REPO_ROOT, '.data'), { recursive: true });
    return mkdtemp(join(REPO_ROOT, '.data', 'relay-test-'));
  }
}

interface RelayProc {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function startRelay(args: string[]): RelayProc {
  const { NODE_OPTIONS: _, ...env } = process.env;
  const proc = spawn(process.execPath, [RELAY, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return { proc, output: () => out, exited };
}

const iso = (ms: number) => new Date(ms).toISOString();

function event(i: number, now: number): Record<string, unknown> {
  return {
    eventId: `relay-${i}`,
    type: 'received',
    occurredAt: iso(now - 3_600_000 - i * 1000),
    dossierId: `RELAY-${i}`,
    communeCode: COMMUNE,
    procedureCode: '1.001193',
    sector: 'Hộ tịch',
    channel: i % 2 ? 'online' : 'direct',
    fullOnlineEligible: true,
    resultRequired: false,
    feeRequired: false,
    dueAt: iso(now + 5 * 86_400_000),
  };
}

let db: { url: string; drop: () => Promise<void> };
let t: TestApp;
let root: string;

beforeAll(async () => {
  if (!existsSync(RELAY)) throw new Error(`${RELAY} is missing: build the server first (npm run build -w server)`);
  db = await createTestDatabase();
  t = await startTestApp({}, db.url);
  await registerIngestKey(t.db, KEY, `commune:${COMMUNE}`, 'Một cửa Ba Đình (relay)');
  root = await tempRoot();
});
afterAll(async () => {
  await t?.close();
  await db?.drop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('POST /api/v1/events with Content-Encoding: gzip', () => {
  it('is inflated and ingested; broken gzip is a 400, not a 500', async () => {
    const body = gzipSync(JSON.stringify({ events: [event(900_000, Date.now())] }));
    // Over real HTTP with fetch, as the relay sends it (supertest would re-encode a Buffer sent as JSON).
    const post = (b: Buffer) => fetch(`${t.base}/api/v1/events`, { method: 'POST', headers: { 'X-Api-Key': KEY, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: b });
    const res = await post(body);
    const answer = (await res.json()) as { accepted: number; rejected: number };
    expect([res.status, answer]).toEqual([200, expect.objectContaining({ accepted: 1, rejected: 0 })]);
    const broken = await post(Buffer.concat([body.subarray(0, 20), Buffer.from('not gzip at all')]));
    expect(broken.status).toBe(400);
  });
});

describe('ioc-relay', () => {
  it('delivers every event exactly once through faults, a server restart and kill -9, and a duplicate spool changes nothing', async () => {
    const now = Date.now();
    const watch = join(root, 'watch');
    const spool = join(root, 'spool');
    await mkdir(watch, { recursive: true });
    const proxy = new FaultProxy(t.base);
    const proxyUrl = await proxy.listen();
    // The first batch requests: cut before the server, a stall past the timeout, 503, and cut after the server stored the batch.
    proxy.faults = ['drop-request', 'stall', '503', 'drop-response'];

    // Three exports of 2,000 events; the first also holds broken lines the server (or the relay) must refuse.
    const FILES = 3;
    const PER_FILE = 2000;
    const bad = [
      { ...event(800_001, now), communeCode: '99999' },
      { ...event(800_002, now), occurredAt: 'yesterday' },
    ];
    const fileText: string[] = [];
    for (let f = 0; f < FILES; f++) {
      const lines = Array.from({ length: PER_FILE }, (_, k) => JSON.stringify(event(f * PER_FILE + k, now)));
      if (f === 0) lines.splice(10, 0, ...bad.map((e) => JSON.stringify(e)), '{not json');
      fileText.push(`${lines.join('\n')}\n`);
    }
    // Exporters write under a temporary name and rename: the relay never reads half a file.
    const drop = async (name: string, text: string | Buffer) => {
      await writeFile(join(watch, `${name}.part`), text);
      await rename(join(watch, `${name}.part`), join(watch, name));
    };
    for (let f = 0; f < FILES; f++) await drop(`events-${f}.ndjson`, fileText[f]!);
    const recordDay = iso(now - 2 * 86_400_000);
    const csv = [
      'dossierId,communeCode,procedureCode,sector,channel,fullOnlineEligible,resultRequired,feeRequired,receivedAt,dueAt',
      ...Array.from({ length: 50 }, (_, k) => `RELAY-REC-${k},${COMMUNE},1.001193,Hộ tịch,online,true,false,false,${recordDay},${iso(now + 86_400_000)}`),
      `RELAY-REC-BAD,${COMMUNE},1.001193,Hộ tịch,by-pigeon,true,false,false,${recordDay},${iso(now + 86_400_000)}`,
    ].join('\n');
    await drop('history.csv.gz', gzipSync(csv));
    const expected = FILES * PER_FILE;

    const args = [
      ...['--server', proxyUrl, '--key', KEY, '--watch', watch, '--spool', spool, '--batch-size', '500'],
      ...['--heartbeat-ms', '1000', '--timeout-ms', '1500', '--retry-base-ms', '100', '--retry-max-seconds', '1', '--poll-ms', '100', '--settle-ms', '100'],
    ];
    const stored = async () => {
      const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM ingest_event WHERE event_id LIKE 'relay-%' AND event_id <> 'relay-900000'`)) as [{ n: number }];
      return n;
    };
    let relay = startRelay(args);
    const logs: string[] = [];
    const detail = () => `${logs.join('\n--- restart ---\n')}${relay.output()}`;
    try {
      // Half the events in: restart the server (connections refused meanwhile) on the same database.
      await until('a third of the events', async () => (await stored()) >= expected / 3 || null, 40_000, detail);
      proxy.down = true;
      await t.app.close();
      t = await startTestApp({}, db.url);
      proxy.target = t.base;
      proxy.down = false;
      // Then hold back the server's answer to a batch it stored, and kill the relay while it waits.
      proxy.faults = ['hold'];
      await until('a held answer', () => proxy.held > 0 || null, 30_000, detail);
      relay.proc.kill('SIGKILL');
      await relay.exited;
      // Every fault was served.
      expect(proxy.faults).toEqual([]);
      const before = await stored();
      expect(before).toBeLessThan(expected);

      logs.push(relay.output());
      relay = startRelay(args);
      await until('every event stored', async () => (await stored()) === expected || null, 40_000, detail);
      await until('the spool drained', async () => ((await readdir(join(spool, 'queue'))).length === 0 && (await readdir(watch)).length === 0) || null, 20_000, detail);
      await until('the records', async () => {
        const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM ingest_event WHERE event_id LIKE 'record:RELAY-REC-%'`)) as [{ n: number }];
        return n === 50 || null;
      });

      // Exactly once: no event id twice in the log.
      const twice = (await t.db.query(`SELECT event_id, count(*)::int AS n FROM ingest_event WHERE event_id LIKE 'relay-%' GROUP BY event_id HAVING count(*) > 1`)) as unknown[];
      expect(twice).toEqual([]);
      // The batch in flight at the kill was sent again and answered as duplicates.
      expect(relay.output()).toMatch(/[1-9]\d* duplicates/);

      // Refused lines are in the rejected file with their reasons, once each, and were never retried.
      const rejected = (await readFile(join(spool, 'rejected.ndjson'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { eventId?: string; reason: string; source: string; line?: number; dossierId?: string });
      const byId = rejected.filter((r) => r.eventId).map((r) => r.eventId);
      expect(byId.sort()).toEqual(['relay-800001', 'relay-800002']);
      expect(rejected.find((r) => r.eventId === 'relay-800001')!.reason).toMatch(/99999/);
      expect(rejected.find((r) => /not a JSON object/.test(r.reason))).toMatchObject({ source: 'events-0.ndjson', line: 13 });
      expect(rejected.find((r) => r.dossierId === 'RELAY-REC-BAD')).toMatchObject({ source: 'history.csv.gz', line: 52 });
      expect(rejected).toHaveLength(4);

      // A duplicate spool: the same export again, and the same events under another name, change nothing.
      const heartbeatsBefore = (await t.db.query(`SELECT count(*)::int AS n FROM link_heartbeat WHERE commune_code = $1`, [COMMUNE])) as [{ n: number }];
      await drop('events-0.ndjson', fileText[0]!);
      await drop('events-0-again.ndjson', `${fileText[0]!}\n`);
      // Segments are queued before their file leaves the folder: both empty after the spooling means all acknowledged.
      await until(
        'the duplicates drained',
        async () => (relay.output().includes('events-0-again.ndjson: spooled') && (await readdir(watch)).length === 0 && (await readdir(join(spool, 'queue'))).length === 0) || null,
        20_000,
        detail,
      );
      expect(relay.output()).toMatch(/events-0\.ndjson: already in the spool/);
      expect(await stored()).toBe(expected);

      // Heartbeats arrived as data, with the backlog the relay measured.
      expect(heartbeatsBefore[0].n).toBeGreaterThan(0);
      const [hb] = (await t.db.query(`SELECT agent, interval_seconds FROM link_heartbeat WHERE commune_code = $1 ORDER BY received_at DESC LIMIT 1`, [COMMUNE])) as {
        agent: string;
        interval_seconds: number;
      }[];
      expect(hb).toEqual({ agent: 'ioc-relay/0.1.0', interval_seconds: 5 });

      // Nothing counted twice in the figures either.
      await waitUntilProjected(t.db);
      const today = localDateOf(Date.now());
      const kpis = await t.http.get('/api/v1/kpis').query({ scope: `commune:${COMMUNE}`, from: addDays(today, -3), to: today });
      expect(kpis.body.counts.received).toBe(expected + 50);
    } finally {
      relay.proc.kill('SIGTERM');
      await relay.exited;
      await proxy.close();
    }
  }, 90_000);
});
