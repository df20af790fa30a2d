import 'reflect-metadata';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ContributionSink, DAY_MS, type DossierFacts, mulberry32, addDays, bucketStart, contribute, localDateOf, nextBucket, overdueWhileOpenFrom } from '@ioc/shared';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { createApp } from '../app.factory.js';
import { loadConfig } from '../config/config.js';
import { RollupAccumulator } from '../kpi/rollup-accumulator.js';
import { KpiService } from '../kpi/kpi.service.js';
import { UnitsService } from '../units/units.service.js';
import { benchDatabase, fmt, percentile } from './bench-support.js';

/**
 * npm run bench:query — with ≥ 20 million dossiers of history (365 days, all
 * 3,321 communes; generated once and kept in .data/pg-bench), p50/p95 of a
 * province's 365-day daily series and of a national monthly ranking of all
 * communes, next to the same figures aggregated straight from the dossier table.
 */
const TARGET = Number(process.env.BENCH_DOSSIERS ?? 20_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);


const tsv = (v: string | null) => (v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Synthesises dossier facts directly (the ingest path is measured by bench:ingest) and writes them with their rollups. */
async function generate(db: DataSource, url: string, units: UnitsService, until: number): Promise<number> {
  const communes = units.allCommunes();
  const rnd = mulberry32(42);
  const weight = communes.map((c) => (c.type === 'phường' ? 2.2 : 1) * Math.exp(rnd() * 1.6));
  const totalWeight = weight.reduce((s, w) => s + w, 0);
  const startDay = bucketStart(until, 'day') - 365 * DAY_MS;
  const perDay = TARGET / 365;
  const online = new Map(units.listProvinces().map((p) => [p.code, 0.15 + rnd() * 0.7]));
  const provinceOf = (u: string) => units.provinceOfUnit(u)!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await db.query('TRUNCATE dossier, kpi_hourly, kpi_daily, kpi_monthly, kpi_deferred');
  let n = 0;
  const t0 = Date.now();
  let acc = new RollupAccumulator(provinceOf);
  // Hourly rollups are left out: these queries never read them, and they are most of the generation time.
  const withoutHours: ContributionSink = {
    add: (g, u, b, f, d) => g !== 'hour' && acc.add(g, u, b, f, d),
    addDeferred: (g, u, c, a, f, d) => acc.addDeferred(g, u, c, a, f, d),
  };
  const flush = async () => {
    await db.transaction((m) => acc.flush(m));
    acc = new RollupAccumulator(provinceOf);
  };
  for (let month = bucketStart(startDay, 'month'); month < until; month = nextBucket(month, 'month')) {
    for (let day = Math.max(month, startDay); day < Math.min(nextBucket(month, 'month'), until); day += DAY_MS) {
      const lines: string[] = [];
      const weekend = new Date(day + 7 * 3_600_000).getUTCDay() % 6 === 0;
      for (let ci = 0; ci < communes.length; ci++) {
        const c = communes[ci]!;
        const mean = ((perDay * weight[ci]!) / totalWeight) * (weekend ? 0.28 : 1.31);
        const count = Math.floor(mean + rnd());
        for (let k = 0; k < count; k++) {
          const r = day + (7.5 + rnd() * 9.5) * 3_600_000;
          if (r >= until) continue;
          const due = r + (1 + Math.floor(rnd() * 10)) * DAY_MS;
          const late = rnd() < 0.06;
          const c0 = late ? due + rnd() * 4 * DAY_MS : r + rnd() * (due - r);
          const done = c0 < until ? c0 : null;
          const id = `B${n++}`;
          const resultRequired = rnd() < 0.6;
          const f: DossierFacts = {
            dossierId: id,
            unitCode: c.code,
            received: {
              at: r,
              id: `${id}-r`,
              channel: rnd() < online.get(c.provinceCode)! ? 'online' : 'direct',
              fullOnlineEligible: rnd() < 0.5,
              resultRequired,
              feeRequired: rnd() < 0.4,
              dueAt: due,
              procedureCode: '1.001193',
              sector: 'Hộ tịch',
            },
            completed: done === null ? null : { at: done, id: `${id}-c`, outcome: rnd() < 0.95 ? 'resolved' : 'rejected' },
            supplements: [],
            supplementCount: 0,
            digitizedAt: rnd() < 0.7 ? r + 600_000 : null,
            eResultAt: done !== null && resultRequired && rnd() < 0.75 ? done : null,
            paidOnlineAt: rnd() < 0.5 ? r : null,
            complaintAt: done !== null && rnd() < 0.01 ? done + DAY_MS : null,
            rating: null,
          };
          if (f.complaintAt !== null && f.complaintAt >= until) f.complaintAt = null;
          contribute(f, 1, withoutHours);
          lines.push(
            [id, c.code, c.provinceCode, iso(r), iso(due), iso(done), iso(overdueWhileOpenFrom(f)), JSON.stringify(f)].map(tsv).join('\t'),
          );
        }
      }
      await pipeline(
        Readable.from((function* () {
          for (let i = 0; i < lines.length; i += 10000) yield lines.slice(i, i + 10000).join('\n') + '\n';
        })()),
        client.query(copyFrom('COPY dossier (dossier_id, unit_code, province_code, received_at, due_at, completed_at, overdue_at, facts) FROM STDIN')),
      );
      if (acc.size > 400_000) await flush();
    }
    console.log(`  ${localDateOf(month).slice(0, 7)}: ${fmt(n)} dossiers so far (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  await flush();
  await client.end();
  await db.query('ANALYZE');
  return n;
}

async function timeIt(runs: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main(): Promise<void> {
  const bench = await benchDatabase('ioc_bench_query', false);
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn', DEMO_FEED: 'off', INGEST_API_KEYS: 'bench-query-key-000', DB_POOL_SIZE: '8' });
  const app = await createApp(config, bench.url);
  await app.init();
  const db = app.get(DataSource);
  const units = app.get(UnitsService);
  const kpi = app.get(KpiService);
  await db.query('CREATE TABLE IF NOT EXISTS bench_meta (dossiers bigint NOT NULL, generated_until timestamptz NOT NULL)');
  const meta = (await db.query('SELECT dossiers, extract(epoch FROM generated_until) * 1000 AS until FROM bench_meta')) as { dossiers: string; until: string }[];
  let now = Date.now();
  let dossiers = Number(meta[0]?.dossiers ?? 0);
  if (dossiers < TARGET) {
    console.log(`generating ${fmt(TARGET)} dossiers over 365 days with their daily and monthly rollups (once; kept in .data/pg-bench)…`);
    dossiers = await generate(db, bench.url, units, now);
    await db.query('DELETE FROM bench_meta');
    await db.query('INSERT INTO bench_meta VALUES ($1, $2)', [dossiers, new Date(now).toISOString()]);
  } else {
    // Query as of the moment the data was generated, so "today" is its last day.
    now = Number(meta[0]!.until);
  }
  const sizes = (await db.query(
    `SELECT (SELECT count(*) FROM dossier) AS dossiers, (SELECT count(*) FROM kpi_daily) AS daily, (SELECT count(*) FROM kpi_hourly) AS hourly,
            (SELECT count(*) FROM kpi_monthly) AS monthly, (SELECT count(*) FROM kpi_deferred) AS deferred, pg_size_pretty(pg_database_size(current_database())) AS size`,
  )) as Record<string, string>[];
  console.log(`data: ${fmt(Number(sizes[0]!.dossiers))} dossiers; rollup rows: ${fmt(Number(sizes[0]!.daily))} daily, ${fmt(Number(sizes[0]!.hourly))} hourly, ${fmt(Number(sizes[0]!.monthly))} monthly, ${fmt(Number(sizes[0]!.deferred))} deferred; database ${sizes[0]!.size}`);

  const today = localDateOf(now);
  const provinces = units.listProvinces().map((p) => p.code);
  const lastMonthStart = localDateOf(bucketStart(bucketStart(now, 'month') - 1, 'month'));
  const lastMonthEnd = addDays(localDateOf(bucketStart(now, 'month')), -1);

  const series = await timeIt(RUNS, (i) => kpi.series({ scope: `province:${provinces[i % provinces.length]}`, from: addDays(today, -364), to: today, granularity: 'day' }, now));
  const ranking = await timeIt(RUNS, () => kpi.rankings({ scope: 'nation', level: 'commune', by: 'points', from: lastMonthStart, to: lastMonthEnd }, now));
  const rankingLive = await timeIt(RUNS, () => kpi.rankings({ scope: 'nation', level: 'commune', by: 'onTime', from: localDateOf(bucketStart(now, 'month')), to: today }, now));

  // Baseline: the same questions answered straight from the dossier table, as a system without rollups would.
  const base = Math.max(5, Math.floor(RUNS / 8));
  const seriesBase = await timeIt(base, (i) =>
    db.query(
      `SELECT date_trunc('day', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS d, count(*), count(*) FILTER (WHERE facts->'received'->>'channel' = 'online')
       FROM dossier WHERE province_code = $1 AND received_at >= $2 GROUP BY 1`,
      [provinces[i % provinces.length], new Date(now - 365 * DAY_MS).toISOString()],
    ),
  );
  const rankingBase = await timeIt(base, () =>
    db.query(
      `SELECT unit_code, count(*) FILTER (WHERE received_at >= $1) AS received,
              count(*) FILTER (WHERE completed_at >= $1 AND completed_at < $2) AS resolved,
              count(*) FILTER (WHERE received_at < $2 AND (completed_at IS NULL OR completed_at >= $2)) AS open
       FROM dossier WHERE received_at < $2 AND (completed_at IS NULL OR completed_at >= $1) GROUP BY unit_code`,
      [new Date(Date.parse(`${lastMonthStart}T00:00:00+07:00`)).toISOString(), new Date(Date.parse(`${lastMonthEnd}T00:00:00+07:00`) + DAY_MS).toISOString()],
    ),
  );

  console.log('');
  console.log('| query | p50 ms | p95 ms | target p95 | baseline from dossier table p50 / p95 ms |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| province 365-day daily series (all KPIs, 365 points) | ${fmt(series.p50, 1)} | ${fmt(series.p95, 1)} | 50 | ${fmt(seriesBase.p50, 0)} / ${fmt(seriesBase.p95, 0)} (received & online only) |`);
  console.log(`| national monthly ranking, 3,321 communes, by points | ${fmt(ranking.p50, 1)} | ${fmt(ranking.p95, 1)} | 150 | ${fmt(rankingBase.p50, 0)} / ${fmt(rankingBase.p95, 0)} (three counts only) |`);
  console.log(`| national month-to-date ranking (live, by onTime) | ${fmt(rankingLive.p50, 1)} | ${fmt(rankingLive.p95, 1)} | — | — |`);
  await app.close();
  await bench.stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
