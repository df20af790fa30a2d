import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DAY_MS,
  type DossierEvent,
  countFeeProcedures,
  feeProcedureEntry,
  mulberry32,
  type KpiResponse,
  type RankingResponse,
  type SeriesResponse,
  computeIndexPoints,
  computeKpis,
  evaluatePeriod,
  startOfLocalDate,
} from '@ioc/shared';
import { type DossierSpec, eventsOf, foldEvents } from '../../shared/src/kpi/test-dossiers.js';
import { FILL_FEE_PROCEDURES, FILL_FEE_SUMMARIES } from '../../migrations/1765958400000-fee-procedures.js';
import { DERIVED_TABLES, rebuildProjection } from '../src/projection/rebuild.js';
import { prepareBatch, projectPipelined, writeBatch } from '../src/projection/projector.js';
import { DOSSIER_PROJECTION } from '../src/ingest/projection-state.js';
import { ProjectionService } from '../src/projection/projection.service.js';
import { UnitsService } from '../src/units/units.service.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/** Fee-bearing dossiers of a few procedures, so 3.5b's distinct counts differ from dossier counts. */
const PROCEDURES = ['1.001193', '2.000001', '2.000002', '3.000003'];
const UNITS = ['00004', '00008', '00025', '25270', '25357']; // three in Hà Nội (01), two in Đồng Nai (75)
const local = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);

/** Random dossiers from late January to early April 2026, every rule exercised. */
function randomSpecs(n: number, rnd: () => number): DossierSpec[] {
  const t0 = Date.parse('2026-01-25T00:00:00+07:00');
  const span = 70 * DAY_MS;
  return Array.from({ length: n }, (_, i) => {
    const r = t0 + Math.floor(rnd() * span);
    const due = r + Math.floor((0.2 + rnd() * 8) * DAY_MS);
    const done = rnd() < 0.8 ? r + Math.floor(rnd() * 12 * DAY_MS) : undefined;
    const sup = rnd();
    const supplements = sup < 0.1 ? [local(r + 3_600_000)] : sup < 0.15 ? [local(r + 3_600_000), local(r + 5 * 3_600_000)] : [];
    const resultRequired = rnd() < 0.6;
    return {
      id: `R${i}`,
      procedure: PROCEDURES[i % PROCEDURES.length],
      unit: UNITS[Math.floor(rnd() * UNITS.length)],
      received: local(r),
      due: local(due),
      channel: rnd() < 0.45 ? 'online' : rnd() < 0.2 ? 'postal' : 'direct',
      fullOnlineEligible: rnd() < 0.5,
      resultRequired,
      feeRequired: rnd() < 0.4,
      supplements,
      completed: done ? local(Math.max(done, r + 60_000)) : undefined,
      outcome: rnd() < 0.9 ? 'resolved' : rnd() < 0.5 ? 'rejected' : 'stopped',
      digitized: rnd() < 0.8 ? local(r + Math.floor(rnd() * 2 * DAY_MS)) : undefined,
      resultIssued: done && resultRequired ? { at: local(done + Math.floor(rnd() * 3 * DAY_MS)), electronic: rnd() < 0.7 } : undefined,
      paid: rnd() < 0.5 ? { at: local(r + Math.floor(rnd() * 5 * DAY_MS)), online: rnd() < 0.6 } : undefined,
      rated: done && rnd() < 0.3 ? { at: local(done + Math.floor(rnd() * 4 * DAY_MS)), satisfied: rnd() < 0.8, complaint: rnd() < 0.2 } : undefined,
    } satisfies DossierSpec;
  });
}

let t: TestApp;
const rnd = mulberry32(20260301);
const events: DossierEvent[] = randomSpecs(600, rnd).flatMap(eventsOf);
const http = () => t.http;

async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['kpi_hourly', 'kpi_daily', 'kpi_monthly', 'kpi_deferred', 'kpi_fee_procedure', 'kpi_fee_summary', 'kpi_fee_month']) {
    const rows = (await t.db.query(`SELECT * FROM ${table}`)) as Record<string, unknown>[];
    out[table] = rows
      .filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'number' && v !== 0 && k !== 'grain'))
      .map((r) => JSON.stringify(r))
      .sort();
  }
  // Every column of the dossier table, as stored.
  out.dossier = ((await t.db.query(`SELECT * FROM dossier`)) as unknown[]).map((r) => JSON.stringify(r)).sort();
  out.unit_activity = ((await t.db.query(`SELECT * FROM unit_activity`)) as unknown[]).map((r) => JSON.stringify(r)).sort();
  return out;
}

beforeAll(async () => {
  t = await startTestApp();
  // Shuffled, in random batch sizes, with replays: out of order and late by construction.
  const shuffled = [...events].sort(() => rnd() - 0.5);
  const replays = shuffled.filter(() => rnd() < 0.05);
  const stream = [...shuffled, ...replays];
  for (let i = 0; i < stream.length;) {
    const size = 1 + Math.floor(rnd() * 400);
    const res = await http()
      .post('/api/v1/events?wait=projected')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ events: stream.slice(i, i + size) });
    expect(res.status).toBe(200);
    expect(res.body.rejected).toBe(0);
    i += size;
  }
});
afterAll(async () => {
  await t?.close();
});

const PERIODS: [string, string][] = [
  ['2026-02-01', '2026-02-28'], // a whole month
  ['2026-01-25', '2026-04-05'], // days, whole months, days
  ['2026-02-10', '2026-03-20'], // days, a whole month, days
  ['2026-03-03', '2026-03-03'], // one day
  ['2026-02-01', '2026-03-31'], // two whole months: deferred across months
  ['2026-03-14', '2026-03-20'], // seven days
];
const SCOPES = ['nation', 'province:01', 'province:75', 'commune:00004', 'commune:25357'];
const inScope = (scope: string, unit: string) => scope === 'nation' || (scope.startsWith('province:') ? (scope.endsWith('01') ? unit.startsWith('000') : unit.startsWith('25')) : scope.endsWith(unit));

describe('KPI engine against the rules on random data', () => {
  const facts = () => foldEvents(events);

  it.each(SCOPES.flatMap((s) => PERIODS.map(([f, to]) => [s, f, to] as const)))('GET /kpis %s %s..%s equals the rules', async (scope, from, to) => {
    const res = await http().get('/api/v1/kpis').query({ scope, from, to });
    const want = computeKpis(
      evaluatePeriod(
        facts().filter((f) => inScope(scope, f.unitCode)),
        startOfLocalDate(from),
        startOfLocalDate(to) + DAY_MS,
      ),
    );
    expect((res.body as KpiResponse).counts).toEqual(want.counts);
    expect((res.body as KpiResponse).kpis).toEqual(want.kpis);
    // 3.5b counts distinct procedures per unit, not dossiers: the same rule over the same dossiers.
    const fee = countFeeProcedures(
      facts()
        .filter((f) => inScope(scope, f.unitCode))
        .flatMap((f) => feeProcedureEntry(f) ?? []),
      startOfLocalDate(from),
      startOfLocalDate(to) + DAY_MS,
    );
    const s35b = (res.body as KpiResponse).indexV2!.groups.flatMap((g) => g.subIndicators).find((x) => x.id === '3.5b')!;
    if (scope === 'nation') expect(fee.feeProceduresReceived).toBeGreaterThan(0);
    expect({ numerator: s35b.numerator, denominator: s35b.denominator }).toEqual({ numerator: fee.feeProceduresPaidOnline, denominator: fee.feeProceduresReceived });
  });

  it.each([
    ['day', '2026-02-20', '2026-03-10'],
    ['month', '2026-01-01', '2026-04-30'],
    ['hour', '2026-03-02', '2026-03-03'],
  ])('GET /kpis/series by %s equals the rules bucket by bucket', async (granularity, from, to) => {
    const res = await http().get('/api/v1/kpis/series').query({ scope: 'province:01', from, to, granularity });
    expect(res.status).toBe(200);
    const body = res.body as SeriesResponse;
    expect(body.points.length).toBeGreaterThan(1);
    const f = facts().filter((x) => inScope('province:01', x.unitCode));
    for (const p of body.points) {
      const start = Date.parse(p.start);
      const want = computeKpis(evaluatePeriod(f, start, Date.parse(p.asOf)));
      expect({ label: p.label, counts: p.counts, kpis: p.kpis }).toEqual({ label: p.label, ...want });
    }
  });

  it('GET /rankings ranks communes with their points lost, from the same numbers', async () => {
    const res = await http().get('/api/v1/rankings').query({ scope: 'province:01', from: '2026-02-01', to: '2026-02-28', by: 'points' });
    const body = res.body as RankingResponse;
    expect(body.entries.length).toBeGreaterThan(100); // every commune of Hà Nội, with or without data
    const ranked = body.entries.filter((e) => e.rank !== null);
    expect(ranked.map((e) => e.unitCode).sort()).toEqual(['00004', '00008', '00025']);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.value!).toBeGreaterThanOrEqual(ranked[i]!.value!);
    for (const e of ranked) {
      const p = evaluatePeriod(
        facts().filter((f) => f.unitCode === e.unitCode),
        startOfLocalDate('2026-02-01'),
        startOfLocalDate('2026-03-01'),
      );
      expect(e.index).toEqual(computeIndexPoints(p));
      expect(e.value).toBe(computeIndexPoints(p).score);
    }
    expect(body.entries.at(-1)!.rank).toBeNull();
    // Each row says its kind of unit, so a commune finds peers of its own kind.
    const typeOf = (code: string) => body.entries.find((e) => e.unitCode === code)!.unitType;
    expect([typeOf('00004'), typeOf('00376')]).toEqual(['phường', 'xã']);
    const provinces = (await http().get('/api/v1/rankings').query({ scope: 'nation', level: 'province', from: '2026-02-01', to: '2026-02-28' })).body as RankingResponse;
    expect(provinces.entries.find((e) => e.unitCode === '01')!.unitType).toBe('thành phố');
    expect(new Set(provinces.entries.map((e) => e.unitType))).toEqual(new Set(['tỉnh', 'thành phố']));
  });

  it("the upgrade fills 3.5b's fee-bearing procedures from the stored dossiers exactly as the projector keeps them", async () => {
    const kept = await snapshot();
    expect(kept.kpi_fee_procedure!.length).toBeGreaterThan(0);
    expect(kept.kpi_fee_summary!.length).toBeGreaterThan(0);
    await t.db.transaction(async (m) => {
      await m.query(`DELETE FROM kpi_fee_procedure`);
      await m.query(`DELETE FROM kpi_fee_summary`);
      await m.query(`DELETE FROM kpi_fee_month`);
      await m.query(FILL_FEE_PROCEDURES);
      for (const sql of FILL_FEE_SUMMARIES) await m.query(sql);
    });
    const filled = await snapshot();
    expect(filled.kpi_fee_procedure).toEqual(kept.kpi_fee_procedure);
    expect(filled.kpi_fee_summary).toEqual(kept.kpi_fee_summary);
    expect(filled.kpi_fee_month).toEqual(kept.kpi_fee_month);
  });

  it('rebuilding every rollup from the raw events gives exactly the incremental result', async () => {
    const incremental = await snapshot();
    expect(incremental.kpi_deferred!.length).toBeGreaterThan(0);
    expect(incremental.kpi_fee_procedure!.length).toBeGreaterThan(0);
    const r = await rebuildProjection(t.db);
    expect(r.dossiers).toBe(600);
    const rebuilt = await snapshot();
    for (const table of Object.keys(incremental)) expect({ table, rows: rebuilt[table] }).toEqual({ table, rows: incremental[table] });
  });

  it('the projector building each batch while the one before is written gives exactly the incremental result', async () => {
    const incremental = await snapshot();
    const projection = t.app.get(ProjectionService);
    const units = t.app.get(UnitsService);
    const provinceOf = (u: string) => units.provinceOfUnit(u)!;
    await projection.stop();
    try {
      await t.db.query(`TRUNCATE ${DERIVED_TABLES.join(', ')}`);
      await t.db.query(`UPDATE projection_state SET watermark = 0, watermark_ingested_at = NULL, events_projected = 0 WHERE name = $1`, [DOSSIER_PROJECTION]);
      // Small batches of the shuffled log: most dossiers have events in consecutive batches, so a batch is
      // often built from dossier states the batch before has not committed yet.
      let batches = 0;
      await projectPipelined(t.db, provinceOf, { limit: 37, maxLimit: 37, onBatch: () => batches++ });
      expect(batches).toBeGreaterThan(50);
      // Dossiers with events in two consecutive batches: those built on the state of a batch not yet committed.
      const [{ spanning }] = (await t.db.query(
        `WITH x AS (SELECT dossier_id, (row_number() OVER (ORDER BY seq) - 1) / 37 AS b FROM ingest_event)
         SELECT count(DISTINCT a.dossier_id)::int AS spanning FROM x a JOIN x c ON c.dossier_id = a.dossier_id AND c.b = a.b + 1`,
      )) as { spanning: number }[];
      expect(spanning).toBeGreaterThan(0);
      const pipelined = await snapshot();
      for (const table of Object.keys(incremental)) expect({ table, rows: pipelined[table] }).toEqual({ table, rows: incremental[table] });

      // A catch-up: each full batch doubles the next, up to the largest; the result is the same.
      await t.db.query(`TRUNCATE ${DERIVED_TABLES.join(', ')}`);
      await t.db.query(`UPDATE projection_state SET watermark = 0, watermark_ingested_at = NULL, events_projected = 0 WHERE name = $1`, [DOSSIER_PROJECTION]);
      const sizes: number[] = [];
      await projectPipelined(t.db, provinceOf, { limit: 37, maxLimit: 300, onBatch: (b) => sizes.push(b.events) });
      const [{ logged }] = (await t.db.query(`SELECT count(*)::int AS logged FROM ingest_event`)) as { logged: number }[];
      const expected: number[] = [];
      for (let left = logged, size = 37; left > 0; left -= size, size = Math.min(300, size * 2)) expected.push(Math.min(size, left));
      expect(sizes).toEqual(expected);
      expect(sizes.filter((n) => n === 300).length).toBeGreaterThan(3);
      const grown = await snapshot();
      for (const table of Object.keys(incremental)) expect({ table, rows: grown[table] }).toEqual({ table, rows: incremental[table] });

      // A batch built from a watermark that has moved since (another projector wrote meanwhile) writes nothing.
      const stale = await prepareBatch(t.db, 0, provinceOf, { limit: 10 });
      expect(stale).not.toBeNull();
      const [before] = (await t.db.query(`SELECT watermark, events_projected FROM projection_state WHERE name = $1`, [DOSSIER_PROJECTION])) as unknown[];
      expect(await t.db.transaction((m) => writeBatch(m, stale!, provinceOf))).toBeNull();
      expect((await t.db.query(`SELECT watermark, events_projected FROM projection_state WHERE name = $1`, [DOSSIER_PROJECTION])) as unknown[]).toEqual([before]);
      expect(await snapshot()).toEqual(incremental);
    } finally {
      projection.start();
    }
  });
});
