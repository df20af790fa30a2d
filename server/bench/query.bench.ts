import 'reflect-metadata';
import { DAY_MS, addDays, bucketStart, commonIndexPoints, localDateOf } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/config.js';
import { KpiService } from '../src/kpi/kpi.service.js';
import { UnitsService } from '../src/units/units.service.js';
import { benchDatabase, fmt } from './bench-support.js';
import { generateHistory, timeIt } from './history.js';

/**
 * npm run bench:query — with ≥ 20 million dossiers of history (365 days, all
 * 3,321 communes; generated once and kept in .data/pg-bench), p50/p95 of a
 * province's 365-day daily series and of a national monthly ranking of all
 * communes, next to the same figures aggregated straight from the dossier table;
 * the ranking by the kpi-v2 index next to the same ranking with nothing kept
 * from earlier requests.
 */
const TARGET = Number(process.env.BENCH_DOSSIERS ?? 20_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

async function main(): Promise<void> {
  const bench = await benchDatabase(process.env.BENCH_QUERY_DB ?? 'ioc_bench_query', false);
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
    dossiers = await generateHistory(db, bench.url, units, { until: now, days: 365, dossiers: TARGET, hourlyDays: 0 });
    await db.query('DELETE FROM bench_meta');
    await db.query('INSERT INTO bench_meta VALUES ($1, $2)', [dossiers, new Date(now).toISOString()]);
  } else {
    // Query as of the moment the data was generated, so "today" is its last day.
    now = Number(meta[0]!.until);
  }
  const sizes = (await db.query(
    `SELECT (SELECT count(*) FROM dossier) AS dossiers, (SELECT count(*) FROM kpi_daily) AS daily, (SELECT count(*) FROM kpi_hourly) AS hourly,
            (SELECT count(*) FROM kpi_monthly) AS monthly, (SELECT count(*) FROM kpi_deferred) AS deferred, (SELECT count(*) FROM kpi_fee_procedure) AS fee, pg_size_pretty(pg_database_size(current_database())) AS size`,
  )) as Record<string, string>[];
  console.log(
    `data: ${fmt(Number(sizes[0]!.dossiers))} dossiers; rollup rows: ${fmt(Number(sizes[0]!.daily))} daily, ${fmt(Number(sizes[0]!.hourly))} hourly, ${fmt(Number(sizes[0]!.monthly))} monthly, ${fmt(Number(sizes[0]!.deferred))} deferred; ${fmt(Number(sizes[0]!.fee))} fee-bearing procedure rows (3.5b); database ${sizes[0]!.size}`,
  );

  // Every unit has delivered, and nine in ten send `synced` events: 1.4's denominator then reads the rows of the others.
  await db.query(
    `INSERT INTO unit_activity (unit_code, province_code, last_ingested_at, last_occurred_at, events_total)
     SELECT code, province_code, $1, $1, 1 FROM commune ON CONFLICT (unit_code) DO NOTHING`,
    [new Date(now).toISOString()],
  );
  await db.query(
    `INSERT INTO unit_sync (unit_code, province_code, first_synced_at)
     SELECT code, province_code, $1 FROM commune WHERE right(code, 1) <> '7' ON CONFLICT (unit_code) DO NOTHING`,
    [new Date(now - 366 * DAY_MS).toISOString()],
  );
  const today = localDateOf(now);
  const provinces = units.listProvinces().map((p) => p.code);
  const lastMonthStart = localDateOf(bucketStart(bucketStart(now, 'month') - 1, 'month'));
  const lastMonthEnd = addDays(localDateOf(bucketStart(now, 'month')), -1);

  const series = await timeIt(RUNS, (i) => kpi.series({ scope: `province:${provinces[i % provinces.length]}`, from: addDays(today, -364), to: today, granularity: 'day' }, now));
  const ranking = await timeIt(RUNS, () => kpi.rankings({ scope: 'nation', level: 'commune', by: 'points', from: lastMonthStart, to: lastMonthEnd }, now));
  const rankingLive = await timeIt(RUNS, () => kpi.rankings({ scope: 'nation', level: 'commune', by: 'onTime', from: localDateOf(bucketStart(now, 'month')), to: today }, now));
  const rankingIndex = await timeIt(RUNS, () => kpi.rankings({ scope: 'nation', level: 'commune', by: 'index', from: lastMonthStart, to: lastMonthEnd }, now));
  const rankingIndexLive = await timeIt(RUNS, () => kpi.rankings({ scope: 'nation', level: 'commune', by: 'index', from: localDateOf(bucketStart(now, 'month')), to: today }, now));
  // The same ranking with nothing kept from earlier requests (the first one, or the first after a late event for the month).
  const lastMonth = kpi.periodOf(lastMonthStart, lastMonthEnd, now);
  const rankingIndexCold = await timeIt(Math.max(5, Math.floor(RUNS / 4)), async () =>
    commonIndexPoints((await kpi.unitFigures({ kind: 'nation' }, 'commune', lastMonth, undefined, undefined, true)).map((u) => u.figures.indexV2!)),
  );
  const nationKpis = await timeIt(RUNS, (i) => kpi.kpis({ scope: i % 2 === 0 ? 'nation' : `province:${provinces[i % provinces.length]}`, from: addDays(today, -29), to: today }, now));

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
  console.log(
    `| province 365-day daily series (all KPIs, 365 points) | ${fmt(series.p50, 1)} | ${fmt(series.p95, 1)} | 50 | ${fmt(seriesBase.p50, 0)} / ${fmt(seriesBase.p95, 0)} (received & online only) |`,
  );
  console.log(
    `| national monthly ranking, 3,321 communes, by points | ${fmt(ranking.p50, 1)} | ${fmt(ranking.p95, 1)} | 150 | ${fmt(rankingBase.p50, 0)} / ${fmt(rankingBase.p95, 0)} (three counts only) |`,
  );
  console.log(`| national month-to-date ranking (live, by onTime) | ${fmt(rankingLive.p50, 1)} | ${fmt(rankingLive.p95, 1)} | — | — |`);
  console.log(
    `| national monthly ranking, 3,321 communes, by kpi-v2 index | ${fmt(rankingIndex.p50, 1)} | ${fmt(rankingIndex.p95, 1)} | 150 | ${fmt(rankingIndexCold.p50, 0)} / ${fmt(rankingIndexCold.p95, 0)} (nothing kept from earlier requests) |`,
  );
  console.log(`| national month-to-date ranking (live, by kpi-v2 index) | ${fmt(rankingIndexLive.p50, 1)} | ${fmt(rankingIndexLive.p95, 1)} | — | — |`);
  console.log(`| KPIs and kpi-v2 index of the nation or a province, last 30 days (live) | ${fmt(nationKpis.p50, 1)} | ${fmt(nationKpis.p95, 1)} | — | — |`);
  await app.close();
  await bench.stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
