import { describe, expect, it } from '@jest/globals';
import { parseEvent } from '../events.js';
import { citizenStoreInstants, dissatisfiedAt, dissatisfiedSteps } from './dossier.js';
import { evaluatePeriod } from './reference.js';
import { dossier, eventsOf, ms } from './test-dossiers.js';

const NOW = Date.parse('2026-06-30T10:00:00+07:00');

describe('ingest contract v1.1', () => {
  const [received] = eventsOf({ id: 'E1', received: '2026-05-04T08:00', due: '2026-05-06T17:00' });

  it('keeps every v1 event valid, and carries the optional attributes only when sent', () => {
    const v1 = parseEvent(received, NOW);
    expect(v1.ok && v1.event).toEqual(received);
    const v11 = parseEvent({ ...received, citizenDataUsed: false, reusedDigitizedData: true }, NOW);
    // In the contract's order, whatever order they were sent in.
    expect(v11.ok && Object.keys(v11.event).slice(-2)).toEqual(['reusedDigitizedData', 'citizenDataUsed']);
  });

  it('accepts synced with the envelope only, and names what is wrong', () => {
    const synced = { eventId: 'E1-y', type: 'synced', occurredAt: '2026-05-04T09:00:00+07:00', dossierId: 'E1', communeCode: '00004' };
    expect(parseEvent(synced, NOW).ok).toBe(true);
    const bad = parseEvent({ ...synced, electronic: true }, NOW);
    expect(!bad.ok && bad.reason).toBe('unknown field(s): electronic');
    const wrongType = parseEvent({ ...received, fromCitizenStore: 1 }, NOW);
    expect(!wrongType.ok && wrongType.reason).toBe('fromCitizenStore must be true or false');
    const result = parseEvent(
      { eventId: 'E1-e', type: 'result_issued', occurredAt: '2026-05-05T09:00:00+07:00', dossierId: 'E1', communeCode: '00004', electronic: true, syncedToCitizenStore: 'yes' },
      NOW,
    );
    expect(!result.ok && result.reason).toBe('syncedToCitizenStore must be true or false');
  });
});

describe('5.4: complaint or latest rating unsatisfied, as of an instant', () => {
  const base = { received: '2026-05-04T08:00', due: '2026-05-06T17:00', completed: '2026-05-05T10:00' };
  it.each<[string, Parameters<typeof dossier>[0], [string, boolean][]]>([
    ['never rated', base, [['2026-05-31T00:00', false]]],
    ['satisfied', { ...base, rated: { at: '2026-05-05T11:00', satisfied: true, complaint: false } }, [['2026-05-31T00:00', false]]],
    [
      'unsatisfied, then satisfied',
      { ...base, rated: { at: '2026-05-05T11:00', satisfied: false, complaint: false }, laterRatings: [{ at: '2026-05-07T08:00', satisfied: true, complaint: false }] },
      [
        ['2026-05-05T10:30', false],
        ['2026-05-06T00:00', true],
        ['2026-05-08T00:00', false],
      ],
    ],
    [
      'a complaint stays whatever the later ratings say',
      { ...base, rated: { at: '2026-05-05T11:00', satisfied: false, complaint: true }, laterRatings: [{ at: '2026-05-07T08:00', satisfied: true, complaint: false }] },
      [
        ['2026-05-06T00:00', true],
        ['2026-05-08T00:00', true],
      ],
    ],
    [
      'rated before its completion counts from the completion',
      { ...base, rated: { at: '2026-05-04T09:00', satisfied: false, complaint: false } },
      [
        ['2026-05-05T09:00', false],
        ['2026-05-05T10:01', true],
      ],
    ],
  ])('%s', (_name, spec, checks) => {
    const f = dossier(spec);
    for (const [t, want] of checks) {
      expect(dissatisfiedAt(f, ms(t))).toBe(want);
      // The steps say the same as the direct rule.
      expect(dissatisfiedSteps(f).reduce((s, [at, d]) => (at < ms(t) ? s + d : s), 0)).toBe(want ? 1 : 0);
    }
  });
});

describe('4.4: the citizen-store link is three-valued', () => {
  const base = { received: '2026-05-04T08:00', due: '2026-05-06T17:00', completed: '2026-05-05T10:00', resultRequired: true };
  it.each<[string, Parameters<typeof dossier>[0], string | null, string | null]>([
    ['nothing sent: unknown', base, null, null],
    ['from the store: linked at receipt', { ...base, fromCitizenStore: true }, '2026-05-04T08:00', '2026-05-04T08:00'],
    ['not from the store, result not said: unknown', { ...base, fromCitizenStore: false, resultIssued: { at: '2026-05-05T10:00', electronic: true } }, null, null],
    [
      'not from the store, result synced: linked at the issue',
      { ...base, fromCitizenStore: false, resultIssued: { at: '2026-05-05T10:00', electronic: true, syncedToCitizenStore: true } },
      '2026-05-05T10:00',
      '2026-05-05T10:00',
    ],
    [
      'not from the store, result not synced: known, not linked',
      { ...base, fromCitizenStore: false, resultIssued: { at: '2026-05-05T10:00', electronic: true, syncedToCitizenStore: false } },
      '2026-05-05T10:00',
      null,
    ],
    ['unknown receipt, result synced: linked', { ...base, resultIssued: { at: '2026-05-05T10:00', electronic: true, syncedToCitizenStore: true } }, '2026-05-05T10:00', '2026-05-05T10:00'],
    ['unknown receipt, result not synced: unknown', { ...base, resultIssued: { at: '2026-05-05T10:00', electronic: true, syncedToCitizenStore: false } }, null, null],
  ])('%s', (_name, spec, known, linked) => {
    const i = citizenStoreInstants(dossier(spec));
    expect(i).toEqual({ knownAt: known === null ? null : ms(known), linkedAt: linked === null ? null : ms(linked) });
  });
});

describe('the reference counts of v1.1', () => {
  it('counts unknown attributes on neither side, synced by the period end, and processing seconds', () => {
    const facts = [
      dossier({ id: 'A', received: '2026-05-04T08:00', due: '2026-05-06T17:00', reusedDigitizedData: true, citizenDataUsed: false, synced: '2026-05-04T09:00', completed: '2026-05-05T08:00' }),
      dossier({ id: 'B', received: '2026-05-04T10:00', due: '2026-05-06T17:00', reusedDigitizedData: false, synced: '2026-05-06T09:00' }),
      dossier({ id: 'C', unit: '00008', received: '2026-05-04T11:00', due: '2026-05-06T17:00' }),
    ];
    const p = evaluatePeriod(facts, ms('2026-05-04T00:00'), ms('2026-05-05T00:00') + 86_400_000, new Map([['00004', ms('2026-05-04T09:00')]]));
    expect(p).toMatchObject({ received: 3, reuseKnown: 2, reusedDigitizedData: 1, citizenDataKnown: 1, citizenDataUsed: 0, synced: 1, syncTracked: 2, resolved: 1, processingSeconds: 86_400 });
  });
});

describe('rankings on a common available set', () => {
  it('compares units on the sub-indicators every unit with data has; a unit without data has no value', async () => {
    const { commonIndexPoints, pmaxOf } = await import('./index-v2-view.js');
    const r = commonIndexPoints([
      { earned: 30, available: 40, missing: [], points: { '2.1': 18, '4.3': 2, '3.6': 4 } },
      { earned: 20, available: 26, missing: [], points: { '2.1': 16, '4.3': null, '3.6': 4 } },
      { earned: 0, available: 0, missing: [], points: { '2.1': null, '4.3': null, '3.6': null } },
    ]);
    expect(r.common).toEqual(['2.1', '3.6']);
    expect(r.values).toEqual([22, 20, null]);
    expect(pmaxOf(r.common)).toBe(26);
  });
});
