import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_RULES, type DossierEvent, type Scope, addDays, applyEvent, bucketStart, emptyFacts, eventUnitCode, localDateOf, mulberry32 } from '@ioc/shared';
import { FAR_DUE, at, eventsOf, ms } from '../../shared/src/kpi/test-dossiers.js';
import { RuleObservations, type Observations } from '../src/alerts/observations.js';
import { KpiQueryRepository } from '../src/kpi/kpi-query.repository.js';
import { KpiService } from '../src/kpi/kpi.service.js';
import { RollupAccumulator } from '../src/projection/rollup-accumulator.js';
import { type RunningStockRead, RunningStocks, type Stock, rebuildRunningStocks } from '../src/projection/running-stocks.js';
import { applyToDossiers, loadDossiers } from '../src/projection/dossier-store.js';
import { UnitsService } from '../src/units/units.service.js';
import { type TestApp, startTestApp } from './harness.js';

/**
 * Running stocks on a real database, against the stocks the rollups give
 * (KpiQueryRepository.stock). Dossiers are folded here as the projector folds
 * them (one transaction per batch: dossier rows, rollups, running stocks), not
 * through ingest, so each batch is applied at the stock's instant of the moment.
 */
let t: TestApp;
let running: RunningStocks;
let repo: KpiQueryRepository;
let provinceOf: (unit: string) => string;
const nation: Scope = { kind: 'nation' };
/** Two communes of one province, one of another, and the first province's own unit (province-level dossiers). */
let U1: string, U2: string, U3: string, PROV: string;

beforeAll(async () => {
  t = await startTestApp();
  running = t.app.get(RunningStocks);
  repo = t.app.get(KpiQueryRepository);
  const units = t.app.get(UnitsService);
  provinceOf = (u) => units.provinceOfUnit(u)!;
  const communes = units.allCommunes();
  const [a, b] = communes.filter((c) => c.provinceCode === communes[0]!.provinceCode);
  U1 = a!.code;
  U2 = b!.code;
  U3 = communes.find((c) => c.provinceCode !== a!.provinceCode)!.code;
  PROV = a!.provinceCode;
});
afterAll(async () => {
  await t.close();
});

const iso = (x: number) => new Date(x).toISOString();

/** One projector batch, with the projector's own fold: dossiers, rollups and running stocks in one transaction. */
async function project(events: readonly DossierEvent[]): Promise<void> {
  await t.db.transaction(async (m) => {
    const existing = await loadDossiers(m, [...new Set(events.map((e) => e.dossierId))]);
    const acc = new RollupAccumulator(provinceOf);
    const logged = events.map((e) => ({ event: e, at: Date.parse(e.occurredAt), unit: eventUnitCode(e), ingestedAt: Date.now() }));
    const changes = await applyToDossiers(m, logged, existing, provinceOf, acc);
    await acc.flush(m);
    await running.apply(m, changes, provinceOf);
  });
}

const sorted = <V>(m: ReadonlyMap<string, V>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
const pick = (m: ReadonlyMap<string, Stock>) => sorted(new Map([...m].map(([k, s]) => [k, { ip: s.ip, od: s.od }])));

/** The day-start stocks of a read, on the keys the rollups have (or where not zero). */
function dayStart(r: ReadonlyMap<string, { ipDayStart: number; odDayStart: number }>, expected: ReadonlyMap<string, Stock>) {
  const out = new Map<string, Stock>();
  for (const [k, s] of r) if (expected.has(k) || s.ipDayStart !== 0 || s.odDayStart !== 0) out.set(k, { ip: s.ipDayStart, od: s.odDayStart });
  return sorted(out);
}

/** The running stocks at `now` equal the rollup-derived ones: live for every unit and province, and at the start of the day. */
async function expectRollupStocks(now: number): Promise<RunningStockRead> {
  const r = await running.read(now);
  const start = bucketStart(now, 'day');
  const [unit, province, unitStart, provinceStart] = [
    await repo.stock(nation, now, true, 'unit'),
    await repo.stock(nation, now, true, 'province'),
    await repo.stock(nation, start, false, 'unit'),
    await repo.stock(nation, start, false, 'province'),
  ];
  const when = new Date(now).toISOString();
  expect({ when, unit: pick(r.unit), province: pick(r.province) }).toEqual({ when, unit: pick(unit), province: pick(province) });
  expect({ when, unit: dayStart(r.unit, unitStart), province: dayStart(r.province, provinceStart) }).toEqual({ when, unit: pick(unitStart), province: pick(provinceStart) });
  return r;
}

const asOf = async () => Number(((await t.db.query('SELECT extract(epoch FROM as_of) * 1000 AS a FROM running_stock_state')) as { a: string }[])[0]!.a);
const event = (e: Record<string, unknown>) => e as unknown as DossierEvent;

describe('running stocks', () => {
  it('equal the rollup-derived stocks for every unit as time passes: dossiers turning overdue, completions (one stamped before its receipt), supplements, receipts later in the day', async () => {
    await t.db.transaction((m) => rebuildRunningStocks(m, ms('2026-11-16T08:00')));
    await project([
      ...eventsOf({ id: 'S-A', unit: U1, received: '2026-11-16T07:00', due: FAR_DUE }),
      ...eventsOf({ id: 'S-B', unit: U1, received: '2026-11-10T08:00', due: '2026-11-13T17:00' }),
      // Turns overdue at 10:00 today, still open.
      ...eventsOf({ id: 'S-C', unit: U1, received: '2026-11-12T08:00', due: '2026-11-16T10:00' }),
      // Resolved on time, today.
      ...eventsOf({ id: 'S-D', unit: U1, received: '2026-11-12T09:00', due: '2026-11-16T10:00', completed: '2026-11-16T09:30' }),
      // Overdue since Friday, resolved late at 11:00 (after the stock's instant).
      ...eventsOf({ id: 'S-E', unit: U2, received: '2026-11-11T08:00', due: '2026-11-13T17:00', completed: '2026-11-16T11:00' }),
      // Completion stamped before the receipt: never open.
      ...eventsOf({ id: 'S-F', unit: U2, received: '2026-11-16T09:00', due: '2026-11-20T17:00', completed: '2026-11-16T08:30' }),
      // One supplement request before the appointment stops the clock.
      ...eventsOf({ id: 'S-G', unit: U2, received: '2026-11-09T08:00', due: '2026-11-13T17:00', supplements: ['2026-11-12T10:00'] }),
      // A second request makes it overdue from that request, at noon today.
      ...eventsOf({ id: 'S-H', unit: U2, received: '2026-11-09T08:00', due: '2026-11-20T17:00', supplements: ['2026-11-10T10:00', '2026-11-16T12:00'] }),
      // Received this evening and tomorrow (turning overdue tomorrow).
      ...eventsOf({ id: 'S-I', unit: U1, received: '2026-11-16T20:00', due: FAR_DUE }),
      ...eventsOf({ id: 'S-J', unit: U3, received: '2026-11-17T09:00', due: '2026-11-17T12:00' }),
      // A province-level dossier, overdue this afternoon.
      event({
        eventId: 'S-K-r',
        dossierId: 'S-K',
        provinceCode: PROV,
        type: 'received',
        occurredAt: at('2026-11-13T08:00'),
        procedureCode: '2.000001',
        sector: 'Đất đai',
        channel: 'online',
        fullOnlineEligible: true,
        resultRequired: false,
        feeRequired: false,
        dueAt: at('2026-11-16T14:00'),
      }),
    ]);
    const times = ['2026-11-16T08:00', '2026-11-16T09:45', '2026-11-16T10:00', '2026-11-16T10:30', '2026-11-16T12:00', '2026-11-16T23:59', '2026-11-17T00:00', '2026-11-17T12:30', '2026-11-19T08:00'];
    for (const x of times) await expectRollupStocks(ms(x));
    // Reads moved the stock forward with them.
    expect(await asOf()).toBe(ms('2026-11-19T08:00'));
    const r = await expectRollupStocks(ms('2026-11-19T08:00'));
    expect(r.unit.get(U1)).toMatchObject({ ip: 4, od: 2 });

    // Back in time: computed on the fly, the stored stock stays where it is.
    for (const x of ['2026-11-16T07:00', '2026-11-15T12:00', '2026-11-16T10:15']) await expectRollupStocks(ms(x));
    expect(await asOf()).toBe(ms('2026-11-19T08:00'));

    // Late events, applied at the stock's instant: completions of the past, a second supplement, a dossier received last week.
    await project([
      event({ eventId: 'S-C-c', dossierId: 'S-C', communeCode: U1, type: 'completed', occurredAt: at('2026-11-16T15:00'), outcome: 'resolved' }),
      event({ eventId: 'S-B-c', dossierId: 'S-B', communeCode: U1, type: 'completed', occurredAt: at('2026-11-18T09:00'), outcome: 'rejected' }),
      event({ eventId: 'S-A-s', dossierId: 'S-A', communeCode: U1, type: 'supplement_requested', occurredAt: at('2026-11-18T10:00') }),
      event({ eventId: 'S-A-s2', dossierId: 'S-A', communeCode: U1, type: 'supplement_requested', occurredAt: at('2026-11-19T10:00') }),
      ...eventsOf({ id: 'S-L', unit: U3, received: '2026-11-14T08:00', due: '2026-11-15T17:00' }),
      // An earlier receipt at another commune: the dossier moves there.
      ...eventsOf({ id: 'S-M', unit: U1, received: '2026-11-16T09:00', due: '2026-11-17T09:00' }),
    ]);
    await project([
      event({
        eventId: 'S-M-r0',
        dossierId: 'S-M',
        communeCode: U2,
        type: 'received',
        occurredAt: at('2026-11-16T08:30'),
        procedureCode: '1.001193',
        sector: 'Hộ tịch',
        channel: 'direct',
        fullOnlineEligible: false,
        resultRequired: false,
        feeRequired: false,
        dueAt: at('2026-11-18T09:00'),
      }),
    ]);
    for (const x of ['2026-11-19T08:00', '2026-11-19T09:59', '2026-11-19T10:00', '2026-11-19T11:00', '2026-11-20T08:00', '2026-11-16T11:00', '2026-11-18T09:30']) await expectRollupStocks(ms(x));

    // The incremental stock is the one recomputed from the dossier table.
    const incremental = await t.db.query('SELECT * FROM running_stock ORDER BY unit_code');
    await t.db.transaction((m) => rebuildRunningStocks(m, ms('2026-11-20T08:00')));
    expect(await t.db.query('SELECT * FROM running_stock ORDER BY unit_code')).toEqual(incremental);
  });

  it('equal them through random batches of events (late and out of order) applied while the stock moves, read forwards and backwards in time', async () => {
    const rnd = mulberry32(7);
    const base = ms('2026-11-23T00:00');
    const units = [U1, U2, U3];
    const pickOf = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const instant = (spanDays: number) => base + Math.floor(((rnd() - 0.3) * spanDays * 86_400_000) / 60_000) * 60_000;
    const events: DossierEvent[] = [];
    for (let i = 0; i < 300; i++) {
      const id = `R-${i}`;
      const unit = pickOf(units);
      const rec = instant(5);
      const common = { dossierId: id, communeCode: unit };
      const received = (eventId: string, u: string, r: number) =>
        event({
          ...common,
          communeCode: u,
          eventId,
          type: 'received',
          occurredAt: iso(r),
          procedureCode: '1.001193',
          sector: 'Hộ tịch',
          channel: 'direct',
          fullOnlineEligible: false,
          resultRequired: false,
          feeRequired: false,
          dueAt: iso(r + Math.floor(rnd() * 3 * 86_400_000)),
        });
      events.push(received(`${id}-r`, unit, rec));
      // Now and then a second receipt (earlier or later, maybe at another commune).
      if (rnd() < 0.1) events.push(received(`${id}-r2`, pickOf(units), rec + Math.floor((rnd() - 0.5) * 86_400_000)));
      for (let s = 0; s < Math.floor(rnd() * 3); s++)
        events.push(event({ ...common, eventId: `${id}-s${s}`, type: 'supplement_requested', occurredAt: iso(rec + Math.floor(rnd() * 3 * 86_400_000)) }));
      // Completions, some stamped before the receipt.
      if (rnd() < 0.6)
        events.push(
          event({ ...common, eventId: `${id}-c`, type: 'completed', occurredAt: iso(rec + Math.floor((rnd() - 0.1) * 4 * 86_400_000)), outcome: pickOf(['resolved', 'rejected', 'stopped']) }),
        );
      if (rnd() < 0.1) events.push(event({ ...common, eventId: `${id}-c2`, type: 'completed', occurredAt: iso(rec + Math.floor(rnd() * 2 * 86_400_000)), outcome: 'resolved' }));
    }
    // Any arrival order.
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    let now = base - 2 * 86_400_000;
    await t.db.transaction((m) => rebuildRunningStocks(m, now));
    for (let i = 0; i < events.length;) {
      const n = 1 + Math.floor(rnd() * 60);
      await project(events.slice(i, i + n));
      i += n;
      // Time passes, by minutes or across days.
      now += Math.floor(rnd() < 0.2 ? rnd() * 2 * 86_400_000 : rnd() * 3 * 3_600_000);
      await expectRollupStocks(now);
      if (rnd() < 0.3) await expectRollupStocks(now - Math.floor(rnd() * 3 * 86_400_000));
    }
    const incremental = await t.db.query('SELECT * FROM running_stock ORDER BY unit_code');
    await t.db.transaction((m) => rebuildRunningStocks(m, now));
    expect(await t.db.query('SELECT * FROM running_stock ORDER BY unit_code')).toEqual(incremental);
  });

  it('a read while a batch holds the stock computes the missing interval without writing, and the batch then applies at the unmoved instant', async () => {
    const before = await asOf();
    const later = before + 5 * 3_600_000;
    const qr = t.db.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      const f = emptyFacts('T-1', U1);
      applyEvent(f, eventsOf({ id: 'T-1', unit: U1, received: localDateOf(before) + 'T01:00', due: localDateOf(before) + 'T02:00' })[0]!, before - 3_600_000);
      await running.apply(qr.manager, [{ before: null, after: f }], provinceOf);
      // Another connection: the state row is held FOR SHARE by the batch.
      await expectRollupStocks(later);
      expect(await asOf()).toBe(before);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
    await expectRollupStocks(later);
    expect(await asOf()).toBe(later);
  });

  it('leave the alert observations unchanged: backlog, growth and KPI rules measure what the rollup-derived stocks give', async () => {
    const kpi = t.app.get(KpiService);
    const observations = t.app.get(RuleObservations);
    const calendar = t.config.alerts.calendar;
    // Evaluated ahead of the stock, behind it, and across a day.
    for (const local of ['2026-11-25T09:00', '2026-11-26T16:30', '2026-11-24T11:00']) {
      const now = ms(local);
      const today = localDateOf(now);
      const session = observations.session(now, calendar);
      /** The observations as they were measured before running stocks: from the rollups, nothing cached. */
      const legacy = async (rule: (typeof DEFAULT_RULES)[number]): Promise<Observations> => {
        const out: Observations = new Map();
        const group = rule.level === 'province' ? 'province' : 'unit';
        const code = (k: string) => (rule.level === 'province' ? k.slice(-2) : k);
        if (rule.kind === 'kpi') {
          const w = rule.windowDays ?? 7;
          for (const u of await kpi.unitFigures(nation, rule.level, kpi.periodOf(addDays(today, -(w - 1)), today, now))) {
            const k = u.figures.kpis[rule.kpi!];
            const ratio = 'denominator' in k ? k : null;
            out.set(u.unitCode, {
              value: k.value,
              volume: ratio ? ratio.denominator : u.figures.counts.resolved,
              details: { numerator: ratio?.numerator ?? null, denominator: ratio?.denominator ?? null, windowDays: w },
            });
          }
        } else if (rule.kind === 'backlog') {
          for (const [k, s] of await repo.stock(nation, now, true, group)) out.set(code(k), { value: s.od, volume: s.ip, details: { inProgress: s.ip, inProgressOverdue: s.od } });
        } else {
          const start = await repo.stock(nation, bucketStart(now, 'day'), false, group);
          for (const [k, s] of await repo.stock(nation, now, true, group)) {
            const b = start.get(k)?.od ?? 0;
            out.set(code(k), { value: s.od - b, volume: s.ip, details: { inProgressOverdue: s.od, overdueAtStartOfDay: b } });
          }
        }
        // The engine evaluates a level's rules for the units of that level only (not a province's own unit under commune rules).
        const evaluated = new Set(observations.unitsOf(rule.level).codes);
        for (const k of out.keys()) if (!evaluated.has(k)) out.delete(k);
        return out;
      };
      const rules = DEFAULT_RULES.filter((r) => r.kind === 'kpi' || r.kind === 'backlog' || r.kind === 'growth');
      expect(rules.map((r) => r.kind)).toEqual(expect.arrayContaining(['kpi', 'backlog', 'growth']));
      for (const rule of rules) {
        const got = await session.observe(rule);
        expect({ local, rule: rule.id, obs: sorted(got) }).toEqual({ local, rule: rule.id, obs: sorted(await legacy(rule)) });
      }
      // Some units are measured at all.
      expect((await session.observe(rules.find((r) => r.kind === 'backlog' && r.level === 'commune')!)).size).toBeGreaterThan(0);
    }
  });
});
