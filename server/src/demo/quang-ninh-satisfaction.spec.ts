import { describe, expect, it } from '@jest/globals';
import {
  type ContributionSink,
  type DossierFacts,
  type PeriodCounters,
  DAY_MS,
  INDEX_V2_BY_ID,
  applyEvent,
  bucketStart,
  computeKpis,
  contribute,
  emptyFacts,
  eventUnitCode,
  evaluatePeriod,
  indexV2CountsOf,
  startOfLocalDate,
  subIndicatorRate,
  zeroPeriod,
} from '@ioc/shared';
import { DemoSimulator, SIM_MAX_LIFECYCLE_MS, type SimUnit } from './simulator/index.js';
import { PROVINCES, UNITS } from './reference-units.spec-support.js';

/** The demo's default DEMO_SEED. */
const SEED = 2025;
/** November 2026, a whole past month as a leader reads it: [1 Nov, 1 Dec) local. */
const START = startOfLocalDate('2026-11-01');
const END = startOfLocalDate('2026-12-01');

/**
 * The month's counters of some units as the server reads them: every dossier received
 * from a lifecycle before the month to its end, folded from the simulator's events
 * (delivered by far later) into dossier facts, contributed to month rollups, then a
 * month read as the query does (the month's row, deferred attributes achieved before
 * its end, stocks as the sum of deltas before it).
 */
function monthCounters(units: SimUnit[]): { rollups: PeriodCounters; reference: PeriodCounters } {
  const sim = new DemoSimulator(units, PROVINCES, { seed: SEED });
  const facts = new Map<string, DossierFacts>();
  for (let day = START - Math.ceil(SIM_MAX_LIFECYCLE_MS / DAY_MS) * DAY_MS; day < END; day += DAY_MS) {
    for (const { event: e } of sim.receivedOn(day, END + 30 * DAY_MS)) {
      let f = facts.get(e.dossierId);
      if (!f) facts.set(e.dossierId, (f = emptyFacts(e.dossierId, eventUnitCode(e))));
      applyEvent(f, e, Date.parse(e.occurredAt));
    }
  }
  const p = zeroPeriod();
  const endDay = bucketStart(END, 'day');
  const sink: ContributionSink = {
    add: (grain, _unit, bucket, field, delta) => {
      if (grain !== 'month') return;
      if (field === 'ipDelta') {
        // Stocks: the sum of the deltas before the instant.
        if (bucket < END) p.inProgress += delta;
        if (bucket < START) p.carriedOver += delta;
      } else if (field === 'odDelta') {
        if (bucket < END) p.inProgressOverdue += delta;
      } else if (bucket === START) p[field] += delta;
    },
    addDeferred: (grain, _unit, cohort, achievedDay, field, delta) => {
      if (grain === 'month' && cohort === START && achievedDay < endDay) p[field] += delta;
    },
  };
  for (const f of facts.values()) contribute(f, 1, sink);
  return { rollups: p, reference: evaluatePeriod(facts.values(), START, END) };
}

const rate54 = (p: PeriodCounters) => subIndicatorRate(INDEX_V2_BY_ID['5.4'], indexV2CountsOf(p)).exact;

describe('the demo calibration: Quảng Ninh’s satisfaction', () => {
  const { rollups, reference } = monthCounters(UNITS.filter((u) => u.provinceCode === '22'));

  it('reads the month from the rollups as the rules evaluated directly give it', () => {
    expect(rollups.resolved).toBeGreaterThan(30_000);
    expect(rollups).toEqual(reference);
  });

  it('is above 90% for a whole month, as in the field reports (5.4, and the kpi-v1 satisfaction)', () => {
    const rate = rate54(rollups);
    // Both terms are there: overdue dossiers and resolved ones with a complaint or a dislike.
    expect(rollups.resolvedDissatisfied).toBeGreaterThan(rollups.complaints);
    expect(rollups.complaints).toBeGreaterThan(0);
    expect(rate).toBeGreaterThan(90);
    expect(rate).toBeLessThan(100);
    expect(computeKpis(rollups).kpis.satisfaction.value).toBeGreaterThan(90);
  });
});
