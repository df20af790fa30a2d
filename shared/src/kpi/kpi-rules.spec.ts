import { describe, expect, it } from '@jest/globals';
import { startOfLocalDate, DAY_MS, localDateOf } from '../time.js';
import { computeIndexPoints, computeKpis } from './compute.js';
import { evaluatePeriod } from './reference.js';
import { type DossierSpec, dossier, eventsOf, foldEvents, ms } from './test-dossiers.js';

/** KPIs of the local-date period [from, to], measured at its end (or at `now` when given). */
function kpisOf(specs: DossierSpec[], from: string, to: string, now?: string) {
  const start = startOfLocalDate(from);
  const end = now ? ms(now) : startOfLocalDate(to) + DAY_MS;
  const p = evaluatePeriod(specs.map(dossier), start, end);
  return { ...computeKpis(p), index: computeIndexPoints(p), p };
}

describe('kpi-v1 rules', () => {
  it('a province rate is the ratio of summed counts, not the mean of commune rates', () => {
    const specs: DossierSpec[] = [
      { unit: '00004', received: '2026-03-02T08:00', due: '2026-03-05T17:00', channel: 'online' },
      ...Array.from({ length: 100 }, (_, i): DossierSpec => ({
        unit: '00008',
        received: '2026-03-02T09:00',
        due: '2026-03-05T17:00',
        channel: i < 1 ? 'online' : 'direct',
      })),
    ];
    const { kpis } = kpisOf(specs, '2026-03-02', '2026-03-02');
    // mean of 100% and 1% would be 50.5%; the ratio of sums is 2/101
    expect(kpis.online).toEqual({ numerator: 2, denominator: 101, value: 1.98 });
  });

  it.each([
    ['no dossiers at all', [] as DossierSpec[], ['onTime', 'online', 'fullOnline', 'digitized', 'eResult', 'onlinePayment']],
    ['no fee-bearing dossiers', [{ received: '2026-03-02T08:00', due: '2026-03-05T17:00' }], ['onlinePayment', 'fullOnline', 'eResult']],
  ])('a zero denominator gives no value, never 0%% or 100%%: %s', (_name, specs, nullKpis) => {
    const { kpis } = kpisOf(specs, '2026-03-02', '2026-03-02');
    for (const id of nullKpis) expect(kpis[id as 'onTime'].value).toBeNull();
    expect(kpis.satisfaction.value).toBeNull();
  });

  it.each([
    ['23:30 UTC on 1 March is 2 March in Vietnam', '2026-03-01T23:30:00Z', '2026-03-02'],
    ['16:59:59 UTC on 1 March is still 1 March', '2026-03-01T16:59:59Z', '2026-03-01'],
    ['17:00 UTC on 1 March is midnight of 2 March', '2026-03-01T17:00:00Z', '2026-03-02'],
  ])('days are Asia/Ho_Chi_Minh days: %s', (_name, utc, localDay) => {
    expect(localDateOf(Date.parse(utc))).toBe(localDay);
    const f = foldEvents(eventsOf({ received: '2026-03-01T08:00', due: '2026-03-10T17:00' }).map((e) => (e.type === 'received' ? { ...e, occurredAt: utc } : e)));
    const inDay = evaluatePeriod(f, startOfLocalDate(localDay), startOfLocalDate(localDay) + DAY_MS);
    expect(inDay.received).toBe(1);
  });

  it('a dossier carried over from an earlier period counts in progress, and as carried over', () => {
    const { counts, kpis } = kpisOf([{ received: '2026-02-20T08:00', due: '2026-04-20T17:00' }], '2026-03-01', '2026-03-31');
    expect(counts.received).toBe(0);
    expect(counts.carriedOver).toBe(1);
    expect(counts.inProgress).toBe(1);
    expect(kpis.onTime).toEqual({ numerator: 1, denominator: 1, value: 100 });
  });

  it('a carried-over dossier resolved late in the period counts as resolved late', () => {
    const { counts, kpis } = kpisOf([{ received: '2026-02-20T08:00', due: '2026-02-27T17:00', completed: '2026-03-03T10:00' }], '2026-03-01', '2026-03-31');
    expect(counts).toMatchObject({ carriedOver: 1, resolved: 1, resolvedLate: 1, inProgress: 0 });
    expect(kpis.onTime.value).toBe(0);
  });

  it.each<[string, DossierSpec, { late: boolean }]>([
    ['no supplement, completed after due', { received: '2026-03-02T08:00', due: '2026-03-04T17:00', completed: '2026-03-05T09:00' }, { late: true }],
    ['completed exactly at the appointment', { received: '2026-03-02T08:00', due: '2026-03-04T17:00', completed: '2026-03-04T17:00' }, { late: false }],
    [
      'exactly one supplement request before due stops the clock',
      { received: '2026-03-02T08:00', due: '2026-03-04T17:00', supplements: ['2026-03-03T10:00'], completed: '2026-03-10T09:00' },
      { late: false },
    ],
    ['exactly one supplement request after due is late', { received: '2026-03-02T08:00', due: '2026-03-04T17:00', supplements: ['2026-03-05T10:00'], completed: '2026-03-06T09:00' }, { late: true }],
    [
      'two supplement requests make it overdue',
      { received: '2026-03-02T08:00', due: '2026-03-10T17:00', supplements: ['2026-03-03T10:00', '2026-03-04T10:00'], completed: '2026-03-05T09:00' },
      { late: true },
    ],
  ])('resolved on time or late: %s', (_name, spec, { late }) => {
    const { counts } = kpisOf([spec], '2026-03-01', '2026-03-31');
    expect(counts.resolved).toBe(1);
    expect(counts.resolvedLate).toBe(late ? 1 : 0);
  });

  it.each<[string, DossierSpec, { overdue: boolean }]>([
    ['open, one supplement request before due, due passed', { received: '2026-03-02T08:00', due: '2026-03-04T17:00', supplements: ['2026-03-03T10:00'] }, { overdue: false }],
    ['open, two supplement requests, before due', { received: '2026-03-02T08:00', due: '2026-03-30T17:00', supplements: ['2026-03-03T10:00', '2026-03-04T10:00'] }, { overdue: true }],
    ['open, no supplement, due passed', { received: '2026-03-02T08:00', due: '2026-03-04T17:00' }, { overdue: true }],
  ])('in progress at period end: %s', (_name, spec, { overdue }) => {
    const { counts } = kpisOf([spec], '2026-03-01', '2026-03-10');
    expect(counts.inProgress).toBe(1);
    expect(counts.inProgressOverdue).toBe(overdue ? 1 : 0);
  });

  it('a dossier completed after the period end is still in progress at its end', () => {
    const spec: DossierSpec = { received: '2026-03-02T08:00', due: '2026-03-04T17:00', completed: '2026-03-05T09:00' };
    const march2to3 = kpisOf([spec], '2026-03-02', '2026-03-03');
    expect(march2to3.counts).toMatchObject({ resolved: 0, inProgress: 1, inProgressOverdue: 0 });
    expect(march2to3.kpis.onTime.value).toBe(100);
    const march2to4 = kpisOf([spec], '2026-03-02', '2026-03-04');
    expect(march2to4.counts).toMatchObject({ resolved: 0, inProgress: 1, inProgressOverdue: 1 });
    expect(march2to4.kpis.onTime.value).toBe(0);
    const march5 = kpisOf([spec], '2026-03-05', '2026-03-05');
    expect(march5.counts).toMatchObject({ resolved: 1, resolvedLate: 1, inProgress: 0, carriedOver: 1 });
  });

  it.each(['rejected', 'stopped'] as const)('a %s dossier counts as resolved, on time when before due', (outcome) => {
    const { counts, kpis } = kpisOf([{ received: '2026-03-02T08:00', due: '2026-03-04T17:00', completed: '2026-03-03T09:00', outcome, resultRequired: true }], '2026-03-02', '2026-03-31');
    expect(counts.resolved).toBe(1);
    expect(counts.resolvedEarlyOrOnTime).toBe(1);
    expect(outcome === 'rejected' ? counts.resolvedRejected : counts.resolvedStopped).toBe(1);
    // only outcome `resolved` enters the electronic-result denominator
    expect(kpis.eResult.denominator).toBe(0);
  });

  it('an open dossier turns overdue the moment its appointment passes, with no event arriving', () => {
    const spec: DossierSpec = { received: '2026-03-02T08:00', due: '2026-03-04T17:00' };
    const before = kpisOf([spec], '2026-03-04', '2026-03-04', '2026-03-04T16:59');
    expect(before.counts.inProgressOverdue).toBe(0);
    expect(before.kpis.onTime.value).toBe(100);
    const after = kpisOf([spec], '2026-03-04', '2026-03-04', '2026-03-04T17:01');
    expect(after.counts.inProgressOverdue).toBe(1);
    expect(after.kpis.onTime.value).toBe(0);
  });

  it("a period's figures are what was true at its end: later attributes do not count", () => {
    const spec: DossierSpec = {
      received: '2026-03-02T08:00',
      due: '2026-03-12T17:00',
      feeRequired: true,
      digitized: '2026-03-02T09:00',
      paid: { at: '2026-03-06T10:00', online: true },
    };
    const firstWeek = kpisOf([spec], '2026-03-02', '2026-03-05');
    expect(firstWeek.kpis.digitized.value).toBe(100);
    expect(firstWeek.kpis.onlinePayment).toEqual({ numerator: 0, denominator: 1, value: 0 });
    const month = kpisOf([spec], '2026-03-01', '2026-03-31');
    expect(month.kpis.onlinePayment.value).toBe(100);
  });

  it('digitised: components digitised and, once resolved, an electronic result where the procedure returns one', () => {
    const base: DossierSpec = { received: '2026-03-02T08:00', due: '2026-03-12T17:00', digitized: '2026-03-02T09:00', resultRequired: true, completed: '2026-03-04T10:00' };
    // resolved on paper: not digitised
    expect(kpisOf([base], '2026-03-01', '2026-03-31').kpis.digitized.value).toBe(0);
    // still in progress on 3 March: its result is not due yet, so it counts
    expect(kpisOf([base], '2026-03-01', '2026-03-03').kpis.digitized.value).toBe(100);
    const electronic = { ...base, resultIssued: { at: '2026-03-04T10:00', electronic: true } };
    expect(kpisOf([electronic], '2026-03-01', '2026-03-31').kpis.digitized.value).toBe(100);
    expect(kpisOf([electronic], '2026-03-01', '2026-03-31').kpis.eResult).toEqual({ numerator: 1, denominator: 1, value: 100 });
    // electronic result issued two days after resolution: not digitised in between
    const later = { ...base, resultIssued: { at: '2026-03-06T10:00', electronic: true } };
    expect(kpisOf([later], '2026-03-01', '2026-03-05').kpis.digitized.value).toBe(0);
    expect(kpisOf([later], '2026-03-01', '2026-03-06').kpis.digitized.value).toBe(100);
    // components never digitised
    expect(kpisOf([{ ...electronic, digitized: undefined }], '2026-03-01', '2026-03-31').kpis.digitized.value).toBe(0);
  });

  it('satisfaction is 100% − (overdue % + complaint %)', () => {
    const specs: DossierSpec[] = [
      { received: '2026-03-02T08:00', due: '2026-03-04T17:00', completed: '2026-03-03T09:00', rated: { at: '2026-03-03T10:00', satisfied: false, complaint: true } },
      { received: '2026-03-02T08:00', due: '2026-03-04T17:00', completed: '2026-03-03T09:00' },
      { received: '2026-03-02T08:00', due: '2026-03-04T17:00', completed: '2026-03-05T09:00' },
      { received: '2026-03-02T08:00', due: '2026-03-04T17:00', completed: '2026-03-03T09:00' },
    ];
    const { kpis } = kpisOf(specs, '2026-03-01', '2026-03-31');
    expect(kpis.onTime.value).toBe(75);
    expect(kpis.satisfaction).toEqual({ value: 50, overduePercent: 25, complaintPercent: 25, complaints: 1, resolved: 4 });
  });

  it('rates round to 2 decimals, counts stay exact', () => {
    const specs = Array.from({ length: 3 }, (_, i): DossierSpec => ({ received: '2026-03-02T08:00', due: '2026-03-04T17:00', channel: i === 0 ? 'online' : 'direct' }));
    expect(kpisOf(specs, '2026-03-02', '2026-03-02').kpis.online).toEqual({ numerator: 1, denominator: 3, value: 33.33 });
  });

  it('index points: full at the thresholds, linear below, points lost per KPI', () => {
    const specs: DossierSpec[] = Array.from({ length: 10 }, (_, i) => ({
      received: '2026-03-02T08:00',
      due: '2026-03-04T17:00',
      completed: i < 9 ? '2026-03-03T09:00' : '2026-03-05T09:00',
      channel: i < 3 ? 'online' : 'direct',
      fullOnlineEligible: true,
      digitized: '2026-03-02T08:30',
      feeRequired: i < 4,
      paid: i < 4 ? { at: '2026-03-02T08:10', online: i < 2 } : undefined,
    }));
    const { index, kpis } = kpisOf(specs, '2026-03-01', '2026-03-31');
    expect(kpis.onTime.value).toBe(90);
    const byId = Object.fromEntries(index.components.map((c) => [c.id, c]));
    expect(byId.progress).toMatchObject({ points: 18, lost: 2 }); // 20 × 90%
    expect(byId.online).toMatchObject({ points: 7.2, lost: 4.8 }); // 12 × 30/50
    expect(byId.digitization).toMatchObject({ points: 22, lost: 0 }); // 100% ≥ 80%
    expect(byId.satisfaction).toMatchObject({ points: 18, lost: 0 }); // 90% ≥ 90%
    expect(byId.payment).toMatchObject({ points: 5, lost: 5 }); // 10 × 50%
    expect(index.points).toBe(70.2);
    expect(index.maxPoints).toBe(82);
  });

  it('folding is order-independent: shuffled and duplicated arrival gives the same facts', () => {
    const events = eventsOf({
      id: 'X',
      received: '2026-03-02T08:00',
      due: '2026-03-04T17:00',
      supplements: ['2026-03-03T10:00', '2026-03-03T09:00', '2026-03-03T11:00'],
      completed: '2026-03-05T09:00',
      resultRequired: true,
      resultIssued: { at: '2026-03-05T09:00', electronic: true },
      rated: { at: '2026-03-06T09:00', satisfied: true, complaint: false },
    });
    const reference = foldEvents(events)[0];
    for (let seed = 1; seed <= 20; seed++) {
      const shuffled = [...events].sort((a, b) => ((a.eventId.charCodeAt(a.eventId.length - 1) * seed) % 7) - ((b.eventId.charCodeAt(b.eventId.length - 1) * seed) % 7));
      expect(foldEvents(shuffled)[0]).toEqual(reference);
    }
    expect(reference!.supplements.map((s) => s.at)).toEqual([ms('2026-03-03T09:00'), ms('2026-03-03T10:00')]);
  });
});
