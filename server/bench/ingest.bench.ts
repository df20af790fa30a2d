import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { DossierEvent } from '@ioc/shared';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/config.js';
import { DemoSimulator } from '../src/demo/simulator/index.js';
import { DataSource } from 'typeorm';
import { IngestKeysService, registerIngestKey } from '../src/auth/ingest-keys.service.js';
import { IngestService } from '../src/ingest/ingest.service.js';
import { waitForProjection } from '../src/ingest/projection-state.js';
import { ProjectionService } from '../src/projection/projection.service.js';
import { UnitsService } from '../src/units/units.service.js';
import { benchDatabase, fmt } from './bench-support.js';

/**
 * npm run bench:ingest — sustained durable ingest (validation, scope and
 * idempotency checks, append to the raw log; 5,000-event batches from 4
 * sources at once) against a raw COPY of the same events into a bare table,
 * same batches, same database, same run. The projector runs alongside, as in
 * production; the time until the figures include every event is measured too.
 */
const TOTAL = Number(process.env.BENCH_EVENTS ?? 300_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
/** Source systems sending at once. */
const SOURCES = Number(process.env.BENCH_SOURCES ?? 4);
const sources = Array.from({ length: SOURCES }, (_, i) => i);
const KEY = 'bench-ingest-key-000';

function tsvEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

async function main(): Promise<void> {
  const db = await benchDatabase('ioc_bench_ingest', true);
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn', DEMO_FEED: 'off', DB_POOL_SIZE: '4', INGEST_RATE_LIMIT_PER_MINUTE: '0' });
  const app = await createApp(config, db.url);
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const units = app.get(UnitsService);
  const ingest = app.get(IngestService);
  // One national source (the national portal's key): the benchmark sends every province's events.
  await registerIngestKey(app.get(DataSource), KEY, 'nation', 'Benchmark');
  const source = await app.get(IngestKeysService).authenticate(KEY);

  // A realistic stream: all 3,321 communes from a weekday morning on, as the demo feed would send it.
  const sim = new DemoSimulator(
    units.allCommunes().map((c) => ({ code: c.code, name: c.name, type: c.type, provinceCode: c.provinceCode, areaKm2: c.areaKm2 })),
    units.listProvinces().map((p) => ({ code: p.code, name: p.name, population: p.population })),
    { seed: 7, duplicateRate: 0 },
  );
  const events: DossierEvent[] = [];
  const seen = new Set<string>();
  for (let t = Date.parse('2026-03-02T07:00:00+07:00'); events.length < TOTAL * 2; t += 3_600_000) {
    for (const d of sim.deliveries(t, t + 3_600_000)) {
      if (!seen.has(d.event.eventId)) {
        seen.add(d.event.eventId);
        events.push(d.event);
      }
    }
  }
  const [serviceEvents, httpEvents] = [events.slice(0, TOTAL), events.slice(TOTAL, 2 * TOTAL)];
  const batches = (list: DossierEvent[]) => Array.from({ length: Math.ceil(list.length / BATCH) }, (_, i) => list.slice(i * BATCH, (i + 1) * BATCH));
  console.log(
    `events: ${fmt(TOTAL)} per measurement, batches of ${BATCH}, ${new Set(serviceEvents.map((e) => e.dossierId)).size} dossiers, types: ${[...new Set(serviceEvents.map((e) => e.type))].join(' ')}`,
  );

  // Baseline: COPY into a bare table (no index, no constraint), one COPY and commit per batch.
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('CREATE TABLE bench_raw (event_id text, dossier_id text, unit_code text, type text, occurred_at timestamptz, payload jsonb)');
  let t0 = performance.now();
  for (const batch of batches(serviceEvents)) {
    const tsv = batch.map((e) => [e.eventId, e.dossierId, e.communeCode ?? e.provinceCode ?? '', e.type, e.occurredAt, JSON.stringify(e)].map(tsvEscape).join('\t')).join('\n');
    await pipeline(Readable.from([tsv + '\n']), client.query(copyFrom('COPY bench_raw FROM STDIN')));
  }
  const copyRate = TOTAL / ((performance.now() - t0) / 1000);
  await client.end();

  // The product's ingest path, called as the HTTP controller calls it; the projector folds alongside.
  const appDb = app.get(DataSource);
  const head = async () => Number(((await appDb.query('SELECT coalesce(max(seq), 0) AS h FROM ingest_event')) as { h: string }[])[0]!.h);
  t0 = performance.now();
  let accepted = 0;
  const pending = batches(serviceEvents);
  await Promise.all(
    sources.map(async () => {
      for (let b = pending.shift(); b; b = pending.shift()) {
        const r = await ingest.ingest(b, source);
        accepted += r.accepted;
      }
    }),
  );
  const ingestRate = TOTAL / ((performance.now() - t0) / 1000);
  if (accepted !== TOTAL) throw new Error(`expected ${TOTAL} accepted, got ${accepted}`);
  if (!(await waitForProjection(appDb, await head(), 600_000))) throw new Error('the projector did not catch up within 10 minutes');
  const foldedRate = TOTAL / ((performance.now() - t0) / 1000);

  // And through HTTP: JSON bodies over loopback, with the projector paused (an API-only process);
  // then the projector alone folds what they sent.
  const projector = app.get(ProjectionService);
  await projector.stop();
  t0 = performance.now();
  const queue = batches(httpEvents);
  let httpAccepted = 0;
  await Promise.all(
    sources.map(async () => {
      for (let b = queue.shift(); b; b = queue.shift()) {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY },
          body: JSON.stringify({ events: b }),
        });
        const r = (await res.json()) as { accepted: number };
        httpAccepted += r.accepted;
      }
    }),
  );
  const httpRate = TOTAL / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  projector.start();
  if (!(await waitForProjection(appDb, await head(), 600_000))) throw new Error('the projector did not catch up within 10 minutes');
  const foldRate = TOTAL / ((performance.now() - t0) / 1000);

  console.log('');
  console.log('| path | events/s | vs COPY |');
  console.log('|---|---:|---:|');
  console.log(`| raw COPY into a bare table (baseline) | ${fmt(copyRate)} | 1.00 |`);
  console.log(`| ingest service, ${SOURCES} sources: answered (validated, durable in the log) | ${fmt(ingestRate)} | ${fmt(ingestRate / copyRate, 2)} |`);
  console.log(`| … and folded into dossiers and rollups by the projector (first event sent → last one in the figures) | ${fmt(foldedRate)} | ${fmt(foldedRate / copyRate, 2)} |`);
  console.log(`| POST /api/v1/events over HTTP, ${SOURCES} clients, projector paused: answered | ${fmt(httpRate)} | ${fmt(httpRate / copyRate, 2)} |`);
  console.log(`| projector alone: those events folded into dossiers and rollups | ${fmt(foldRate)} | ${fmt(foldRate / copyRate, 2)} |`);
  console.log('');
  console.log(`targets: ≥ 20,000 events/s and ≥ 0.5 × COPY — service ${ingestRate >= 20000 && ingestRate / copyRate >= 0.5 ? 'met' : 'NOT met'}; HTTP accepted ${httpAccepted}/${TOTAL}`);
  await app.close();
  await db.stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
