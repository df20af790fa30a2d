import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AlertEngine } from '../src/alerts/alert-engine.service.js';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { ProjectionService } from '../src/projection/projection.service.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';
import { TestLiveClient, receivedNow, summaryCounts } from './live-client.js';

/** One sample line of the Prometheus text format. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  type: string;
  help: string;
  samples: Sample[];
}

/** A strict reader of the text exposition format (0.0.4): every line must be a comment, a sample or empty. */
function parseMetrics(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: string | null = null;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (help) {
      families.set(help[1]!, { type: 'untyped', help: help[2]!, samples: [] });
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      const f = families.get(type[1]!) ?? { type: 'untyped', help: '', samples: [] };
      f.type = type[2]!;
      families.set(type[1]!, f);
      current = type[1]!;
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/.exec(line);
    if (!m) throw new Error(`not a Prometheus text line: ${JSON.stringify(line)}`);
    const [, name, rawLabels, rawValue] = m;
    if (!current || !name!.startsWith(current)) throw new Error(`sample ${name} outside its family (${current})`);
    const labels: Record<string, string> = {};
    if (rawLabels) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
      let l: RegExpExecArray | null;
      let end = 0;
      while ((l = re.exec(rawLabels))) {
        labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        end = re.lastIndex;
        if (end === rawLabels.length) break;
      }
      if (end !== rawLabels.length) throw new Error(`bad labels in ${JSON.stringify(line)}`);
    }
    // Prometheus reads values with Go's ParseFloat: Inf and NaN in any case (prom-client writes "Nan").
    const v = rawValue!.toLowerCase();
    const value = v === '+inf' || v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : Number(rawValue);
    if (Number.isNaN(value) && v !== 'nan') throw new Error(`bad value in ${JSON.stringify(line)}`);
    families.get(current)!.samples.push({ name: name!, labels, value });
  }
  return families;
}

/** The value of the one sample named `name` whose labels include `labels` (undefined when none). */
function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}

let t: TestApp;
const live: TestLiveClient[] = [];
const scrape = async (app = t) => {
  const res = await request(app.app.getHttpServer()).get('/metrics');
  expect(res.status).toBe(200);
  return parseMetrics(res.text);
};

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const c of live) c.close();
  await t?.close();
});

describe('GET /metrics', () => {
  it('serves the Prometheus text format at the root, outside /api, to a loopback caller when no token is set', async () => {
    const res = await request(t.app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    const families = parseMetrics(res.text);
    for (const [name, f] of families) {
      expect(name.startsWith('ioc_')).toBe(true);
      expect(f.help.length).toBeGreaterThan(0);
    }
    // Not under the API prefix, and not in the API's OpenAPI document.
    expect((await request(t.app.getHttpServer()).get('/api/v1/metrics')).status).toBe(404);
    const doc = (await request(t.app.getHttpServer()).get('/api/docs/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).some((p) => p.includes('metrics'))).toBe(false);
  });

  it('refuses a request that came through a proxy while no token is set', async () => {
    const res = await request(t.app.getHttpServer()).get('/metrics').set('X-Forwarded-For', '203.0.113.9');
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/METRICS_TOKEN/);
  });

  it('times requests by method, matched route pattern and status, errors included, never by raw URL', async () => {
    const server = t.app.getHttpServer();
    expect((await t.http.get('/api/v1/units/provinces/01')).status).toBe(200);
    expect((await request(server).get('/api/v1/alerts/79')).status).toBe(401);
    expect((await t.http.get('/api/v1/units/provinces/99')).status).toBe(404);
    expect((await request(server).get('/api/v1/no-such-thing/12345')).status).toBe(404);
    const bad = await request(server).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).set('Content-Type', 'application/json').send('{"events": [');
    expect(bad.status).toBe(400);

    const m = await scrape();
    expect(m.get('ioc_http_request_duration_seconds')?.type).toBe('histogram');
    const count = (route: string, status: string, method = 'GET') => value(m, 'ioc_http_request_duration_seconds_count', { method, route, status });
    const route = '/api/v1/units/provinces/:code';
    expect(count(route, '200')).toBeGreaterThanOrEqual(1);
    expect(count('/api/v1/alerts/:id', '401')).toBeGreaterThanOrEqual(1);
    expect(count(route, '404')).toBeGreaterThanOrEqual(1);
    expect(count('unmatched', '404')).toBeGreaterThanOrEqual(1);
    expect(count('unmatched', '400', 'POST')).toBeGreaterThanOrEqual(1);
    const routes = new Set(m.get('ioc_http_request_duration_seconds')!.samples.map((s) => s.labels.route));
    for (const r of routes) expect(r).not.toMatch(/\/(01|79|99|12345)(\/|$)/);
    // Histogram buckets are cumulative and end with +Inf = count.
    const buckets = m.get('ioc_http_request_duration_seconds')!.samples.filter((s) => s.name.endsWith('_bucket') && s.labels.route === route && s.labels.status === '200');
    expect(buckets.at(-1)!.labels.le).toBe('+Inf');
    expect(buckets.at(-1)!.value).toBe(count(route, '200'));
  });

  it('exposes the database pool, the database state, the live stream, the rollup lag and the default process metrics', async () => {
    const c = new TestLiveClient(t.base, t.token);
    live.push(c);
    await new Promise<void>((resolve) => (c.socket.connected ? resolve() : c.socket.once('connect', () => resolve())));
    const m = await scrape();

    expect(m.get('ioc_db_pool_connections')?.type).toBe('gauge');
    const total = value(m, 'ioc_db_pool_connections', { state: 'total' })!;
    const idle = value(m, 'ioc_db_pool_connections', { state: 'idle' })!;
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(t.config.dbPoolSize);
    expect(idle).toBeLessThanOrEqual(total);
    expect(value(m, 'ioc_db_pool_connections', { state: 'waiting' })).toBeGreaterThanOrEqual(0);

    expect(m.get('ioc_db_up')?.type).toBe('gauge');
    expect(value(m, 'ioc_db_up')).toBe(1);
    expect(m.get('ioc_db_outages_total')?.type).toBe('counter');
    expect(value(m, 'ioc_db_outages_total')).toBe(0);

    expect(m.get('ioc_live_connections')?.type).toBe('gauge');
    expect(value(m, 'ioc_live_connections')).toBeGreaterThanOrEqual(1);
    expect(m.get('ioc_live_delta_lag_seconds')?.type).toBe('histogram');

    expect(m.get('ioc_projection_lag_seconds')?.type).toBe('gauge');
    expect(m.get('ioc_projection_pending_events')?.type).toBe('gauge');
    expect(m.get('ioc_projection_batch_duration_seconds')?.type).toBe('histogram');
    expect(m.get('ioc_alert_tick_duration_seconds')?.type).toBe('histogram');

    // prom-client's default Node process metrics, with the same prefix.
    expect(m.get('ioc_process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(m.get('ioc_process_resident_memory_bytes')?.type).toBe('gauge');
    expect(m.get('ioc_nodejs_heap_size_used_bytes')?.type).toBe('gauge');
    expect(m.get('ioc_nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
  });

  it('counts ingest outcomes given to countIngest, with every outcome exposed from the start', async () => {
    const metrics = t.app.get(MetricsService);
    const outcomes = ['accepted', 'duplicate', 'rejected', 'conflict'] as const;
    const read = (m: Map<string, Family>) => Object.fromEntries(outcomes.map((result) => [result, value(m, 'ioc_ingest_events_total', { result })]));
    const before = read(await scrape());
    for (const o of outcomes) expect(before[o]).toBeGreaterThanOrEqual(0);

    // One real event through the API. Whether ingest counts it yet depends on its wiring: 0 or 1 more, no other outcome.
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/events?wait=projected')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ events: [receivedNow('00004', new Date(Date.now() + 3_600_000))] });
    expect(res.status).toBe(200);
    const afterPost = read(await scrape());
    expect([0, 1]).toContain(afterPost.accepted! - before.accepted!);
    for (const o of ['duplicate', 'rejected', 'conflict'] as const) expect(afterPost[o]).toBe(before[o]);

    metrics.countIngest({ accepted: 7, duplicates: 2, rejected: 1, conflicts: 3 });
    metrics.countIngest({ accepted: 1, duplicates: 0, rejected: 0, conflicts: 0 });
    const after = read(await scrape());
    expect(after.accepted! - afterPost.accepted!).toBe(8);
    expect(after.duplicate! - afterPost.duplicate!).toBe(2);
    expect(after.rejected! - afterPost.rejected!).toBe(1);
    expect(after.conflict! - afterPost.conflict!).toBe(3);
  });

  it('tracks database outages on transitions only', async () => {
    const metrics = t.app.get(MetricsService);
    metrics.databaseDown();
    metrics.databaseDown();
    let m = await scrape();
    expect(value(m, 'ioc_db_up')).toBe(0);
    expect(value(m, 'ioc_db_outages_total')).toBe(1);
    metrics.databaseUp();
    metrics.databaseUp();
    metrics.databaseDown();
    metrics.databaseUp();
    m = await scrape();
    expect(value(m, 'ioc_db_up')).toBe(1);
    expect(value(m, 'ioc_db_outages_total')).toBe(2);
  });

  it('exposes the projection lag as the projection state says, and observes projector batches', async () => {
    const projection = t.app.get(ProjectionService);
    await projection.stop();
    try {
      const res = await request(t.app.getHttpServer())
        .post('/api/v1/events')
        .set('X-Api-Key', TEST_API_KEY)
        .send({ events: [receivedNow('00008', new Date(Date.now() + 3_600_000))] });
      expect(res.body.accepted).toBe(1);
      await new Promise((r) => setTimeout(r, 1100));
      const m = await scrape();
      // The projector is stopped: the event waits, and the lag says since when.
      expect(value(m, 'ioc_projection_pending_events')).toBeGreaterThanOrEqual(1);
      expect(value(m, 'ioc_projection_lag_seconds')).toBeGreaterThanOrEqual(1);
    } finally {
      projection.start();
      await t.projected();
    }
    const m = await scrape();
    expect(value(m, 'ioc_projection_pending_events')).toBe(0);
    expect(value(m, 'ioc_projection_lag_seconds')).toBe(0);
    expect(value(m, 'ioc_projection_batch_duration_seconds_count')).toBeGreaterThanOrEqual(1);
  });

  it('observes alert evaluations and live deltas that follow a change', async () => {
    await t.app.get(AlertEngine).evaluate();
    const c = new TestLiveClient(t.base, t.token);
    live.push(c);
    const topic = await c.subs.add({ scope: 'commune:00070', view: 'summary', period: 'today' });
    const first = await c.waitFor(topic, (s) => s.status === 'live', 10_000, 'snapshot');
    const received = summaryCounts(first).received;
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/events?wait=projected')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ events: [receivedNow('00070', new Date(Date.now() + 3_600_000))] });
    expect(res.status).toBe(200);
    await c.waitFor(topic, (s) => summaryCounts(s).received === received + 1, 10_000, 'the delta');
    const m = await scrape();
    expect(value(m, 'ioc_alert_tick_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value(m, 'ioc_live_delta_lag_seconds_count')).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /metrics with METRICS_TOKEN set, next to a built dashboard', () => {
  const TOKEN = 'metrics-token-0123456789abcdef';
  let s: TestApp;
  let dashboard: string;
  beforeAll(async () => {
    dashboard = mkdtempSync(join(tmpdir(), 'ioc-dashboard-'));
    writeFileSync(join(dashboard, 'index.html'), '<!doctype html><title>IOC</title>');
    s = await startTestApp({ METRICS_TOKEN: TOKEN, DASHBOARD_DIR: dashboard });
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dashboard, { recursive: true, force: true });
  });

  it("is not swallowed by the dashboard's fallback, which still serves client-side routes", async () => {
    const server = s.app.getHttpServer();
    const spa = await request(server).get('/overview/province:01');
    expect(spa.status).toBe(200);
    expect(spa.text).toContain('<title>IOC</title>');
    const res = await request(server).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<title>');
    expect(value(parseMetrics(res.text), 'ioc_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '200' })).toBeGreaterThanOrEqual(1);
  });

  it('answers 401 without the token or with a wrong one, even from loopback, and 200 with it', async () => {
    const server = s.app.getHttpServer();
    const none = await request(server).get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await request(server).get('/metrics').set('Authorization', 'Bearer not-the-token-at-all')).status).toBe(401);
    // A user's access token is not the metrics token.
    expect((await request(server).get('/metrics').set('Authorization', `Bearer ${s.token}`)).status).toBe(401);
    const ok = await request(server).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).set('X-Forwarded-For', '203.0.113.9');
    expect(ok.status).toBe(200);
    const m = parseMetrics(ok.text);
    expect(value(m, 'ioc_db_up')).toBe(1);
  });

  it('keeps its own registry: another app instance in this process counts its own events', async () => {
    const mine = s.app.get(MetricsService);
    const other = t.app.get(MetricsService);
    expect(mine).not.toBe(other);
    expect(mine.registry).not.toBe(other.registry);
    const read = async () =>
      value(parseMetrics((await request(s.app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).text), 'ioc_ingest_events_total', { result: 'rejected' });
    const before = await read();
    other.countIngest({ accepted: 0, duplicates: 0, rejected: 5, conflicts: 0 });
    expect(await read()).toBe(before);
  });
});
