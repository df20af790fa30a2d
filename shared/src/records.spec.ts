import { describe, expect, it } from '@jest/globals';
import { type DossierFacts, applyEvent, emptyFacts } from './kpi/dossier.js';
import { type DossierSpec, at, eventsOf, foldEvents, recordOf } from './kpi/test-dossiers.js';
import { type DossierRecord, parseRecord, recordEvents, recordEventId } from './records.js';

const NOW = Date.parse('2026-03-10T10:00:00+07:00');


/** Facts without the events' ids: a record's events and a source's events differ only there. */
function withoutIds(f: DossierFacts): unknown {
  return JSON.parse(JSON.stringify(f, (k, v) => (k === 'id' ? undefined : v)));
}

function foldRecord(r: DossierRecord): DossierFacts {
  const p = parseRecord(r, NOW);
  if (!p.ok) throw new Error(p.reason);
  const f = emptyFacts(r.dossierId, p.unit);
  for (const e of p.events) applyEvent(f, e, Date.parse(e.occurredAt));
  return f;
}

const CASES: [string, DossierSpec & { id: string }][] = [
  ['received only', { id: 'R1', received: '2026-01-05T08:30', due: '2026-01-08T17:00', channel: 'online', fullOnlineEligible: true }],
  ['completed on time with an electronic result', { id: 'R2', received: '2026-01-05T08:30', due: '2026-01-08T17:00', resultRequired: true, digitized: '2026-01-05T09:00', completed: '2026-01-07T10:00', resultIssued: { at: '2026-01-07T10:00', electronic: true } }],
  ['completed late, paper result', { id: 'R3', received: '2026-01-05T08:30', due: '2026-01-06T17:00', resultRequired: true, completed: '2026-01-09T10:00', resultIssued: { at: '2026-01-09T11:00', electronic: false } }],
  ['rejected', { id: 'R4', received: '2026-01-05T08:30', due: '2026-01-08T17:00', completed: '2026-01-05T10:00', outcome: 'rejected' }],
  ['one supplement request stops the clock', { id: 'R5', received: '2026-01-05T08:30', due: '2026-01-08T17:00', supplements: ['2026-01-06T09:00'], completed: '2026-01-12T10:00' }],
  ['two supplement requests', { id: 'R6', received: '2026-01-05T08:30', due: '2026-01-08T17:00', supplements: ['2026-01-06T09:00', '2026-01-07T09:00'] }],
  ['five supplement requests (only two instants carried)', { id: 'R7', received: '2026-01-05T08:30', due: '2026-01-08T17:00', supplements: ['2026-01-07T09:00', '2026-01-06T09:00', '2026-01-09T09:00', '2026-01-10T09:00', '2026-01-11T09:00'] }],
  ['paid online, rated with a complaint', { id: 'R8', received: '2026-01-05T08:30', due: '2026-01-08T17:00', feeRequired: true, paid: { at: '2026-01-05T08:31', online: true }, rated: { at: '2026-01-08T08:00', satisfied: false, complaint: true } }],
  ['paid at the desk, rated satisfied', { id: 'R9', received: '2026-01-05T08:30', due: '2026-01-08T17:00', feeRequired: true, paid: { at: '2026-01-05T08:31', online: false }, rated: { at: '2026-01-08T08:00', satisfied: true, complaint: false } }],
  ['province-level dossier', { id: 'R10', unit: '01', received: '2026-01-05T08:30', due: '2026-01-20T17:00', channel: 'postal', completed: '2026-01-15T10:00', outcome: 'stopped' }],
];

describe('dossier records', () => {
  it.each(CASES)('folding the record equals folding the events: %s', (_name, spec) => {
    expect(withoutIds(foldRecord(recordOf(spec)))).toEqual(withoutIds(foldEvents(eventsOf(spec))[0]!));
  });

  it('expands to events with deterministic ids', () => {
    const r = recordOf(CASES[6]![1]);
    const ids = recordEvents(r).map((e) => e.eventId);
    expect(ids).toEqual(recordEvents(r).map((e) => e.eventId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.startsWith(`${recordEventId('R7')}/`))).toBe(true);
    expect(ids.filter((id) => id.includes('/supplement_requested/'))).toHaveLength(5);
  });

  it('accepts a 128-character dossierId (its events get longer ids than a source may choose)', () => {
    expect(parseRecord({ ...recordOf(CASES[0]![1]), dossierId: 'D'.repeat(128) }, NOW).ok).toBe(true);
  });

  const base = recordOf(CASES[1]![1]);
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an instant in the future, naming the field', { completedAt: '2026-03-11T10:00:00+07:00' }, /^completedAt is in the future/],
    ['an instant without an offset', { digitizedAt: '2026-01-05T09:00:00' }, /^digitizedAt must be an ISO-8601 instant with an offset/],
    ['an instant before 2000', { receivedAt: '1999-12-31T08:00:00+07:00' }, /^receivedAt is before 2000-01-01/],
    ['an appointment before the receipt', { dueAt: '2026-01-04T17:00:00+07:00' }, /^dueAt \(the appointment\) is before receivedAt/],
    ['both unit codes', { provinceCode: '01' }, /exactly one of communeCode/],
    ['a bad commune code', { communeCode: '4' }, /communeCode must be a 5-digit code/],
    ['an unknown channel', { channel: 'fax' }, /channel must be one of online, direct, postal/],
    ['a completion without outcome', { outcome: undefined }, /completedAt and outcome go together/],
    ['a count below the instants given', { supplementCount: 0, supplementRequestedAt1: at('2026-01-06T09:00') }, /supplementCount is 0 but 1/],
    ['a count without instants', { supplementCount: 2 }, /give the instant of each of the first 2/],
    ['an unknown field', { note: 'x' }, /unknown field\(s\): note/],
    ['a missing field', { sector: undefined }, /sector is required/],
    ['an empty dossierId', { dossierId: '  ' }, /dossierId must not be empty/],
    ['a boolean as text', { feeRequired: 'yes' }, /feeRequired must be true or false/],
  ])('rejects %s with a reason', (_name, change, reason) => {
    const p = parseRecord({ ...base, ...change }, NOW);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toMatch(reason);
  });
});
