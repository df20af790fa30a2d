import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type DossierChange, RECORD_COLUMNS, bucketStart, mulberry32 } from '@ioc/shared';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, type EntityManager } from 'typeorm';
import { REPO_ROOT } from '../src/config/config.js';
import { dataSourceOptions, migrate } from '../src/database/data-source.js';
import { importFile } from '../src/import/import-file.js';
import { RunningStocks } from '../src/projection/running-stocks.js';
import { PROJECTION_BATCH, PROJECTION_MAX_BATCH, projectBatch, projectPipelined } from '../src/projection/projector.js';
import { DERIVED_TABLES } from '../src/projection/rebuild.js';
import { DOSSIER_PROJECTION } from '../src/ingest/projection-state.js';
import { UnitsService } from '../src/units/units.service.js';
import { benchDatabase, fmt } from './bench-support.js';

/**
 * npm run bench:import — bulk import of dossier history: a generated CSV of N
 * dossier records (all 3,321 communes, two years, every lifecycle step in
 * realistic proportions) is loaded by a raw COPY into a bare table with typed
 * columns (the baseline: no validation, no index, no constraint), then imported
 * by the product's importer (validation, scope checks and idempotency lookup,
 * append to the log by COPY with claims, job progress), same file, same run.
 * Then the projector folds the imported records into dossiers, rollups and
 * running stocks, as the server does, and the bytes on disk of the tables the
 * record path fills are read per dossier.
 *
 * BENCH_DAYS spreads the receipts over that many days (700 by default; 2 gives
 * about the national volume of a day, as the demo's history has it), ending 20
 * days before today. The projector keeps hourly rollups as the server does
 * (KPI_HOURLY_RETENTION_DAYS, 35 by default: the last 35 days). BENCH_DB
 * names the database (created on DATABASE_URL's server, dropped first).
 */
const TOTAL = Number(process.env.BENCH_RECORDS ?? 300_000);
const CHUNK = process.env.BENCH_CHUNK ? Number(process.env.BENCH_CHUNK) : undefined;
const DAYS = Number(process.env.BENCH_DAYS ?? 700);
const DB_NAME = process.env.BENCH_DB ?? 'ioc_bench_import';
const HOURLY_DAYS = Number(process.env.KPI_HOURLY_RETENTION_DAYS ?? 35);

const iso = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19) + '+07:00';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A CSV of `n` records, fast and deterministic: the shape a one-stop system's export has. */
function generate(n: number, communes: string[]): string {
  const rnd = mulberry32(14);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const sectors = ['Hộ tịch', 'Chứng thực', 'Đất đai', 'Xây dựng', 'Lao động - Thương binh và Xã hội', 'Tư pháp'];
  // The receipts end 20 days before today, so every later step (up to 19 days on) is in the past.
  const start = bucketStart(Date.now(), 'day') - (DAYS + 20) * DAY;
  const out: string[] = [RECORD_COLUMNS.join(',')];
  for (let i = 0; i < n; i++) {
    const unit = pick(communes);
    const received = start + Math.floor(rnd() * DAYS) * DAY + (8 + Math.floor(rnd() * 9)) * HOUR + Math.floor(rnd() * 60) * 60_000;
    const due = received + (1 + Math.floor(rnd() * 15)) * DAY;
    const online = rnd() < 0.45;
    const resultRequired = rnd() < 0.7;
    const feeRequired = rnd() < 0.4;
    const supplements = rnd() < 0.12 ? (rnd() < 0.8 ? 1 : 2 + Math.floor(rnd() * 2)) : 0;
    const s1 = supplements > 0 ? received + Math.floor(rnd() * 3 * DAY) : null;
    const s2 = supplements > 1 ? s1! + Math.floor(rnd() * 3 * DAY) : null;
    const completed = rnd() < 0.93 ? received + Math.floor(rnd() * 18 * DAY) : null;
    const r: Record<string, string> = {
      dossierId: `H${unit.slice(0, 2)}.${unit}-${i.toString(36).padStart(6, '0')}`,
      communeCode: unit,
      procedureCode: `1.00${1000 + Math.floor(rnd() * 900)}`,
      sector: pick(sectors),
      channel: online ? 'online' : rnd() < 0.9 ? 'direct' : 'postal',
      fullOnlineEligible: String(rnd() < 0.6),
      resultRequired: String(resultRequired),
      feeRequired: String(feeRequired),
      receivedAt: iso(received),
      dueAt: iso(due),
      supplementCount: supplements > 0 ? String(supplements) : '',
      supplementRequestedAt1: s1 !== null ? iso(s1) : '',
      supplementRequestedAt2: s2 !== null ? iso(s2) : '',
      digitizedAt: rnd() < 0.8 ? iso(received + Math.floor(rnd() * 4 * HOUR)) : '',
      completedAt: completed !== null ? iso(completed) : '',
      outcome: completed !== null ? (rnd() < 0.95 ? 'resolved' : 'rejected') : '',
    };
    if (completed !== null && resultRequired) Object.assign(r, { resultIssuedAt: iso(completed + Math.floor(rnd() * DAY)), resultElectronic: String(rnd() < 0.6) });
    if (feeRequired) Object.assign(r, { paidAt: iso(received + Math.floor(rnd() * HOUR)), paidOnline: String(online && rnd() < 0.8) });
    if (completed !== null && rnd() < 0.3) Object.assign(r, { ratedAt: iso(completed + 2 * DAY), satisfied: String(rnd() < 0.9), complaint: String(rnd() < 0.03) });
    out.push(RECORD_COLUMNS.map((c) => r[c] ?? '').join(','));
  }
  return out.join('\n') + '\n';
}

/** The baseline table: the file's columns with their types, nothing else. */
const BARE = `CREATE TABLE bench_bare (${RECORD_COLUMNS.map((c) => {
  const kind = c.endsWith('At')
    ? 'timestamptz'
    : c === 'supplementCount'
      ? 'int'
      : ['fullOnlineEligible', 'resultRequired', 'feeRequired', 'resultElectronic', 'paidOnline', 'satisfied', 'complaint'].includes(c)
        ? 'boolean'
        : 'text';
  return `"${c}" ${kind}`;
}).join(', ')})`;

async function main(): Promise<void> {
  const db = await benchDatabase(DB_NAME, true);
  await migrate(db.url);
  const ds = new DataSource(dataSourceOptions(db.url, 2));
  await ds.initialize();
  const units = new UnitsService(ds);
  await units.load();
  const dir = join(REPO_ROOT, '.data');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `bench-import-${TOTAL}${DAYS === 700 ? '' : `-${DAYS}d`}.csv`);
  let t0 = performance.now();
  await writeFile(
    file,
    generate(
      TOTAL,
      units.allCommunes().map((c) => c.code),
    ),
  );
  const size = (await stat(file)).size;
  console.log(`records: ${fmt(TOTAL)} in ${file} (${fmt(size / 1024 / 1024, 1)} MB, generated in ${fmt((performance.now() - t0) / 1000, 1)} s)`);

  const client = new pg.Client({ connectionString: db.url, application_name: 'ioc-bench-import' });
  await client.connect();
  // Baseline: the same file, COPY (FORMAT csv) into a bare typed table.
  await client.query(BARE);
  t0 = performance.now();
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), client.query(copyFrom(`COPY bench_bare FROM STDIN (FORMAT csv, HEADER true)`)));
  const copyS = (performance.now() - t0) / 1000;
  await client.query('DROP TABLE bench_bare');
  await client.query('CHECKPOINT');

  // The importer, as `npm run import` runs it (hashing the file for its job included in the wall time).
  t0 = performance.now();
  const r = await importFile(client, file, { source: { keyId: null, name: 'bench', scope: { kind: 'nation' } }, units, chunkLines: CHUNK, restart: true });
  const importS = (performance.now() - t0) / 1000;
  if (r.imported !== TOTAL) throw new Error(`expected ${TOTAL} imported, got ${r.imported} (rejected ${r.rejected}; see ${r.errorsFile})`);

  // A second run of the same file: every record is a duplicate.
  t0 = performance.now();
  const again = await importFile(client, file, { source: { keyId: null, name: 'bench', scope: { kind: 'nation' } }, units, chunkLines: CHUNK, restart: true });
  const againS = (performance.now() - t0) / 1000;
  if (again.duplicates !== TOTAL) throw new Error(`expected ${TOTAL} duplicates on the second run, got ${again.duplicates}`);

  // The projector folds the imported records (with the running stocks' hook, as the server runs it).
  const stocks = new RunningStocks(ds);
  const provinceOf = (u: string) => units.provinceOfUnit(u)!;
  const hook = (m: EntityManager, changes: readonly DossierChange[]) => stocks.apply(m, changes, provinceOf);
  // Baseline: batch after batch, each built and then written (the projector before batches were pipelined).
  t0 = performance.now();
  let sequential = 0;
  let batches = 0;
  for (;;) {
    const b = await ds.transaction((m) => projectBatch(m, provinceOf, { limit: PROJECTION_BATCH, hook, hourlyDays: HOURLY_DAYS }));
    if (b === null) break;
    sequential += b.dossiers;
    batches++;
  }
  const sequentialS = (performance.now() - t0) / 1000;
  if (sequential !== TOTAL) throw new Error(`expected ${TOTAL} dossiers folded, got ${sequential}`);
  // The same again from an empty projection, pipelined: the next batch built while one is written,
  // first with batches of a fixed size, then as the server folds, each full batch doubling the next.
  const pipelined = async (maxLimit: number | undefined) => {
    await client.query(`TRUNCATE ${[...DERIVED_TABLES, 'running_stock'].join(', ')}`);
    await client.query(`UPDATE projection_state SET watermark = 0, watermark_ingested_at = NULL, events_projected = 0 WHERE name = $1`, [DOSSIER_PROJECTION]);
    await client.query('CHECKPOINT');
    const t = performance.now();
    let folded = 0;
    let n = 0;
    await projectPipelined(ds, provinceOf, { hook, hourlyDays: HOURLY_DAYS, maxLimit, onBatch: (b) => ((folded += b.dossiers), n++) });
    if (folded !== TOTAL) throw new Error(`expected ${TOTAL} dossiers folded, got ${folded}`);
    return { s: (performance.now() - t) / 1000, batches: n };
  };
  const fixed = await pipelined(PROJECTION_BATCH);
  const grown = await pipelined(undefined);
  const foldS = grown.s;
  await client.query('CHECKPOINT');
  const sizes = (
    await client.query(
      `SELECT t AS table, coalesce((SELECT sum(pg_total_relation_size(r.relid)) FROM pg_partition_tree(t::regclass) r), pg_total_relation_size(t::regclass))::bigint AS bytes
     FROM unnest($1::text[]) AS t`,
      [['ingest_event', 'ingest_event_key', 'dossier_owner', 'dossier', 'kpi_hourly', 'kpi_daily', 'kpi_monthly', 'kpi_deferred', 'running_stock', 'unit_activity']],
    )
  ).rows as { table: string; bytes: string }[];
  await client.end();
  await ds.destroy();

  const copyRate = TOTAL / copyS;
  const importRate = TOTAL / importS;
  console.log('');
  console.log(`| path (${fmt(TOTAL)} records, chunks of ${fmt(CHUNK ?? 20_000)} lines) | s | records/s | vs COPY |`);
  console.log('|---|---:|---:|---:|');
  console.log(`| raw COPY of the CSV into a bare typed table (baseline) | ${fmt(copyS, 2)} | ${fmt(copyRate)} | 1.00 |`);
  console.log(`| import: validate, check, append to the log (COPY) with claims | ${fmt(importS, 2)} | ${fmt(importRate)} | ${fmt(importRate / copyRate, 2)} |`);
  console.log(`|   of which importing (without hashing the file for its job) | ${fmt(r.seconds, 2)} | ${fmt(TOTAL / r.seconds)} | ${fmt(TOTAL / r.seconds / copyRate, 2)} |`);
  console.log(`| the same file again (all duplicates) | ${fmt(againS, 2)} | ${fmt(TOTAL / againS)} | ${fmt(TOTAL / againS / copyRate, 2)} |`);
  console.log(
    `| projector, batch after batch (baseline): the imported records folded into dossiers, rollups, running stocks (${fmt(batches)} batches) | ${fmt(sequentialS, 2)} | ${fmt(TOTAL / sequentialS)} | |`,
  );
  console.log(
    `| projector pipelined, the next batch built while one is written, batches of ${fmt(PROJECTION_BATCH)} (${fmt(fixed.batches)} batches) | ${fmt(fixed.s, 2)} | ${fmt(TOTAL / fixed.s)} | ${fmt(sequentialS / fixed.s, 2)} × the baseline |`,
  );
  console.log(
    `| projector as the server runs it: pipelined, each full batch doubling the next up to ${fmt(PROJECTION_MAX_BATCH)} (${fmt(grown.batches)} batches) | ${fmt(foldS, 2)} | ${fmt(TOTAL / foldS)} | ${fmt(sequentialS / foldS, 2)} × the baseline, ${fmt(fixed.s / foldS, 2)} × fixed batches |`,
  );
  console.log(`| import and fold together | ${fmt(r.seconds + foldS, 2)} | ${fmt(TOTAL / (r.seconds + foldS))} | |`);
  console.log('');
  console.log(`target ≥ 0.5 × COPY: ${importRate / copyRate >= 0.5 ? 'met' : 'NOT met'}`);
  console.log('');
  console.log(`| table (${fmt(TOTAL)} dossiers over ${fmt(DAYS)} days; hourly rollups kept ${HOURLY_DAYS === 0 ? 'for ever' : `${HOURLY_DAYS} days`}) | MB | bytes a dossier |`);
  console.log('|---|---:|---:|');
  let total = 0;
  for (const z of sizes) {
    total += Number(z.bytes);
    console.log(`| ${z.table} | ${fmt(Number(z.bytes) / 1024 / 1024, 1)} | ${fmt(Number(z.bytes) / TOTAL)} |`);
  }
  console.log(`| all of them | ${fmt(total / 1024 / 1024, 1)} | ${fmt(total / TOTAL)} |`);
  await db.stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
