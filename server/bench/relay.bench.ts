import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type DossierEvent, HOUR_MS, MAX_EVENTS_PER_BATCH, addDays, localDateOf, localWeekdayOf, startOfLocalDate } from '@ioc/shared';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { registerIngestKey } from '../src/auth/provision.js';
import { REPO_ROOT, SERVER_ROOT } from '../src/config/config.js';
import { dataSourceOptions, migrate } from '../src/database/data-source.js';
import { DemoSimulator, type SimUnit } from '../src/demo/simulator/index.js';
import { UnitsService } from '../src/units/units.service.js';
import { benchDatabase, fmt } from './bench-support.js';
import { spawnServer } from './server-process.js';

/**
 * npm run bench:relay — the relay's cost and its catch-up:
 * 1. throughput: the same simulated events (6 working hours of a province's communes)
 *    posted directly (one client, batches of 5,000, as a source system would) and
 *    through ioc-relay (spool on disk with fsync, gzip, journal), same server, same run;
 * 2. catch-up: the 6-hour backlog of the busiest commune after an outage (one export
 *    every 5 minutes, spooled while the link was down), drained by a relay started
 *    once the link is back.
 */
const RELAY = join(SERVER_ROOT, 'dist', 'server', 'src', 'cli', 'relay.js');
const KEY = 'bench-relay-key-nation-000';
const PROVINCE = process.env.BENCH_PROVINCE ?? '01';

/** The last Monday before today (Vietnam's days), 07:30 local: a working morning and early afternoon follow. */
function lastMondayMorning(now: number): number {
  let date = addDays(localDateOf(now), -1);
  while (localWeekdayOf(startOfLocalDate(date) + HOUR_MS) !== 1) date = addDays(date, -1);
  return startOfLocalDate(date) + 7.5 * HOUR_MS;
}

const ndjson = (events: DossierEvent[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

/** Runs the relay with --once on a folder and a fresh spool; resolves with its wall time in ms. */
async function runRelay(server: string, watch: string, spool: string): Promise<{ ms: number; output: string }> {
  const { NODE_OPTIONS: _, ...env } = process.env;
  const t0 = performance.now();
  const proc = spawn(process.execPath, [RELAY, '--server', server, '--key', KEY, '--watch', watch, '--spool', spool, '--once', '--heartbeat-seconds', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((r) => proc.once('exit', r));
  if (code !== 0) throw new Error(`the relay exited with ${code}:\n${output}`);
  return { ms: performance.now() - t0, output };
}

async function postDirect(server: string, events: DossierEvent[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += MAX_EVENTS_PER_BATCH) {
    const res = await fetch(`${server}/api/v1/events`, {
      method: 'POST',
      headers: { 'X-Api-Key': KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: events.slice(i, i + MAX_EVENTS_PER_BATCH) }),
    });
    if (res.status !== 200) throw new Error(`direct post answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  return performance.now() - t0;
}

/** The same events under other ids, so a second run does the same work instead of answering duplicates. */
const renamed = (events: DossierEvent[], prefix: string) => events.map((e) => ({ ...e, eventId: `${prefix}${e.eventId}`, dossierId: `${prefix}${e.dossierId}` }) as DossierEvent);

async function main(): Promise<void> {
  const db = await benchDatabase('ioc_bench_relay', true);
  await migrate(db.url);
  const ds = new DataSource(dataSourceOptions(db.url, 2));
  await ds.initialize();
  const units = new UnitsService(ds);
  await units.load();
  await ds.destroy();
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await registerIngestKey(admin, KEY, 'nation', 'Benchmark relay');
  await admin.end();
  const server = await spawnServer(db.url, { INGEST_RATE_LIMIT_PER_MINUTE: '0' });
  const root = join(REPO_ROOT, '.data');
  await mkdir(root, { recursive: true });
  const work = await mkdtemp(join(root, 'bench-relay-'));
  try {
    const provinces = units.listProvinces().map((p) => ({ code: p.code, name: p.name, population: p.population }));
    const simUnit = (code: string): SimUnit => {
      const c = units.commune(code);
      return { code: c.code, name: c.name, type: c.type, provinceCode: c.provinceCode, areaKm2: c.areaKm2 };
    };
    const from = lastMondayMorning(Date.now());
    const to = from + 6 * HOUR_MS;
    const communes = units.communesOf(PROVINCE).map((c) => simUnit(c.code));
    const sim = new DemoSimulator(communes, provinces, { seed: 2025 });
    const deliveries = sim.deliveries(from, to);
    const events = deliveries.map((d) => d.event);
    console.log(`events: ${fmt(events.length)} (6 working hours, ${communes.length} communes of province ${PROVINCE}, ${new Date(from).toISOString()} + 6 h)`);

    // 1. Throughput, direct and through the relay, on the same server.
    const directMs = await postDirect(server.url, renamed(events, 'd-'));
    const watch = join(work, 'watch');
    await mkdir(watch);
    // One export per hour, as a one-stop system would write them.
    for (let h = 0; h < 6; h++) {
      const slice = deliveries.filter((d) => d.deliverAt >= from + h * HOUR_MS && d.deliverAt < from + (h + 1) * HOUR_MS).map((d) => d.event);
      await writeFile(join(watch, `export-${h}.ndjson`), ndjson(renamed(slice, 'r-')));
    }
    const relay = await runRelay(server.url, watch, join(work, 'spool-1'));
    const total = (re: RegExp) => [...relay.output.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
    const relayed = total(/(\d+) accepted/g);
    const duplicates = total(/(\d+) duplicates/g);
    console.log('\n| path | events/s | time | note |\n|---|---|---|---|');
    console.log(`| direct POST /api/v1/events, 1 client, batches of 5,000, uncompressed | ${fmt(events.length / (directMs / 1000))} | ${fmt(directMs / 1000, 2)} s | baseline |`);
    console.log(
      `| ioc-relay --once: spool (fsync, gzip) + forward, batches of 5,000 | ${fmt(events.length / (relay.ms / 1000))} | ${fmt(relay.ms / 1000, 2)} s | ${fmt(directMs / relay.ms, 2)} × direct; ${fmt(relayed)} accepted, ${fmt(duplicates)} duplicates (the simulator's own resends) |`,
    );

    // 2. Catch-up of a busy commune after 6 hours without a link.
    const full = new DemoSimulator(
      units
        .allCommunes()
        .filter((c) => c.provinceCode === PROVINCE)
        .map((c) => simUnit(c.code)),
      provinces,
      { seed: 2025 },
    );
    const busiest = communes.map((c) => full.profile(c.code)).sort((a, b) => b.weekdayVolume - a.weekdayVolume)[0]!;
    const one = new DemoSimulator([simUnit(busiest.code)], provinces, { seed: 2025 });
    const backlog = one.deliveries(from, to);
    const outage = join(work, 'outage');
    await mkdir(outage);
    // Every 5 minutes the one-stop system exported what it had; nothing could be sent.
    let files = 0;
    for (let t = from; t < to; t += 5 * 60_000) {
      const slice = backlog.filter((d) => d.deliverAt >= t && d.deliverAt < t + 5 * 60_000).map((d) => renamed([d.event], 'c-')[0]!);
      if (slice.length === 0) continue;
      await writeFile(join(outage, `export-${String(files++).padStart(3, '0')}.ndjson`), ndjson(slice));
    }
    const wire = gzipSync(ndjson(backlog.map((d) => d.event))).length;
    const catchUp = await runRelay(server.url, outage, join(work, 'spool-2'));
    console.log(
      `\ncatch-up: ${busiest.name} (${busiest.code}, ~${fmt(busiest.weekdayVolume)} dossiers a working day): 6 h outage = ${fmt(backlog.length)} events in ${files} exports, ` +
        `${fmt(wire / 1024, 0)} kB gzipped; drained in ${fmt(catchUp.ms / 1000, 2)} s on the local link ` +
        `(the gzipped bytes alone take ${fmt((wire * 8) / 256_000, 1)} s at 256 kbit/s)`,
    );
  } finally {
    await server.kill();
    await rm(work, { recursive: true, force: true });
    await db.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
