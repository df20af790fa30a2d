import { describe, expect, it } from '@jest/globals';
import { computeKpis } from './compute.js';
import { zeroPeriod, type PeriodCounters } from './counters.js';
import { INDEX_V2_BY_ID, INDEX_V2_COUNT_FIELDS, INDEX_V2_GROUPS, INDEX_V2_MAX_POINTS, INDEX_V2_SUB_INDICATORS, type IndexV2Counts, type ScoringRule, type SubIndicatorId } from './index-v2.js';
import { computeIndexV2, countsFromReported, pointsFor, scoreSubIndicator, subIndicatorRate, sumIndexV2Counts, tallyAttribute, triOr } from './index-v2-score.js';

const counts = (c: Partial<IndexV2Counts>): IndexV2Counts => sumIndexV2Counts([c]);
const score = (id: SubIndicatorId, c: Partial<IndexV2Counts>) => scoreSubIndicator(INDEX_V2_BY_ID[id], counts(c));

describe('kpi-v2 catalogue', () => {
  // The document's table, restated: a change to the catalogue must be a change to the spec.
  it.each<[SubIndicatorId, string, number, 'linear' | number | 'shown', 'events' | 'reported']>([
    ['1.1', 'transparency', 6, 'linear', 'reported'],
    ['1.2', 'transparency', 4, 'linear', 'reported'],
    ['1.3', 'transparency', 2, 'linear', 'reported'],
    ['1.4', 'transparency', 6, 'linear', 'events'],
    ['2.1', 'progress', 20, 'linear', 'events'],
    ['2.2', 'progress', 0, 'shown', 'events'],
    ['3.x', 'online', 12, 50, 'events'],
    ['3.3', 'online', 0, 'shown', 'events'],
    ['3.5a', 'payment', 2, 80, 'reported'],
    ['3.5b', 'payment', 2, 80, 'events'],
    ['3.6', 'payment', 6, 'linear', 'events'],
    ['4.1', 'digitization', 6, 'linear', 'events'],
    ['4.2', 'digitization', 4, 80, 'events'],
    ['4.c', 'digitization', 2, 'linear', 'reported'],
    ['4.3', 'digitization', 2, 80, 'events'],
    ['4.4', 'digitization', 4, 'linear', 'events'],
    ['4.5a', 'digitization', 2, 'linear', 'reported'],
    ['4.5b', 'digitization', 2, 'linear', 'events'],
    ['5.2', 'satisfaction', 6, 'linear', 'events'],
    ['5.3', 'satisfaction', 6, 'linear', 'events'],
    ['5.4', 'satisfaction', 6, 90, 'events'],
  ])('%s: group %s, Pmax %d, scoring %s, source %s', (id, group, pmax, rule, source) => {
    const def = INDEX_V2_BY_ID[id];
    const expected: ScoringRule = rule === 'linear' ? { kind: 'linear' } : rule === 'shown' ? { kind: 'none' } : { kind: 'fullAt', threshold: rule };
    expect(def).toMatchObject({ group, pmax, source, scoring: expected, scored: rule !== 'shown' });
  });

  it('lists the rows of the document in its order', () => {
    // The document's heading speaks of 20 sub-indicators; its table itemises 21 rows, 19 of
    // them scored and 2 shown only (2.2, 3.3). The itemised table is what is encoded.
    expect(INDEX_V2_SUB_INDICATORS.map((d) => d.id)).toEqual([
      '1.1',
      '1.2',
      '1.3',
      '1.4',
      '2.1',
      '2.2',
      '3.x',
      '3.3',
      '3.5a',
      '3.5b',
      '3.6',
      '4.1',
      '4.2',
      '4.c',
      '4.3',
      '4.4',
      '4.5a',
      '4.5b',
      '5.2',
      '5.3',
      '5.4',
    ]);
    expect(INDEX_V2_SUB_INDICATORS.filter((d) => d.scored).map((d) => d.id)).toHaveLength(19);
  });

  it.each([
    ['transparency', 18],
    ['progress', 20],
    ['online', 12],
    ['payment', 10],
    ['digitization', 22],
    ['satisfaction', 18],
  ])('the Pmax of group %s sum to its stated %d points', (group, points) => {
    expect(INDEX_V2_GROUPS.find((g) => g.id === group)?.pmax).toBe(points);
    const total = INDEX_V2_SUB_INDICATORS.filter((d) => d.group === group).reduce((s, d) => s + d.pmax, 0);
    expect(total).toBe(points);
  });

  it('the groups sum to 100 points', () => {
    expect(INDEX_V2_GROUPS.map((g) => g.id)).toHaveLength(6);
    expect(INDEX_V2_GROUPS.reduce((s, g) => s + g.pmax, 0)).toBe(100);
    expect(INDEX_V2_SUB_INDICATORS.reduce((s, d) => s + d.pmax, 0)).toBe(INDEX_V2_MAX_POINTS);
  });

  it('a sub-indicator is scored exactly when it has points and a scoring rule', () => {
    for (const d of INDEX_V2_SUB_INDICATORS) {
      expect(d.scored).toBe(d.pmax > 0);
      expect(d.scored).toBe(d.scoring.kind !== 'none');
    }
  });

  it('every count field is read by some sub-indicator', () => {
    const read = new Set<string>();
    for (const d of INDEX_V2_SUB_INDICATORS) {
      const m = d.measure;
      const ratios = m.kind === 'percentDifference' ? [m.minuend, m.subtrahend] : [m.ratio];
      for (const r of ratios) for (const s of [r.numerator, r.denominator]) [...s.plus, ...s.minus].forEach((f) => read.add(f));
      if (d.coverage) [d.coverage.known, d.coverage.total].forEach((f) => read.add(f));
    }
    expect([...INDEX_V2_COUNT_FIELDS].filter((f) => !read.has(f))).toEqual([]);
  });

  it('reported sub-indicators are single-field ratios, so a reported pair maps onto counts', () => {
    for (const d of INDEX_V2_SUB_INDICATORS.filter((x) => x.source === 'reported')) {
      expect(d.measure.kind).toBe('percent');
      if (d.measure.kind !== 'percent') continue;
      expect(d.measure.ratio.numerator).toEqual({ plus: [expect.any(String)], minus: [] });
      expect(d.measure.ratio.denominator).toEqual({ plus: [expect.any(String)], minus: [] });
    }
  });
});

describe('kpi-v2 scoring rules', () => {
  it.each<[string, ScoringRule, number, number | null, number | null]>([
    ['linear, 0%', { kind: 'linear' }, 20, 0, 0],
    ['linear, 90%', { kind: 'linear' }, 20, 90, 18],
    ['linear, 100%', { kind: 'linear' }, 20, 100, 20],
    ['linear, 2/3', { kind: 'linear' }, 6, 200 / 3, 4],
    ['full at ≥ 50%, 30%', { kind: 'fullAt', threshold: 50 }, 12, 30, 7.2],
    ['full at ≥ 50%, just below', { kind: 'fullAt', threshold: 50 }, 12, 49.5, 11.88],
    ['full at ≥ 50%, at the threshold', { kind: 'fullAt', threshold: 50 }, 12, 50, 12],
    ['full at ≥ 50%, above', { kind: 'fullAt', threshold: 50 }, 12, 80, 12],
    ['full at ≥ 80%, 79%', { kind: 'fullAt', threshold: 80 }, 4, 79, 3.95],
    ['full at ≥ 80%, at the threshold', { kind: 'fullAt', threshold: 80 }, 4, 80, 4],
    ['full at ≥ 90%, 45%', { kind: 'fullAt', threshold: 90 }, 6, 45, 3],
    ['full at ≥ 90%, at the threshold', { kind: 'fullAt', threshold: 90 }, 6, 90, 6],
    ['a difference below 0 scores 0', { kind: 'fullAt', threshold: 90 }, 6, -10, 0],
    ['no data: no points, no penalty', { kind: 'linear' }, 20, null, null],
    ['not scored', { kind: 'none' }, 0, 75, null],
  ])('%s', (_name, rule, pmax, rate, points) => {
    const p = pointsFor(rule, pmax, rate);
    if (points === null) expect(p).toBeNull();
    else expect(p).toBeCloseTo(points, 10);
  });
});

describe('kpi-v2 rates from summed counts', () => {
  it.each<[SubIndicatorId, Partial<IndexV2Counts>, number, number]>([
    ['1.1', { proceduresAnnouncedOnTime: 9, proceduresAnnounced: 10 }, 90, 5.4],
    ['1.2', { proceduresPublishedOnTime: 3, proceduresDueToPublish: 4 }, 75, 3],
    ['1.3', { proceduresFullyPublished: 1, proceduresPublished: 2 }, 50, 1],
    ['1.4', { synced: 45, syncTracked: 50, received: 80 }, 90, 5.4],
    ['2.1', { resolved: 6, resolvedOnTime: 5, inProgress: 4, inProgressOverdue: 1 }, 80, 16],
    ['3.x', { fullEligibleOnline: 3, fullEligible: 10 }, 30, 7.2],
    ['3.5a', { feeProceduresOnPortal: 7, feeProceduresCatalogued: 10 }, 70, 1.75],
    ['3.5b', { feeProceduresPaidOnline: 4, feeProceduresReceived: 5 }, 80, 2],
    ['3.6', { paidOnline: 1, feeRequired: 4 }, 25, 1.5],
    ['4.1', { eResult: 8, resultResolved: 10 }, 80, 4.8],
    ['4.2', { digitized: 9, received: 10 }, 90, 4],
    ['4.c', { certificationProvided: 1, certificationUnits: 1 }, 100, 2],
    ['4.3', { reusedDigitizedData: 3, reuseKnown: 5, received: 10 }, 60, 1.5],
    ['4.4', { citizenStoreLinked: 1, citizenStoreKnown: 4, received: 10 }, 25, 1],
    ['4.5a', { citizenProceduresConnected: 3, citizenProcedures: 3 }, 100, 2],
    ['4.5b', { citizenDataUsed: 1, citizenDataKnown: 3, received: 3 }, 33.33, 0.67],
    ['5.2', { feedbackAnswered: 3, feedbackAnsweredOnTime: 2, feedbackOpen: 1, feedbackOpenOverdue: 0 }, 75, 4.5],
    ['5.3', { feedbackFirstTime: 10, feedbackFirstTimeLost: 3 }, 70, 4.2],
    ['5.4', { resolved: 10, resolvedOnTime: 10, resolvedDissatisfied: 1 }, 90, 6],
  ])('%s', (id, c, value, points) => {
    const s = score(id, c);
    expect(s.value).toBe(value);
    expect(s.points).toBe(points);
    expect(s.lost).toBe(Math.round((s.pmax - points) * 100) / 100);
  });

  it.each<[SubIndicatorId, Partial<IndexV2Counts>, number]>([
    ['2.2', { processingDays: 10.5, resolved: 4 }, 2.63],
    ['3.3', { receivedOnline: 1, received: 3 }, 33.33],
  ])('%s is shown with a value and earns no points', (id, c, value) => {
    const s = score(id, c);
    expect(s).toMatchObject({ value, scored: false, points: null, lost: null });
  });

  it('2.2 is a mean in days over the dossiers completed in the period', () => {
    expect(score('2.2', { processingDays: 10.5, resolved: 4 })).toMatchObject({ unit: 'days', exact: 2.625, parts: [{ numerator: 10.5, denominator: 4 }] });
  });

  it.each(INDEX_V2_SUB_INDICATORS.map((d) => d.id))('%s: a zero denominator gives no data, never 0', (id) => {
    const s = score(id, {});
    expect(s).toMatchObject({ exact: null, value: null, points: null, lost: null });
  });

  it.each<[SubIndicatorId, Partial<IndexV2Counts>]>([
    ['1.1', { proceduresAnnouncedOnTime: 3 }],
    ['3.5b', { feeProceduresPaidOnline: 2 }],
    ['4.3', { reusedDigitizedData: 0, received: 10 }],
    ['5.3', { feedbackAnswered: 4 }],
    // On-time has a value from the dossiers in progress, but none was resolved: no complaint share, no data.
    ['5.4', { inProgress: 5 }],
  ])('%s: no data while its denominator is 0, whatever else is counted', (id, c) => {
    expect(score(id, c)).toMatchObject({ value: null, points: null });
  });

  it('5.4 is 100% − (overdue % + complaint-or-dislike %), with its parts', () => {
    // on time 75% (overdue 25%), complaint or dislike 1 of 4 resolved (25%): 50%, full at 90%
    const s = score('5.4', { resolved: 4, resolvedOnTime: 3, resolvedDissatisfied: 1 });
    expect(s.value).toBe(50);
    expect(s.parts).toEqual([
      { numerator: 3, denominator: 4 },
      { numerator: 1, denominator: 4 },
    ]);
    expect(s.points).toBe(3.33); // 6 × 50/90
  });

  it('5.4 below 0 is shown as it is and scores 0', () => {
    const s = score('5.4', { resolved: 2, resolvedOnTime: 0, resolvedDissatisfied: 1 });
    expect(s).toMatchObject({ value: -50, points: 0, lost: 6 });
  });

  it('a scope rate is the ratio of summed counts, not the mean of unit rates', () => {
    const province = sumIndexV2Counts([
      { received: 1, reuseKnown: 1, reusedDigitizedData: 1 },
      { received: 100, reuseKnown: 100, reusedDigitizedData: 1 },
    ]);
    // the mean of 100% and 1% would be 50.5%
    expect(subIndicatorRate(INDEX_V2_BY_ID['4.3'], province)).toMatchObject({ value: 1.98, parts: [{ numerator: 2, denominator: 101 }] });
  });
});

describe('kpi-v2 unknown attributes and coverage', () => {
  it('an unknown attribute is left out of numerator and denominator, and its share shown', () => {
    const values = [true, false, undefined, undefined];
    const t = tallyAttribute(values);
    expect(t).toEqual({ yes: 1, known: 2, total: 4 });
    const s = score('4.5b', { citizenDataUsed: t.yes, citizenDataKnown: t.known, received: t.total });
    // taken as false it would read 25%
    expect(s.value).toBe(50);
    expect(s.coverage).toEqual({ attributes: ['citizenDataUsed'], known: 2, total: 4, value: 50 });
  });

  it('with no dossier carrying the attribute there is no data, and coverage 0%', () => {
    const s = score('4.3', { received: 12 });
    expect(s).toMatchObject({ value: null, points: null, coverage: { known: 0, total: 12, value: 0 } });
  });

  it('with no dossier at all coverage has no value either', () => {
    expect(score('4.3', {}).coverage).toMatchObject({ known: 0, total: 0, value: null });
  });

  it('a unit whose sources never sent `synced` has no data for 1.4, not 0%', () => {
    const silent = score('1.4', { received: 30 });
    expect(silent).toMatchObject({ value: null, points: null, lost: null, coverage: { attributes: ['synced'], known: 0, total: 30, value: 0 } });
    // in a province, only the dossiers of the units that send it count
    const province = sumIndexV2Counts([{ received: 30 }, { received: 10, syncTracked: 10, synced: 9 }]);
    expect(scoreSubIndicator(INDEX_V2_BY_ID['1.4'], province)).toMatchObject({ value: 90, points: 5.4, coverage: { known: 10, total: 40, value: 25 } });
  });

  it.each<[string, boolean | undefined, boolean | undefined, boolean | undefined]>([
    ['component from the store, result not synced', true, false, true],
    ['result synced, store use not sent', undefined, true, true],
    ['neither', false, false, false],
    ['store use not sent, result not synced', undefined, false, undefined],
    ['no store component, result sync not sent', false, undefined, undefined],
    ['nothing sent', undefined, undefined, undefined],
  ])('4.4 is either attribute, unknown only when neither settles it: %s', (_name, fromStore, syncedToStore, expected) => {
    expect(triOr(fromStore, syncedToStore)).toBe(expected);
  });

  it('4.4 over dossiers of mixed knowledge', () => {
    const t = tallyAttribute([triOr(true, undefined), triOr(undefined, true), triOr(false, false), triOr(undefined, false), triOr(undefined, undefined)]);
    const s = score('4.4', { citizenStoreLinked: t.yes, citizenStoreKnown: t.known, received: t.total });
    expect(s).toMatchObject({ value: 66.67, points: 2.67, coverage: { known: 3, total: 5, value: 60 } });
  });

  it('sub-indicators without optional attributes report no coverage', () => {
    const withCoverage = INDEX_V2_SUB_INDICATORS.filter((d) => d.coverage !== null).map((d) => d.id);
    expect(withCoverage).toEqual(['1.4', '4.3', '4.4', '4.5b']);
    expect(score('2.1', { resolved: 1, resolvedOnTime: 1 }).coverage).toBeNull();
  });
});

describe('kpi-v2 totals', () => {
  it('with no data anywhere nothing is earned, nothing is available, every scored sub-indicator is missing', () => {
    const r = computeIndexV2(counts({}));
    expect(r).toMatchObject({ version: 'kpi-v2', earned: 0, available: 0, lost: 0 });
    expect(r.missing).toHaveLength(19);
    expect(r.subIndicators).toHaveLength(21);
  });

  it('earned of available per group and overall, the missing named, never rescaled to 100', () => {
    const r = computeIndexV2(
      counts({
        // progress: on time 90% → 18 of 20
        resolved: 10,
        resolvedOnTime: 9,
        processingDays: 25,
        // online: full-process 30% of 50% → 7.2 of 12
        received: 10,
        receivedOnline: 3,
        fullEligible: 10,
        fullEligibleOnline: 3,
        // payment: 3.6 at 50% → 3 of 6; 3.5b at 100% → 2 of 2; 3.5a not reported
        feeRequired: 4,
        paidOnline: 2,
        feeProceduresReceived: 2,
        feeProceduresPaidOnline: 2,
        // digitisation: 4.2 at 100% → 4 of 4; 4.1 no result returned; the rest not sent
        digitized: 10,
        // satisfaction: 5.4 at 90% − 0% → 6 of 6; no feedback
        // transparency: 1.1 reported at 50% → 3 of 6
        proceduresAnnouncedOnTime: 1,
        proceduresAnnounced: 2,
      }),
    );
    const group = Object.fromEntries(r.groups.map((g) => [g.id, g]));
    expect(group.transparency).toEqual({ id: 'transparency', pmax: 18, earned: 3, available: 6, lost: 3, missing: ['1.2', '1.3', '1.4'] });
    expect(group.progress).toEqual({ id: 'progress', pmax: 20, earned: 18, available: 20, lost: 2, missing: [] });
    expect(group.online).toEqual({ id: 'online', pmax: 12, earned: 7.2, available: 12, lost: 4.8, missing: [] });
    expect(group.payment).toEqual({ id: 'payment', pmax: 10, earned: 5, available: 8, lost: 3, missing: ['3.5a'] });
    expect(group.digitization).toEqual({ id: 'digitization', pmax: 22, earned: 4, available: 4, lost: 0, missing: ['4.1', '4.c', '4.3', '4.4', '4.5a', '4.5b'] });
    expect(group.satisfaction).toEqual({ id: 'satisfaction', pmax: 18, earned: 6, available: 6, lost: 0, missing: ['5.2', '5.3'] });
    expect(r.earned).toBe(43.2);
    expect(r.available).toBe(56);
    expect(r.lost).toBe(12.8);
    expect(r.missing).toEqual(['1.2', '1.3', '1.4', '3.5a', '4.1', '4.c', '4.3', '4.4', '4.5a', '4.5b', '5.2', '5.3']);
    // shown-only sub-indicators have values but are neither available nor missing
    const shown = Object.fromEntries(r.subIndicators.filter((s) => !s.scored).map((s) => [s.id, s.value]));
    expect(shown).toEqual({ '2.2': 2.5, '3.3': 30 });
  });

  it('group totals add unrounded points', () => {
    // three linear sub-indicators at 1/7: 6/7 + 4/7 + 2/7 = 1.714…, where the rounded
    // points 0.86 + 0.57 + 0.29 would add to 1.72
    const r = computeIndexV2(
      counts({
        proceduresAnnouncedOnTime: 1,
        proceduresAnnounced: 7,
        proceduresPublishedOnTime: 1,
        proceduresDueToPublish: 7,
        proceduresFullyPublished: 1,
        proceduresPublished: 7,
      }),
    );
    expect(r.subIndicators.slice(0, 3).map((s) => s.points)).toEqual([0.86, 0.57, 0.29]);
    expect(r.groups.find((g) => g.id === 'transparency')).toMatchObject({ earned: 1.71, available: 12, lost: 10.29 });
  });
});

describe('kpi-v2 reported values', () => {
  it('a reported pair lands in the counts its sub-indicator reads, repeats summed', () => {
    const c = countsFromReported([
      { id: '1.1', numerator: 8, denominator: 10 },
      { id: '1.1', numerator: 2, denominator: 2 },
      { id: '4.c', numerator: 1, denominator: 1 },
      { id: '4.c', numerator: 0, denominator: 1 },
    ]);
    expect(c).toEqual({ proceduresAnnouncedOnTime: 10, proceduresAnnounced: 12, certificationProvided: 1, certificationUnits: 2 });
    // two units, one providing electronic certified copies: half the points of 4.c
    expect(score('4.c', c)).toMatchObject({ value: 50, points: 1 });
  });
});

describe('kpi-v2 agrees with kpi-v1 where the definitions are the same', () => {
  const p: PeriodCounters = {
    ...zeroPeriod(),
    received: 37,
    receivedOnline: 14,
    receivedPostal: 2,
    fullEligible: 21,
    fullEligibleOnline: 9,
    feeRequired: 11,
    paidOnline: 4,
    digitized: 29,
    resolved: 31,
    resolvedOnTime: 27,
    resultResolved: 19,
    eResult: 13,
    complaints: 2,
    inProgress: 12,
    inProgressOverdue: 3,
  };
  // kpi-v2 count fields named as kpi-v1 counters mean the same
  const shared: Partial<IndexV2Counts> = {};
  for (const f of INDEX_V2_COUNT_FIELDS) if (f in p) shared[f] = p[f as keyof PeriodCounters];
  const v1 = computeKpis(p).kpis;

  it.each(INDEX_V2_SUB_INDICATORS.filter((d) => d.kpiV1 !== null).map((d) => [d.id, d.kpiV1] as const))('%s has the value of kpi-v1 %s', (id, kpi) => {
    if (kpi === null) throw new Error('filtered to linked sub-indicators');
    const s = score(id, shared);
    expect(s.value).toBe(v1[kpi].value);
    expect(s.parts).toEqual([{ numerator: v1[kpi].numerator, denominator: v1[kpi].denominator }]);
  });

  it('5.4 equals kpi-v1 satisfaction when no resolved dossier was rated unsatisfied without a complaint', () => {
    expect(score('5.4', { ...shared, resolvedDissatisfied: p.complaints }).value).toBe(v1.satisfaction.value);
  });
});
