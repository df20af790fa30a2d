import { describe, expect, it } from '@jest/globals';
import { type DossierEvent, DAY_MS, VN_OFFSET_MS, parseEvent, reportedValueSchema } from '@ioc/shared';
import { DEMO_REPORTING_PROVINCES, DemoSimulator, demoReportedValues } from './simulator/index.js';
import { PROVINCES, UNITS } from './reference-units.spec-support.js';

const local = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - VN_OFFSET_MS;
const sample = UNITS.filter((_, i) => i % 9 === 0);

/** The events of the dossiers received in [from, from + days), delivered by far later. */
function receivedIn(sim: DemoSimulator, from: number, days: number): DossierEvent[] {
  const out: DossierEvent[] = [];
  for (let d = 0; d < days; d++) out.push(...sim.receivedOn(from + d * DAY_MS, from + 120 * DAY_MS).map((x) => x.event));
  return out;
}

describe('DemoSimulator: ingest contract v1.1', () => {
  const sim = new DemoSimulator(sample, PROVINCES, { seed: 7 });
  const jan = receivedIn(sim, local(2026, 1, 12), 3);
  const jun = receivedIn(sim, local(2026, 6, 8), 3);

  it('sends only events the contract accepts', () => {
    const now = local(2026, 12, 31);
    const bad = [...jan, ...jun].map((e) => parseEvent(e, now)).filter((p) => !p.ok);
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('syncs 90–100% of dossiers at units that send synced events', () => {
    const received = jan.filter((e) => e.type === 'received');
    const synced = new Set(jan.filter((e) => e.type === 'synced').map((e) => e.dossierId));
    const syncing = new Set(jan.filter((e) => e.type === 'synced').map((e) => e.communeCode));
    const tracked = received.filter((e) => syncing.has(e.communeCode));
    const share = tracked.filter((e) => synced.has(e.dossierId)).length / tracked.length;
    expect(share).toBeGreaterThanOrEqual(0.9);
    expect(share).toBeLessThanOrEqual(1);
    // Some units send no synced event at all: their 1.4 has no data.
    expect(syncing.size).toBeLessThan(new Set(received.map((e) => e.communeCode)).size);
  });

  it('sends the v1.1 attributes for most units, and reuse and population-database use rise over the months', () => {
    const share = (events: DossierEvent[], k: 'reusedDigitizedData' | 'citizenDataUsed') => {
      const known = events.filter((e): e is Extract<DossierEvent, { type: 'received' }> => e.type === 'received' && e[k] !== undefined);
      return known.filter((e) => e[k]).length / known.length;
    };
    const received = jan.filter((e) => e.type === 'received');
    const withAttributes = received.filter((e) => e.type === 'received' && e.reusedDigitizedData !== undefined).length / received.length;
    expect(withAttributes).toBeGreaterThan(0.7);
    expect(withAttributes).toBeLessThan(1);
    expect(share(jun, 'reusedDigitizedData')).toBeGreaterThan(share(jan, 'reusedDigitizedData') + 0.08);
    expect(share(jun, 'citizenDataUsed')).toBeGreaterThan(share(jan, 'citizenDataUsed') + 0.08);
  });
});

describe('DemoSimulator: reported indicator values', () => {
  const hanoi = UNITS.filter((u) => u.provinceCode === '01').map((u) => u.code);

  it('a few provinces report every month, valid and the same for the same month; the others never', () => {
    const a = demoReportedValues(7, '01', '2026-05', hanoi);
    expect(a).toEqual(demoReportedValues(7, '01', '2026-05', hanoi));
    expect(a.filter((v) => v.unitCode === '01').map((v) => v.subIndicator)).toEqual(['1.1', '1.2', '1.3', '3.5a', '4.5a']);
    expect(a.filter((v) => v.subIndicator === '4.c')).toHaveLength(hanoi.length);
    for (const v of a) expect(reportedValueSchema.safeParse(v).success).toBe(true);
    expect(DEMO_REPORTING_PROVINCES.length).toBeLessThan(PROVINCES.length / 3);
    expect(demoReportedValues(7, '04', '2026-05', [])).toEqual([]);
  });
});
