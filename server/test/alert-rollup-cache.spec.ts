import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  DEFAULT_RULES,
  type DossierEvent,
  HOUR_MS,
  type PeriodCounters,
  type RuleDefinition,
  type Scope,
  addDays,
  bucketStart,
  localDateOf,
  workingDaysBefore,
  workingMinutesBetween,
} from '@ioc/shared';
import { eventsOf, ms } from '../../shared/src/kpi/test-dossiers.js';
import { AlertEngine } from '../src/alerts/alert-engine.service.js';
import { type Observation, type Observations, RuleObservations } from '../src/alerts/observations.js';
import { KpiQueryRepository } from '../src/kpi/kpi-query.repository.js';
import { KpiService } from '../src/kpi/kpi.service.js';
import { rebuildProjection } from '../src/projection/rebuild.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/**
 * The alert engine keeps rollup reads from tick to tick (RuleObservations over
 * RollupCache). Whatever changes the rollups — a late event for an earlier day, an
 * event for today, a direct write, a rebuild — must show at the next tick exactly
 * as reading everything afresh would. Evaluation times are pinned in November 2026.
 */
let t: TestApp;
const nation: Scope = { kind: 'nation' };
const rule = (id: string) => DEFAULT_RULES.find((r) => r.id === id)!;
const onTime = rule('commune-on-time-7d');
/** The KPIs the rolling windows read, over windows of several lengths and both levels. */
const windowRules: RuleDefinition[] = [
  onTime,
  rule('province-on-time-7d'),
  rule('province-full-online-30d'),
  { ...onTime, id: 'test-e-result-9d', kpi: 'eResult', windowDays: 9 },
  { ...onTime, id: 'test-satisfaction-20d', kpi: 'satisfaction', windowDays: 20 },
  { ...onTime, id: 'test-online-payment-16d', kpi: 'onlinePayment', windowDays: 16, level: 'province' },
];

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const post = async (events: DossierEvent[]) => {
  const res = await request(t.app.getHttpServer()).post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.body.accepted).toBe(events.length);
};

/** One tick's observations of some rules, as the engine measures them. */
async function measured(rules: readonly RuleDefinition[], now: number): Promise<Observations[]> {
  const session = t.app.get(RuleObservations).session(now, t.config.alerts.calendar, rules);
  const out = await Promise.all(rules.map((r) => session.observe(r)));
  session.done();
  return out;
}

/** The same, read afresh with the KPI queries (as the engine measured before it kept anything). */
async function fromScratch(rules: readonly RuleDefinition[], now: number): Promise<Observations[]> {
  const kpi = t.app.get(KpiService);
  const repo = t.app.get(KpiQueryRepository);
  const units = t.app.get(RuleObservations);
  const today = localDateOf(now);
  const calendar = t.config.alerts.calendar;
  return Promise.all(
    rules.map(async (r): Promise<Observations> => {
      const out: Observations = new Map();
      const group = r.level === 'province' ? 'province' : 'unit';
      const evaluated = new Set(units.unitsOf(r.level).codes);
      const keep = (code: string, o: Observation) => evaluated.has(code) && out.set(code, o);
      const flows = (from: number, to: number) => {
        const p = kpi.periodOf(addDays(today, -from), addDays(today, -to), now);
        return repo.flowsOf(nation, p.start, p.end, p.live, group, ['received', 'receivedOnline']);
      };
      const code = (k: string) => (r.level === 'province' ? k.slice(-2) : k);
      switch (r.kind) {
        case 'kpi': {
          const w = r.windowDays ?? 7;
          for (const u of await kpi.unitFigures(nation, r.level, kpi.periodOf(addDays(today, -(w - 1)), today, now))) {
            const k = u.figures.kpis[r.kpi!];
            const ratio = 'denominator' in k ? k : null;
            keep(u.unitCode, {
              value: k.value,
              volume: ratio ? ratio.denominator : u.figures.counts.resolved,
              details: { numerator: ratio?.numerator ?? null, denominator: ratio?.denominator ?? null, windowDays: w },
            });
          }
          return out;
        }
        case 'drop': {
          const [now0, before] = await Promise.all([flows(0, 0), flows(28, 1)]);
          const rate = (x: Partial<PeriodCounters> | undefined) => (x && x.received ? ((x.receivedOnline ?? 0) * 100) / x.received : null);
          const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
          for (const [k, f] of now0) {
            const b = before.get(k);
            const value = rate(f) === null || rate(b) === null ? null : Math.round((rate(b)! - rate(f)!) * 100) / 100;
            keep(code(k), { value, volume: Math.min(f.received ?? 0, b?.received ?? 0), details: { todayRate: round2(rate(f)), baselineRate: round2(rate(b)), receivedToday: f.received ?? 0 } });
          }
          return out;
        }
        case 'surge': {
          const hour = bucketStart(now, 'hour');
          const rows = (await t.db.query(
            `SELECT unit_code, coalesce(sum(received) FILTER (WHERE bucket = $1), 0)::int AS now,
                    coalesce(sum(received) FILTER (WHERE bucket = ANY($2::timestamptz[])), 0)::float / 4 AS base
               FROM kpi_hourly WHERE (bucket = $1 OR bucket = ANY($2::timestamptz[])) AND (unit_code LIKE 'P%') = $3 GROUP BY unit_code`,
            [new Date(hour), [1, 2, 3, 4].map((w) => new Date(hour - w * 7 * 24 * HOUR_MS)), r.level === 'province'],
          )) as { unit_code: string; now: number; base: number }[];
          for (const x of rows) {
            keep(code(x.unit_code), { value: Math.round((x.now / Math.max(x.base, 1)) * 100) / 100, volume: x.now, details: { receivedThisHour: x.now, hourOfWeekAverage: x.base } });
          }
          return out;
        }
        case 'silence': {
          const before = await flows(28, 1);
          const workingDays = workingDaysBefore(calendar, today, 28);
          const rows = (await t.db.query('SELECT unit_code, last_ingested_at FROM unit_activity WHERE length(unit_code) = $1', [r.level === 'province' ? 2 : 5])) as {
            unit_code: string;
            last_ingested_at: Date;
          }[];
          for (const x of rows) {
            const perDay = workingDays === 0 ? 0 : Math.round(((before.get(x.unit_code)?.received ?? 0) / workingDays) * 100) / 100;
            keep(x.unit_code, {
              value: workingMinutesBetween(calendar, x.last_ingested_at.getTime(), now),
              volume: perDay,
              details: { lastEventAt: x.last_ingested_at.toISOString(), receivedPerWorkingDay: perDay },
            });
          }
          return out;
        }
        default:
          throw new Error(`no reference measurement for ${r.kind}`);
      }
    }),
  );
}

const sorted = (o: Observations) => [...o].sort(([a], [b]) => (a < b ? -1 : 1));
async function expectExact(rules: readonly RuleDefinition[], now: number): Promise<Observations[]> {
  const [got, want] = await Promise.all([measured(rules, now), fromScratch(rules, now)]);
  rules.forEach((r, i) => expect({ rule: r.id, obs: sorted(got[i]!) }).toEqual({ rule: r.id, obs: sorted(want[i]!) }));
  return got;
}
const changeVersion = async () => Number(((await t.db.query('SELECT version FROM rollup_version')) as { version: string }[])[0]!.version);
const changedDays = async (since: number) => ((await t.db.query(`SELECT day FROM rollup_change WHERE version > $1 ORDER BY day`, [since])) as { day: Date }[]).map((r) => localDateOf(r.day.getTime()));

/** Dossiers of one commune over some days: `late` of each day's completed after their appointment. */
function history(unit: string, days: string[], perDay: number, late: number, tag: string): DossierEvent[] {
  return days.flatMap((d) =>
    Array.from({ length: perDay }, (_, i) =>
      eventsOf({
        id: `${tag}-${unit}-${d}-${i}`,
        unit,
        received: `${d}T08:00`,
        due: `${d}T16:00`,
        completed: i < late ? `${addDays(d, 1)}T09:00` : `${d}T11:00`,
        channel: i % 3 === 0 ? 'online' : 'direct',
        fullOnlineEligible: i % 2 === 0,
        resultRequired: true,
        feeRequired: i % 4 === 0,
        paid: i % 4 === 0 ? { at: `${d}T08:30`, online: i % 8 === 0 } : undefined,
        resultIssued: i % 2 === 0 ? { at: `${addDays(d, i % 3)}T15:00`, electronic: true } : undefined,
        rated: i === 1 ? { at: `${addDays(d, 2)}T10:00`, satisfied: false, complaint: true } : undefined,
      }),
    ).flat(),
  );
}
const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));

describe('alert measurements kept from tick to tick', () => {
  it('measure exactly what the KPI queries give, tick after tick, whatever changes the rollups', async () => {
    await post([...history('00004', days('2026-10-20', 28), 3, 1, 'H'), ...history('00008', days('2026-11-02', 14), 5, 2, 'H')]);
    const rules = [...windowRules, rule('commune-online-drop'), rule('commune-receipt-surge'), rule('commune-silence')];
    const first = await expectExact(rules, ms('2026-11-16T09:00'));
    expect(t.app.get(RuleObservations).cachedReads).toBeGreaterThan(0);
    // Nothing changed: the same again from the cache.
    expect(await expectExact(rules, ms('2026-11-16T09:05'))).toEqual(first);

    // A late event for an earlier day: the day is marked, and the next tick counts it.
    const v0 = await changeVersion();
    await post(history('00004', ['2026-11-12'], 6, 6, 'LATE'));
    expect(await changedDays(v0)).toEqual(expect.arrayContaining(['2026-11-12', '2026-11-13']));
    const afterLate = await expectExact(rules, ms('2026-11-16T09:10'));
    expect(afterLate[0]!.get('00004')!.value).toBeLessThan(first[0]!.get('00004')!.value!);

    // Events of today: a receipt, and an electronic result and a payment for dossiers of earlier days.
    await post([
      ...eventsOf({ id: 'TODAY-1', unit: '00008', received: '2026-11-16T09:12', due: '2026-11-20T17:00', channel: 'online' }),
      { eventId: 'H-00008-2026-11-10-1-e', dossierId: 'H-00008-2026-11-10-1', communeCode: '00008', type: 'result_issued', occurredAt: '2026-11-16T09:13:00+07:00', electronic: true },
      { eventId: 'PAID-TODAY', dossierId: 'H-00008-2026-11-11-4', communeCode: '00008', type: 'paid', occurredAt: '2026-11-16T09:13:00+07:00', online: true },
    ] as DossierEvent[]);
    await expectExact(rules, ms('2026-11-16T09:15'));

    // Direct writes to a past day's rollups (flows, not the stocks the running stocks keep) are marked by the tables' triggers too.
    await t.db.query(`UPDATE kpi_daily SET resolved = resolved + 3, resolved_on_time = resolved_on_time + 3 WHERE bucket = $1 AND unit_code IN ('00008', 'P01')`, [new Date(ms('2026-11-05T00:00'))]);
    await expectExact(rules, ms('2026-11-16T09:20'));
    await t.db.query(`DELETE FROM kpi_deferred WHERE cohort_bucket = $1 AND unit_code IN ('00008', 'P01')`, [new Date(ms('2026-11-10T00:00'))]);
    await expectExact(rules, ms('2026-11-16T09:25'));

    // A rebuild empties the rollups and folds the log again: everything is read again.
    await rebuildProjection(t.db);
    await expectExact(rules, ms('2026-11-16T09:30'));
    // Across midnight, and back to an earlier day.
    await expectExact(rules, ms('2026-11-17T08:00'));
    await expectExact(rules, ms('2026-11-16T16:00'));
  });

  it('fires at the next tick when a late event for an earlier day pushes a unit past a threshold', async () => {
    await t.http.put('/api/v1/alert-rules/commune-on-time-7d/overrides/00025').send({ pendingMinutes: 0 }).expect(200);
    await post(history('00025', days('2026-11-18', 5), 4, 0, 'OK'));
    const engine = t.app.get(AlertEngine);
    const q = { rule: 'commune-on-time-7d', scope: 'commune:00025' };
    await engine.evaluate(ms('2026-11-23T10:00'));
    expect((await t.http.get('/api/v1/alerts').query(q)).body.total).toBe(0);
    // Six dossiers of two days ago, all late, arrive now: 20 of 26 on time (76.9%), below 90.
    await post(history('00025', ['2026-11-21'], 6, 6, 'LATE'));
    await engine.evaluate(ms('2026-11-23T10:01'));
    const list = (await t.http.get('/api/v1/alerts').query(q)).body as { items: { severity: string; firedValue: number }[] };
    expect(list.items.map((a) => [a.severity, a.firedValue])).toEqual([['critical', 76.92]]);
  });
});
