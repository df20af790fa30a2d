import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ContributionSink, DAY_MS, type DossierChange, type DossierFacts, bucketStart, contribute, localDateOf, mulberry32, nextBucket, overdueWhileOpenFrom } from '@ioc/shared';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { foldFeeProcedures } from '../src/projection/fee-procedures.js';
import { RollupAccumulator } from '../src/projection/rollup-accumulator.js';
import type { UnitsService } from '../src/units/units.service.js';
import { fmt, percentile } from './bench-support.js';

const tsv = (v: string | null) => (v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Procedure codes of a commune's one-stop office (civil status, land, business, social protection…). */
const PROCEDURE_CODES = Array.from({ length: 26 }, (_, i) => `1.00${String(1000 + i * 37).padStart(4, '0')}`);

/** Synthesises dossier facts directly (the ingest path is measured by bench:ingest) and writes them with their rollups. */
export interface HistoryOptions {
  /** The generated history ends here (its "now"). */
  until: number;
  days: number;
  dossiers: number;
  /** Hourly rollups only for the last this many days (0: none; they are most of the generation time). */
  hourlyDays: number;
}

export async function generateHistory(db: DataSource, url: string, units: UnitsService, o: HistoryOptions): Promise<number> {
  const { until } = o;
  const communes = units.allCommunes();
  const rnd = mulberry32(42);
  const weight = communes.map((c) => (c.type === 'phường' ? 2.2 : 1) * Math.exp(rnd() * 1.6));
  const totalWeight = weight.reduce((s, w) => s + w, 0);
  const startDay = bucketStart(until, 'day') - o.days * DAY_MS;
  const perDay = o.dossiers / o.days;
  const hoursFrom = bucketStart(until, 'day') - o.hourlyDays * DAY_MS;
  const online = new Map(units.listProvinces().map((p) => [p.code, 0.15 + rnd() * 0.7]));
  const provinceOf = (u: string) => units.provinceOfUnit(u)!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await db.query('TRUNCATE dossier, kpi_hourly, kpi_daily, kpi_monthly, kpi_deferred, kpi_fee_procedure, kpi_fee_summary, kpi_fee_month');
  let n = 0;
  const t0 = Date.now();
  let acc = new RollupAccumulator(provinceOf);
  // Hourly rollups only where asked: they are most of the generation time.
  const sink: ContributionSink = {
    add: (g, u, b, f, d) => (g !== 'hour' || b >= hoursFrom) && acc.add(g, u, b, f, d),
    addDeferred: (g, u, c, a, f, d) => acc.addDeferred(g, u, c, a, f, d),
  };
  const flush = async () => {
    await db.transaction((m) => acc.flush(m));
    acc = new RollupAccumulator(provinceOf);
  };
  for (let month = bucketStart(startDay, 'month'); month < until; month = nextBucket(month, 'month')) {
    for (let day = Math.max(month, startDay); day < Math.min(nextBucket(month, 'month'), until); day += DAY_MS) {
      const lines: string[] = [];
      const fee: DossierChange[] = [];
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
              // A few procedures make most dossiers, as in a one-stop office.
              procedureCode: PROCEDURE_CODES[Math.floor(PROCEDURE_CODES.length * rnd() ** 2)]!,
              sector: 'Hộ tịch',
              reusedDigitizedData: rnd() < 0.5,
              citizenDataUsed: rnd() < 0.6,
              fromCitizenStore: rnd() < 0.3,
            },
            completed: done === null ? null : { at: done, id: `${id}-c`, outcome: rnd() < 0.95 ? 'resolved' : 'rejected' },
            supplements: [],
            supplementCount: 0,
            digitizedAt: rnd() < 0.7 ? r + 600_000 : null,
            eResultAt: done !== null && resultRequired && rnd() < 0.75 ? done : null,
            paidOnlineAt: rnd() < 0.5 ? r : null,
            complaintAt: done !== null && rnd() < 0.01 ? done + DAY_MS : null,
            rating: null,
            ratings: [],
            syncedAt: r + 3_600_000 < until && rnd() < 0.95 ? r + 3_600_000 : null,
            storeSyncedAt: null,
            storeNotSyncedAt: null,
          };
          if (f.complaintAt !== null && f.complaintAt >= until) f.complaintAt = null;
          contribute(f, 1, sink);
          if (f.received!.feeRequired) fee.push({ before: null, after: f });
          lines.push(
            // updated_at: when the dossier's latest event arrived (no column default since the log-first migration).
            [id, c.code, c.provinceCode, iso(r), iso(due), iso(done), iso(overdueWhileOpenFrom(f)), JSON.stringify(f), iso(done ?? r)].map(tsv).join('\t'),
          );
        }
      }
      await pipeline(
        Readable.from(
          (function* () {
            for (let i = 0; i < lines.length; i += 10000) yield lines.slice(i, i + 10000).join('\n') + '\n';
          })(),
        ),
        client.query(copyFrom('COPY dossier (dossier_id, unit_code, province_code, received_at, due_at, completed_at, overdue_at, facts, updated_at) FROM STDIN')),
      );
      await db.transaction((m) => foldFeeProcedures(m, fee, provinceOf));
      if (acc.size > 400_000) await flush();
    }
    console.log(`  ${localDateOf(month).slice(0, 7)}: ${fmt(n)} dossiers so far (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  await flush();
  await client.end();
  await db.query('ANALYZE');
  return n;
}

export async function timeIt(runs: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
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
