import 'reflect-metadata';
import { DEFAULT_RULES, KPI_IDS, type RuleDefinition, addDays, localDateOf } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { AlertEngine } from '../src/alerts/alert-engine.service.js';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/config.js';
import { KpiService } from '../src/kpi/kpi.service.js';
import { RunningStocks } from '../src/projection/running-stocks.js';
import { UnitsService } from '../src/units/units.service.js';
import { benchDatabase, fmt, percentile } from './bench-support.js';
import { generateHistory } from './history.js';

/**
 * npm run bench:alerts — one evaluation tick of every default rule for all 3,321
 * communes and 34 provinces, on 90 days of history at the demo feed's national
 * volume (generated once, kept in .data/pg-bench); then with twice and four
 * times as many rules. Baseline in the same run: the same on-time rule evaluated
 * unit by unit through the KPI query, as a per-unit engine would.
 */
const DOSSIERS = Number(process.env.BENCH_ALERT_DOSSIERS ?? 11_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const SAMPLE = 100;

/** More rules of the same kinds (other KPIs and windows, other thresholds), for the growth measurement. */
function moreRules(factor: number): RuleDefinition[] {
  const out: RuleDefinition[] = [...DEFAULT_RULES];
  for (let i = 1; out.length < DEFAULT_RULES.length * factor; i++) {
    for (const r of DEFAULT_RULES) {
      if (out.length >= DEFAULT_RULES.length * factor) break;
      const kpi = r.kind === 'kpi' ? KPI_IDS[(KPI_IDS.indexOf(r.kpi!) + i) % KPI_IDS.length]! : r.kpi;
      out.push({ ...r, id: `${r.id}-v${i}`, kpi, windowDays: r.windowDays ? r.windowDays + i : undefined });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const bench = await benchDatabase('ioc_bench_alerts', false);
  // Only the ticks run: no demo feed, no timer, and no notification passes (they would turn each tick's thousands of transitions into messages in this process meanwhile).
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DEMO_FEED: 'off',
    ALERT_EVALUATE_SECONDS: '0',
    NOTIFY_POLL_SECONDS: '0',
    INGEST_API_KEYS: 'bench-alerts-key-00',
    DB_POOL_SIZE: '8',
  });
  const app = await createApp(config, bench.url);
  await app.init();
  const db = app.get(DataSource);
  const units = app.get(UnitsService);
  await db.query('CREATE TABLE IF NOT EXISTS bench_meta (dossiers bigint NOT NULL, generated_until timestamptz NOT NULL)');
  const meta = (await db.query('SELECT dossiers, extract(epoch FROM generated_until) * 1000 AS until FROM bench_meta')) as { dossiers: string; until: string }[];
  let now = Date.now();
  let generated = false;
  if (Number(meta[0]?.dossiers ?? 0) < DOSSIERS) {
    generated = true;
    console.log(`generating ${fmt(DOSSIERS)} dossiers over 90 days with their rollups (hourly for the last 29 days), once; kept in .data/pg-bench…`);
    const n = await generateHistory(db, bench.url, units, { until: now, days: 90, dossiers: DOSSIERS, hourlyDays: 29 });
    // When each commune last delivered: most within the half hour, one in twenty silent for hours.
    await db.query(
      `INSERT INTO unit_activity (unit_code, province_code, last_ingested_at, last_occurred_at, events_total)
       SELECT code, province_code, t, t, 1000 FROM (
         SELECT code, province_code, $1::timestamptz - (CASE WHEN random() < 0.05 THEN 120 + random() * 360 ELSE random() * 30 END) * interval '1 minute' AS t FROM commune) c
       ON CONFLICT (unit_code) DO UPDATE SET last_ingested_at = excluded.last_ingested_at`,
      [new Date(now).toISOString()],
    );
    await db.query('DELETE FROM bench_meta');
    await db.query('INSERT INTO bench_meta VALUES ($1, $2)', [n, new Date(now).toISOString()]);
  } else {
    now = Number(meta[0]!.until);
  }
  // The history was written straight into dossier and rollups: the running stocks are computed from it,
  // as of the bench's "now" (a stock computed later, by the migration, cannot be moved back cheaply).
  const [state] = (await db.query('SELECT extract(epoch FROM as_of) * 1000 AS as_of FROM running_stock_state')) as { as_of: string }[];
  if (generated || !state || Number(state.as_of) > now) {
    const t0 = performance.now();
    await app.get(RunningStocks).rebuild(now);
    console.log(`running stocks computed from the dossier table in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  }
  const sizes = (await db.query(
    `SELECT (SELECT count(*) FROM dossier) AS dossiers, (SELECT count(*) FROM kpi_hourly) AS hourly, (SELECT count(*) FROM kpi_daily) AS daily,
            pg_size_pretty(pg_database_size(current_database())) AS size`,
  )) as Record<string, string>[];
  console.log(
    `data: ${fmt(Number(sizes[0]!.dossiers))} dossiers over 90 days; ${fmt(Number(sizes[0]!.daily))} daily and ${fmt(Number(sizes[0]!.hourly))} hourly rollup rows; database ${sizes[0]!.size}`,
  );
  console.log(`evaluating as of ${new Date(now).toISOString()} (${localDateOf(now)} Asia/Ho_Chi_Minh)\n`);

  const engine = app.get(AlertEngine);
  const rows: string[] = [];
  let defaultP95 = NaN;
  let widestP95 = NaN;
  for (const factor of [1, 2, 4]) {
    const rules = moreRules(factor);
    // CASCADE: tables of other features may refer to alerts.
    await db.query('TRUNCATE alert_event, alert, alert_state CASCADE');
    // The first tick starts every pending condition and writes its state; later ticks write what changes.
    const first = (await engine.evaluate(now, rules))!;
    const times: number[] = [];
    let evaluated = 0;
    let transitions = first.transitions;
    for (let i = 1; i <= RUNS; i++) {
      const r = (await engine.evaluate(now + i * 5 * 60_000, rules))!;
      times.push(r.ms);
      evaluated = r.evaluated;
      transitions += r.transitions;
    }
    times.sort((a, b) => a - b);
    const [{ active }] = (await db.query(`SELECT count(*)::int AS active FROM alert WHERE status = 'active'`)) as { active: number }[];
    if (factor === 1) defaultP95 = percentile(times, 95);
    if (factor === 4) widestP95 = percentile(times, 95);
    rows.push(`| ${rules.length} | ${fmt(evaluated)} | ${fmt(first.ms, 0)} | ${fmt(percentile(times, 50), 0)} | ${fmt(percentile(times, 95), 0)} | ${fmt(transitions)} | ${fmt(active)} |`);
  }

  // Baseline: one rule (commune on-time over 7 days) unit by unit, as a per-unit engine would ask.
  const kpi = app.get(KpiService);
  const communes = units.allCommunes();
  const today = localDateOf(now);
  const t0 = performance.now();
  for (let i = 0; i < SAMPLE; i++) {
    await kpi.kpis({ scope: `commune:${communes[Math.floor((i * communes.length) / SAMPLE)]!.code}`, from: addDays(today, -6), to: today }, now);
  }
  const perUnit = (performance.now() - t0) / SAMPLE;

  console.log('| rules | rule × unit pairs | first tick ms | tick p50 ms | tick p95 ms | transitions | active alerts at the end |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
  console.log(`\nbaseline: the on-time rule alone, one KPI query per commune: ${fmt(perUnit, 1)} ms per commune × ${fmt(communes.length)} = ${fmt((perUnit * communes.length) / 1000, 1)} s per tick`);
  console.log(`target: ≤ 200 ms per tick with the default rules: ${defaultP95 <= 200 ? 'met' : 'NOT met'} (p95 ${fmt(defaultP95, 0)} ms)`);
  console.log(`target: ≤ 400 ms per tick with ${DEFAULT_RULES.length * 4} rules: ${widestP95 <= 400 ? 'met' : 'NOT met'} (p95 ${fmt(widestP95, 0)} ms)`);
  await app.close();
  await bench.stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
