import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DossierEvent, type LiveServerToClient, type LiveClientToServer, type SummaryData, liveOverSocket } from '@ioc/shared';
import { type Socket, io } from 'socket.io-client';
import WebSocket, { WebSocketServer } from 'ws';
import { SERVER_ROOT } from '../src/config/config.js';
import { benchDatabase, fmt, percentile } from './bench-support.js';
import { freePort, spawnServer } from './server-process.js';
import pg from 'pg';
import { insertAccount, registerIngestKey, signInOver } from '../src/auth/provision.js';

/**
 * npm run bench:live
 *
 * 1. Latency: 1,000 socket.io clients (the dashboard's own client code) hold the
 *    nation, a province and a probe commune while 2,000 events/s are ingested over
 *    HTTP. Every 500 ms one more dossier is posted to the probe commune; latency is
 *    from that POST's answer to the moment each client's state shows it.
 * 2. Capacity: clients are added in steps to one node while one topic changes every
 *    second; at each step the delivery lag (publisher's send time to arrival) is
 *    measured. The same clients against a bare `ws` server broadcasting the same
 *    payload every second are the baseline.
 *
 * Clients run in separate processes; everything shares this machine's cores.
 */
const HERE = fileURLToPath(import.meta.url);
const KEY = 'bench-live-key-0000';
const LATENCY_CLIENTS = Number(process.env.BENCH_LIVE_CLIENTS ?? 1000);
const LOAD_EVENTS_PER_SECOND = Number(process.env.BENCH_LIVE_RATE ?? 2000);
const LATENCY_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 30);
const STEPS = (process.env.BENCH_LIVE_STEPS ?? '1000,2000,3000,5000,7500,10000,12500,15000,17500').split(',').map(Number);
const CLIENT_WORKERS = 2;
const MEASURE_MS = 8000;

type Commune = { code: string; provinceCode: string };
const communes = (JSON.parse(readFileSync(join(SERVER_ROOT, 'data', 'vn-admin', 'communes.json'), 'utf8')) as Commune[]).map((c) => ({ code: c.code, provinceCode: c.provinceCode }));
const provinces = [...new Set(communes.map((c) => c.provinceCode))];
/** Communes whose topics are measured; the background load leaves them alone. */
const LATENCY_PROBE = '00004';
const CAPACITY_PROBE = '00008';
const background = communes.filter((c) => c.code !== LATENCY_PROBE && c.code !== CAPACITY_PROBE);
const LOADERS = 4;
const BATCHES_PER_SECOND = 2;

let seq = 0;
function received(unit: string, now = Date.now()): DossierEvent {
  const id = `B${process.pid}-${now.toString(36)}-${++seq}`;
  return {
    eventId: `${id}-r`,
    dossierId: id,
    communeCode: unit,
    type: 'received',
    occurredAt: new Date(now - 1000).toISOString(),
    procedureCode: '1.001193',
    sector: 'Hộ tịch',
    channel: seq % 3 === 0 ? 'online' : 'direct',
    fullOnlineEligible: false,
    resultRequired: false,
    feeRequired: false,
    dueAt: new Date(now + 5 * 86_400_000).toISOString(),
  } as DossierEvent;
}
function completed(e: DossierEvent, now = Date.now()): DossierEvent {
  return {
    eventId: `${e.dossierId}-c`,
    dossierId: e.dossierId,
    communeCode: (e as { communeCode: string }).communeCode,
    type: 'completed',
    occurredAt: new Date(now - 500).toISOString(),
    outcome: 'resolved',
  } as DossierEvent;
}

async function post(url: string, events: DossierEvent[]): Promise<number> {
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify({ events }) });
  if (res.status !== 200) throw new Error(`POST /events answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { accepted: number; results: { status: string; reason?: string }[] };
  const bad = body.results.find((r) => r.status === 'rejected');
  if (bad) throw new Error(`an event was rejected: ${bad.reason}`);
  return body.accepted;
}

/** Background load: `rate` events/s from 4 sources, 2 batches a second each; new dossiers and completions of earlier ones. */
function startLoad(url: string, rate: number): { stop: () => Promise<{ sent: number; seconds: number }> } {
  const t0 = Date.now();
  let sent = 0;
  let running = true;
  const postTimes: number[] = [];
  const perBatch = Math.round(rate / BATCHES_PER_SECOND / LOADERS);
  const loop = async () => {
    const open: DossierEvent[] = [];
    let next = Date.now();
    while (running) {
      const batch: DossierEvent[] = [];
      for (let i = 0; i < perBatch; i++) {
        if (open.length > 200 && i % 5 < 2) batch.push(completed(open.splice(Math.floor(Math.random() * open.length), 1)[0]!));
        else {
          const e = received(background[Math.floor(Math.random() * background.length)]!.code);
          open.push(e);
          batch.push(e);
        }
      }
      const t = Date.now();
      const accepted = await post(url, batch);
      sent += accepted;
      postTimes.push(Date.now() - t);
      next += 1000 / BATCHES_PER_SECOND;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  const loops = Array.from({ length: LOADERS }, () => loop());
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      const st = stats(postTimes);
      console.log(`   background POSTs: ${postTimes.length} of ${perBatch} events, p50 ${fmt(st.p50)} ms, p99 ${fmt(st.p99)} ms`);
      return { sent, seconds: (Date.now() - t0) / 1000 };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Worker processes
// ---------------------------------------------------------------------------------------------

type WorkerMsg =
  | { cmd: 'sio-clients'; url: string; token: string; n: number; probe: string; provinces: string[] }
  | { cmd: 'report' }
  | { cmd: 'connect'; url: string; token: string; mode: 'sio' | 'ws'; n: number; topic: string }
  | { cmd: 'measure'; ms: number }
  | { cmd: 'close' };

/** Real socket.io clients with the shared subscription logic; records when each first sees each probe count. */
async function sioClientsWorker(m: Extract<WorkerMsg, { cmd: 'sio-clients' }>): Promise<void> {
  const arrivals = new Map<number, number[]>();
  const sockets: Socket<LiveServerToClient, LiveClientToServer>[] = [];
  const probeKey = `summary|commune:${m.probe}|today`;
  for (let i = 0; i < m.n; i++) {
    const socket: Socket<LiveServerToClient, LiveClientToServer> = io(`${m.url}/live`, { transports: ['websocket'], forceNew: true, auth: { token: m.token } });
    let seen = -1;
    const subs = liveOverSocket(socket, {
      onChange: (st) => {
        if (st.topic !== probeKey || !st.data) return;
        const n = (st.data as SummaryData).counts.received;
        const now = Date.now();
        for (let k = seen + 1; k <= n; k++) {
          if (seen >= 0) (arrivals.get(k) ?? arrivals.set(k, []).get(k)!).push(now);
        }
        seen = Math.max(seen, n);
      },
    });
    sockets.push(socket);
    await Promise.all([subs.add({ scope: 'nation' }), subs.add({ scope: `province:${m.provinces[i % m.provinces.length]}` }), subs.add({ scope: `commune:${m.probe}` })]);
    setInterval(() => subs.tick(), 2000).unref();
  }
  process.send!({ ready: sockets.length });
  process.on('message', (msg: WorkerMsg) => {
    if (msg.cmd === 'report') process.send!({ arrivals: [...arrivals.entries()] });
    if (msg.cmd === 'close') {
      for (const s of sockets) s.close();
      process.exit(0);
    }
  });
}

/**
 * Light clients for the capacity steps: a WebSocket each, speaking socket.io's wire protocol
 * by hand (or plain JSON for the baseline), so both servers face identical clients.
 */
function rawClientsWorker(): void {
  const conns: WebSocket[] = [];
  let lags: number[] = [];
  let measuring = false;
  /** Per update (seq): how many clients got it, and when it was sent. */
  let perSeq = new Map<number, { count: number; sentAt: number }>();
  let sample: string | null = null;
  const onPayload = (payload: { sentAt?: number; seq?: number }, raw: string) => {
    if (!measuring || typeof payload.sentAt !== 'number') return;
    const u = perSeq.get(payload.seq ?? -1);
    if (u) u.count++;
    else perSeq.set(payload.seq ?? -1, { count: 1, sentAt: payload.sentAt });
    lags.push(Date.now() - payload.sentAt);
    sample ??= raw;
  };
  const open = (url: string, mode: 'sio' | 'ws', topic: string, token: string) =>
    new Promise<boolean>((resolve) => {
      const ws = new WebSocket(mode === 'sio' ? `${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket` : url);
      const t = setTimeout(() => (ws.terminate(), resolve(false)), 20_000);
      ws.on('error', () => (clearTimeout(t), resolve(false)));
      ws.on('message', (data) => {
        const s = (data as Buffer).toString();
        if (mode === 'ws') {
          if (s === 'hello') return (clearTimeout(t), resolve(true));
          return onPayload(JSON.parse(s) as { sentAt?: number }, s);
        }
        if (s === '2') return ws.send('3');
        if (s.startsWith('0{')) return ws.send(`40/live,${JSON.stringify({ token })}`);
        if (s.startsWith('40/live,')) return ws.send(`42/live,1${JSON.stringify(['subscribe', { topics: [{ scope: topic.split('|')[1] }] }])}`);
        if (s.startsWith('43/live,1')) return (clearTimeout(t), resolve(true));
        if (s.startsWith('42/live,["delta",')) {
          const [, payload] = JSON.parse(s.slice(8)) as [string, { sentAt: number }];
          onPayload(payload, JSON.stringify(payload));
        }
      });
      conns.push(ws);
    });
  // A failure here ends the worker (an unhandled rejection is fatal), which the bench reports.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  process.on('message', async (m: WorkerMsg) => {
    if (m.cmd === 'connect') {
      let failed = 0;
      while (conns.length - failed < m.n) {
        const burst = Math.min(200, m.n - (conns.length - failed));
        const ok = await Promise.all(Array.from({ length: burst }, () => open(m.url, m.mode, m.topic, m.token)));
        failed += ok.filter((x) => !x).length;
        if (failed > m.n * 0.05) break;
      }
      process.send!({ held: conns.filter((c) => c.readyState === WebSocket.OPEN).length, failed });
    } else if (m.cmd === 'measure') {
      lags = [];
      perSeq = new Map();
      measuring = true;
      await new Promise((r) => setTimeout(r, m.ms));
      measuring = false;
      process.send!({ lags, perSeq: [...perSeq.entries()], sample });
    } else if (m.cmd === 'close') {
      for (const c of conns) c.terminate();
      process.exit(0);
    }
  });
  process.send!({ up: true });
}

/** The baseline: a bare `ws` server broadcasting one payload to every client once a second. */
function wsServerWorker(port: number, payload: string): void {
  const wss = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: false });
  wss.on('connection', (ws) => ws.send('hello'));
  const body = JSON.parse(payload) as Record<string, unknown>;
  let seq = 0;
  setInterval(() => {
    const msg = JSON.stringify({ ...body, seq: ++seq, sentAt: Date.now() });
    for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) c.send(msg);
  }, 1000);
  wss.on('listening', () => process.send!({ listening: true }));
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function worker(args: string[]): ChildProcess {
  const { NODE_OPTIONS: _, ...env } = process.env;
  return fork(HERE, args, { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] });
}
function next<T>(p: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`worker exited with ${code}`));
    p.once('exit', onExit);
    p.once('message', (m) => {
      p.off('exit', onExit);
      resolve(m as T);
    });
  });
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
};

async function latency(url: string, token: string): Promise<void> {
  console.log(`\n1. End-to-end latency: ${fmt(LATENCY_CLIENTS)} socket.io clients, ${fmt(LOAD_EVENTS_PER_SECOND)} events/s for ${LATENCY_SECONDS} s`);
  const probe = LATENCY_PROBE;
  const perWorker = Math.ceil(LATENCY_CLIENTS / CLIENT_WORKERS);
  const workers = Array.from({ length: CLIENT_WORKERS }, () => worker(['--sio-clients']));
  const t0 = Date.now();
  const ready = workers.map((w) => next<{ ready: number }>(w).then((r) => r.ready));
  workers.forEach((w, i) => w.send({ cmd: 'sio-clients', url, token, n: Math.min(perWorker, LATENCY_CLIENTS - i * perWorker), probe, provinces } satisfies WorkerMsg));
  const held = (await Promise.all(ready)).reduce((a, b) => a + b, 0);
  console.log(`   ${fmt(held)} clients subscribed (nation + a province + the probe commune) in ${fmt((Date.now() - t0) / 1000, 1)} s`);

  const load = startLoad(url, LOAD_EVENTS_PER_SECOND);
  await new Promise((r) => setTimeout(r, 5000));
  const acks = new Map<number, number>();
  let count = 0;
  const started = Date.now();
  while (Date.now() - started < LATENCY_SECONDS * 1000) {
    await post(url, [received(probe)]);
    acks.set(++count, Date.now());
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const { sent, seconds } = await load.stop();
  const lat: number[] = [];
  let missing = 0;
  for (const w of workers) {
    const p = next<{ arrivals: [number, number[]][] }>(w);
    w.send({ cmd: 'report' } satisfies WorkerMsg);
    const arrivals = new Map((await p).arrivals);
    for (const [k, ack] of acks) {
      const got = arrivals.get(k) ?? [];
      missing += Math.max(0, perWorker - got.length);
      for (const t of got) lat.push(t - ack);
    }
    w.send({ cmd: 'close' } satisfies WorkerMsg);
  }
  const s = stats(lat);
  console.log(`   background ingest: ${fmt(sent / seconds)} events/s achieved over ${fmt(seconds)} s; ${count} probe dossiers`);
  console.log(`   POST acknowledged → change at the client: p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms over ${fmt(lat.length)} arrivals (${fmt(missing)} missing)`);
  console.log(`   target p99 ≤ 1,000 ms (with the projector in the path): ${s.p99 <= 1000 ? 'met' : 'NOT met'}`);
}

interface StepResult {
  clients: number;
  p50: number;
  p99: number;
  delivered: number;
  ok: boolean;
}

async function capacity(mode: 'sio' | 'ws', url: string, topic: string, token: string): Promise<{ steps: StepResult[]; sample: string | null }> {
  const workers = Array.from({ length: CLIENT_WORKERS }, () => worker(['--raw-clients']));
  await Promise.all(workers.map((w) => next(w)));
  const steps: StepResult[] = [];
  let sample: string | null = null;
  for (const n of STEPS) {
    const per = Math.ceil(n / CLIENT_WORKERS);
    const conn = await Promise.all(workers.map((w) => (w.send({ cmd: 'connect', url, token, mode, n: per, topic } satisfies WorkerMsg), next<{ held: number; failed: number }>(w))));
    const held = conn.reduce((a, c) => a + c.held, 0);
    await new Promise((r) => setTimeout(r, 3000));
    const windowStart = Date.now();
    const res = await Promise.all(
      workers.map((w) => (w.send({ cmd: 'measure', ms: MEASURE_MS } satisfies WorkerMsg), next<{ lags: number[]; perSeq: [number, { count: number; sentAt: number }][]; sample: string | null }>(w))),
    );
    sample ??= res.find((r) => r.sample)?.sample ?? null;
    const lags = res.flatMap((r) => r.lags);
    const s = stats(lags);
    // Every client should get every update sent well inside the window (edges would count updates only some clients saw in time).
    const inside = new Map<number, number>();
    for (const r of res) {
      for (const [seq, u] of r.perSeq) {
        if (u.sentAt >= windowStart + 500 && u.sentAt <= windowStart + MEASURE_MS - 1500) inside.set(seq, (inside.get(seq) ?? 0) + u.count);
      }
    }
    const updates = new Set(res.flatMap((r) => r.perSeq.map(([seq]) => seq))).size;
    const delivered = [...inside.values()].reduce((a, b) => a + b, 0) / (held * Math.max(1, inside.size));
    const ok = held >= n * 0.99 && s.p99 <= 1000 && delivered >= 0.95;
    steps.push({ clients: held, p50: s.p50, p99: s.p99, delivered, ok });
    console.log(
      `   ${mode === 'sio' ? 'socket.io' : 'bare ws '} ${fmt(held).padStart(7)} clients: ${updates} updates in ${MEASURE_MS / 1000} s, lag p50 ${fmt(s.p50).padStart(5)} ms, p99 ${fmt(s.p99).padStart(5)} ms, ${fmt(delivered * 100, 1)}% delivered${ok ? '' : '  ✗'}`,
    );
    if (!ok) break;
  }
  for (const w of workers) w.send({ cmd: 'close' } satisfies WorkerMsg);
  return { steps, sample };
}

async function main(): Promise<void> {
  const db = await benchDatabase('ioc_bench_live', true);
  const server = await spawnServer(db.url, { DB_POOL_SIZE: '10', INGEST_RATE_LIMIT_PER_MINUTE: '0', ACCESS_TOKEN_SECONDS: '86400' });
  // A national source for the load, and one account whose token every client connects with.
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await registerIngestKey(admin, KEY, 'nation', 'Benchmark');
  await insertAccount(admin, { username: 'bench', password: 'bench-password-0', role: 'admin', scope: 'nation', displayName: 'Benchmark' });
  await admin.end();
  const token = await signInOver(server.url, 'bench', 'bench-password-0');
  console.log(`server ${server.url} (one process, PostgreSQL adapter), clients in ${CLIENT_WORKERS} worker processes`);
  try {
    await latency(server.url, token);

    console.log(`\n2. Clients one node holds with a topic updated every second (p99 lag ≤ 1 s, ≥ 95% delivered)`);
    const probe = CAPACITY_PROBE;
    const topic = `summary|commune:${probe}|today`;
    // Keep the topic changing: a dossier every 250 ms.
    let feeding = true;
    const feeder = (async () => {
      while (feeding) {
        await post(server.url, [received(probe)]);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const sio = await capacity('sio', server.url, topic, token);
    feeding = false;
    await feeder;
    await server.kill();

    const port = await freePort();
    const payload = sio.sample ?? JSON.stringify({ topic, sentAt: 0 });
    console.log(`   baseline payload: ${fmt(payload.length)} bytes (a delta captured above)`);
    const wsServer = worker(['--ws-server', String(port)]);
    wsServer.send(payload);
    await next(wsServer);
    const ws = await capacity('ws', `ws://127.0.0.1:${port}`, topic, token);
    wsServer.kill();

    const best = (r: StepResult[]) => r.filter((s) => s.ok).at(-1)?.clients ?? 0;
    const capped = (r: StepResult[]) => (r.length === STEPS.length && r.every((s) => s.ok) ? ' (the largest step tried)' : '');
    console.log(
      `\n   socket.io node: ${fmt(best(sio.steps))} clients${capped(sio.steps)}; bare ws baseline: ${fmt(best(ws.steps))}${capped(ws.steps)}; ratio ${fmt(best(sio.steps) / Math.max(1, best(ws.steps)), 2)}`,
    );
    console.log(`   target ≥ 5,000 clients: ${best(sio.steps) >= 5000 ? 'met' : 'NOT met'}`);
  } finally {
    await server.kill();
    await db.stop();
  }
}

const role = process.argv[2];
if (role === '--sio-clients') process.once('message', (m: WorkerMsg) => void sioClientsWorker(m as Extract<WorkerMsg, { cmd: 'sio-clients' }>));
else if (role === '--raw-clients') rawClientsWorker();
else if (role === '--ws-server') process.once('message', (payload: string) => wsServerWorker(Number(process.argv[3]), payload));
else
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
