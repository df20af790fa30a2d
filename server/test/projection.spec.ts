import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DAY_MS, type DossierEvent, type HealthResponse, type IngestResponse, type KpiResponse, mulberry32 } from '@ioc/shared';
import pg from 'pg';
import { type DossierSpec, eventsOf } from '../../shared/src/kpi/test-dossiers.js';
import { type ServerProcess, spawnServer } from '../bench/server-process.js';
import { beginHistoryLoad, finishHistoryLoad, reportHistoryLoad } from '../src/projection/history-loads.js';
import { ProjectionService } from '../src/projection/projection.service.js';
import { dropExpiredLogPartitions, ensureLogPartitions, logPartitions } from '../src/projection/log-partitions.js';
import { rebuildProjection } from '../src/projection/rebuild.js';
import { loadConfig } from '../src/config/config.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/**
 * Log-first ingest: a request is answered once its events are in the log, and
 * the projector folds them into the figures afterwards, exactly once, in one
 * process at a time, surviving kill -9.
 */
const UNITS = ['00004', '00008', '00025', '25270', '25357'];
const local = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);

/** `n` random dossiers with every kind of event, over the 40 days before today. */
function randomEvents(n: number, seed: number, prefix: string): DossierEvent[] {
  const rnd = mulberry32(seed);
  const t0 = Date.now() - 40 * DAY_MS;
  return Array.from({ length: n }, (_, i): DossierSpec => {
    const r = t0 + Math.floor(rnd() * 38 * DAY_MS);
    const due = r + Math.floor((0.2 + rnd() * 8) * DAY_MS);
    const done = rnd() < 0.8 ? Math.min(r + Math.floor(rnd() * 10 * DAY_MS), Date.now() - 60_000) : undefined;
    const resultRequired = rnd() < 0.6;
    return {
      id: `${prefix}${i}`,
      unit: UNITS[Math.floor(rnd() * UNITS.length)]!,
      received: local(r),
      due: local(due),
      channel: rnd() < 0.45 ? 'online' : 'direct',
      fullOnlineEligible: rnd() < 0.5,
      resultRequired,
      feeRequired: rnd() < 0.4,
      supplements: rnd() < 0.1 ? [local(r + 3_600_000)] : [],
      completed: done && done > r ? local(done) : undefined,
      outcome: 'resolved',
      digitized: rnd() < 0.8 ? local(r + 60_000) : undefined,
      resultIssued: done && done > r && resultRequired ? { at: local(done), electronic: rnd() < 0.7 } : undefined,
    };
  }).flatMap(eventsOf);
}

async function post(base: string, events: DossierEvent[], query = ''): Promise<IngestResponse> {
  const res = await fetch(`${base}/api/v1/events${query}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY }, body: JSON.stringify({ events }) });
  if (res.status !== 200) throw new Error(`POST /events answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as IngestResponse;
}
async function health(base: string): Promise<HealthResponse> {
  return (await (await fetch(`${base}/api/v1/health`)).json()) as HealthResponse;
}
async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`${what}: still ${JSON.stringify(v)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function state(db: { query: (s: string) => Promise<unknown> }): Promise<{ watermark: number; projected: number; head: number; logged: number }> {
  const [r] = (await db.query(
    `SELECT s.watermark, s.events_projected AS projected, (SELECT coalesce(max(seq), 0) FROM ingest_event) AS head, (SELECT count(*) FROM ingest_event) AS logged
     FROM projection_state s WHERE name = 'dossiers'`,
  )) as [Record<string, string>];
  return { watermark: Number(r.watermark), projected: Number(r.projected), head: Number(r.head), logged: Number(r.logged) };
}
/** Everything the projection derives, as sorted JSON lines per table. */
async function derived(db: { query: (s: string) => Promise<unknown> }): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of ['dossier', 'kpi_hourly', 'kpi_daily', 'kpi_monthly', 'kpi_deferred', 'kpi_fee_procedure', 'kpi_fee_summary', 'kpi_fee_month', 'unit_activity']) {
    const rows = (await db.query(`SELECT * FROM ${table}`)) as Record<string, unknown>[];
    // Rollup rows whose counters all went back to zero carry nothing.
    out[table] = rows
      .filter((r) => table === 'dossier' || table === 'unit_activity' || Object.entries(r).some(([k, v]) => typeof v === 'number' && v !== 0 && k !== 'grain'))
      .map((r) => JSON.stringify(r))
      .sort();
  }
  return out;
}

describe('log-first ingest', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers once the events are in the log; the figures follow and say how far they count', async () => {
    const projection = t.app.get(ProjectionService);
    await projection.stop();
    const events = randomEvents(5, 7, 'LF');
    const res = await post(t.base, events);
    expect(res.accepted).toBe(events.length);
    expect(res.position).toEqual(expect.any(Number));

    // Not folded yet: the figures do not have them, and say so.
    const before = (await t.http.get('/api/v1/kpis').query({ scope: 'nation' })).body as KpiResponse;
    expect(before.counts.received).toBe(0);
    expect(before.projection.watermark).toBeLessThan(res.position!);
    expect(before.projection.pendingEvents).toBeGreaterThanOrEqual(events.length);
    const waiting = await health(t.base);
    expect(waiting.projection).toMatchObject({ projector: false, pendingEvents: expect.any(Number) });
    expect(waiting.projection.pendingEvents).toBeGreaterThanOrEqual(events.length);

    projection.start();
    await t.projected();
    const after = (await t.http.get('/api/v1/kpis').query({ scope: 'nation' })).body as KpiResponse;
    expect(after.projection.watermark).toBeGreaterThanOrEqual(res.position!);
    expect(after.projection.pendingEvents).toBe(0);
    expect(after.projection.lagSeconds).toBe(0);
    expect(after.counts.received).toBe(0); // received 40 days ago at most: not today
    const month = (await t.http.get('/api/v1/kpis').query({ scope: 'nation', from: local(Date.now() - 45 * DAY_MS).slice(0, 10) })).body as KpiResponse;
    expect(month.counts.received).toBe(5);
    expect((await health(t.base)).projection.projector).toBe(true);
  });

  it('with ?wait=projected answers once the figures include the events; another wait is refused', async () => {
    const events = randomEvents(3, 8, 'WP');
    const res = await post(t.base, events, '?wait=projected');
    expect(res.projected).toBe(true);
    const k = (await t.http.get('/api/v1/kpis').query({ scope: 'nation' })).body as KpiResponse;
    expect(k.projection.watermark).toBeGreaterThanOrEqual(res.position!);
    const bad = await fetch(`${t.base}/api/v1/events?wait=forever`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY }, body: JSON.stringify({ events }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/wait may only be "projected"/);
    // Replays are duplicates: nothing appended, no position.
    const again = await post(t.base, events, '?wait=projected');
    expect(again).toMatchObject({ accepted: 0, duplicates: events.length, position: null, projected: true });
  });

  it('the watermark in KPI answers never goes back while sources send concurrently', async () => {
    const batches = Array.from({ length: 12 }, (_, i) => randomEvents(40, 100 + i, `WM${i}-`));
    const seen: number[] = [];
    let sending = true;
    const reader = (async () => {
      while (sending) {
        const k = (await t.http.get('/api/v1/kpis').query({ scope: 'province:01', from: local(Date.now() - 45 * DAY_MS).slice(0, 10) })).body as KpiResponse;
        seen.push(k.projection.watermark);
      }
    })();
    await Promise.all(batches.map((b) => post(t.base, b)));
    await t.projected();
    sending = false;
    await reader;
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    const s = await state(t.db);
    expect(s.watermark).toBe(s.head);
    expect(s.projected).toBe(s.logged);
  });

  it('marks the periods whose history is still loading, until the projector has folded it', async () => {
    const today = local(Date.now()).slice(0, 10);
    const longAgo = local(Date.now() - 200 * DAY_MS).slice(0, 10);
    const from = local(Date.now() - 30 * DAY_MS).slice(0, 10);
    const to = local(Date.now() - 10 * DAY_MS).slice(0, 10);
    const loadingOf = async (f: string, tt: string) => ((await t.http.get('/api/v1/kpis').query({ scope: 'nation', from: f, to: tt })).body as KpiResponse).loading;
    expect(await loadingOf(from, today)).toBeNull();
    await beginHistoryLoad(t.db, 'test-import', from, to);
    await reportHistoryLoad(t.db, 'test-import', 0.25);
    expect(await loadingOf(from, today)).toEqual({ from, to, progress: 0.25 });
    expect(await loadingOf(longAgo, longAgo)).toBeNull();
    const series = (await t.http.get('/api/v1/kpis/series').query({ scope: 'nation', from: to, to: today })).body as { loading: unknown };
    expect(series.loading).toEqual({ from, to, progress: 0.25 });
    // Loaded but not yet folded: still incomplete.
    const projection = t.app.get(ProjectionService);
    await projection.stop();
    try {
      await post(t.base, randomEvents(2, 11, 'HL'));
      await finishHistoryLoad(t.db, 'test-import');
      expect(await loadingOf(from, today)).toEqual({ from, to, progress: 1 });
    } finally {
      projection.start();
    }
    await t.projected();
    expect(await loadingOf(from, today)).toBeNull();
  });
});

describe('the partitioned raw log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps a partition per month ahead, and drops months past the retention only once folded, keeping their ids', async () => {
    const now = local(Date.now());
    const months = (await logPartitions(t.db)).map((p) => p.month);
    expect(months).toContain(now.slice(0, 7));
    expect(months.length).toBeGreaterThanOrEqual(3);
    expect(await ensureLogPartitions(t.db)).toEqual([]); // already there

    // An event whose ingest month is 14 months back (moved there, as if ingested then).
    const old = local(Date.now() - 425 * DAY_MS);
    const events = randomEvents(1, 77, 'OLD');
    const res = await post(t.base, events, '?wait=projected');
    expect(res.accepted).toBe(events.length);
    await t.db.query(`SELECT ioc_ensure_log_partition($1::date)`, [`${old.slice(0, 7)}-01`]);
    await t.db.query(`UPDATE ingest_event SET ingested_at = $1 WHERE event_id LIKE 'OLD%'`, [`${old}:00+07:00`]);
    await t.db.query(`UPDATE ingest_event_key SET ingested_at = $1 WHERE event_id LIKE 'OLD%'`, [`${old}:00+07:00`]);
    const before = (await t.http.get('/api/v1/kpis').query({ scope: 'nation', from: local(Date.now() - 45 * DAY_MS).slice(0, 10) })).body as KpiResponse;
    expect(before.counts.received).toBe(1);

    // Not yet folded: kept whatever the retention.
    const projection = t.app.get(ProjectionService);
    await projection.stop();
    await t.db.query(`UPDATE projection_state SET watermark = 0`);
    expect(await t.db.transaction((m) => dropExpiredLogPartitions(m, 12))).toEqual([]);
    await t.db.query(`UPDATE projection_state SET watermark = (SELECT max(seq) FROM ingest_event)`);
    projection.start();

    expect(await t.db.transaction((m) => dropExpiredLogPartitions(m, 0))).toEqual([]); // 0: keep everything
    expect(await t.db.transaction((m) => dropExpiredLogPartitions(m, 12))).toEqual([old.slice(0, 7)]);
    expect((await logPartitions(t.db)).map((p) => p.month)).not.toContain(old.slice(0, 7));
    // The figures keep the dropped events; a source resending one is told it is a duplicate, never counted twice.
    const after = (await t.http.get('/api/v1/kpis').query({ scope: 'nation', from: local(Date.now() - 45 * DAY_MS).slice(0, 10) })).body as KpiResponse;
    expect(after.counts).toEqual(before.counts);
    const again = await post(t.base, events, '?wait=projected');
    expect(again).toMatchObject({ accepted: 0, duplicates: events.length });
    // A rebuild from an incomplete log would lose figures: refused, with the reason.
    await expect(rebuildProjection(t.db)).rejects.toThrow(/no longer holds the events ingested before/);
  });
});

describe('the projector across processes', () => {
  let t: TestApp;
  const procs: ServerProcess[] = [];
  beforeAll(async () => {
    // This process only takes events in: the projector runs in the server processes below.
    t = await startTestApp({ PROJECTOR: 'off' });
  });
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await t?.close();
  });
  const spawn = async () => {
    const p = await spawnServer(t.url, { PROJECTOR: 'on', ALERT_EVALUATE_SECONDS: '0' });
    procs.push(p);
    return p;
  };

  it('folds every event exactly once when the projecting process is killed -9 in the middle', async () => {
    const events = randomEvents(16_000, 42, 'K');
    for (let i = 0; i < events.length; i += 5000) {
      const r = await post(t.base, events.slice(i, i + 5000));
      if (r.accepted !== Math.min(5000, events.length - i)) console.log(JSON.stringify(r.results.filter((x) => x.status !== 'accepted').slice(0, 3)));
    }
    const logged = await state(t.db);
    expect(logged.logged).toBe(events.length);
    expect(logged.watermark).toBe(0);

    const a = await spawn();
    // Kill it while it is folding: some batches committed, more to go.
    const mid = await eventually(
      'a first batch',
      () => state(t.db),
      (s) => s.watermark > 0,
      60_000,
    );
    await a.kill('SIGKILL');
    const killedAt = await state(t.db);
    expect(mid.watermark).toBeLessThan(mid.head);
    expect(killedAt.watermark).toBeLessThan(killedAt.head);

    const b = await spawn();
    const done = await eventually(
      'the rest',
      () => state(t.db),
      (s) => s.watermark === s.head,
      120_000,
    );
    expect(done.projected).toBe(events.length);
    const incremental = await derived(t.db);
    expect(incremental.dossier!.length).toBe(16_000);
    await b.kill('SIGTERM');

    // Folding the whole log again from nothing gives the very same tables: nothing was folded twice or skipped
    // (with the hourly retention the spawned servers have by default).
    await rebuildProjection(t.db, { hourlyDays: loadConfig({}).hourlyRetentionDays });
    const rebuilt = await derived(t.db);
    for (const table of Object.keys(incremental)) expect({ table, rows: rebuilt[table] }).toEqual({ table, rows: incremental[table] });
  }, 300_000);

  it('two processes run one projector; the other takes over after a kill', async () => {
    const [a, b] = [await spawn(), await spawn()];
    const roles = await eventually(
      'one projector',
      async () => [(await health(a.url)).projection.projector, (await health(b.url)).projection.projector],
      (r) => r.filter(Boolean).length === 1,
    ).catch((e: unknown) => {
      console.log(a.output(), b.output());
      throw e;
    });
    const [holder, other] = roles[0] ? [a, b] : [b, a];
    await holder.kill('SIGKILL');
    const res = await post(other.url, randomEvents(20, 9, 'TO'));
    expect(res.accepted).toBeGreaterThan(0);
    const t0 = Date.now();
    await eventually(
      'takeover',
      () => health(other.url),
      (h) => h.projection.projector && h.projection.watermark >= res.position!,
      20_000,
    );
    console.log(`projector takeover after kill -9: figures caught up in ${Date.now() - t0} ms`);
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    const s = await state({ query: async (q: string) => (await c.query(q)).rows });
    await c.end();
    expect(s.projected).toBe(s.logged);
  }, 120_000);
});
