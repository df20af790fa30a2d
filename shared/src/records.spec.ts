import { describe, expect, it } from '@jest/globals';
import { type DossierFacts, applyEvent, applyRecord, copyFacts, emptyFacts, recordEventSpan } from './kpi/dossier.js';
import { type DossierSpec, at, eventsOf, foldEvents, recordOf } from './kpi/test-dossiers.js';
import { mulberry32 } from './random.js';
import { type DossierRecord, RECORD_COLUMNS, RECORD_INSTANT_FIELDS, conformingShape, parseRecord, parseRecordBySchema, recordEvents, recordEventId, recordShapeSchema } from './records.js';

const NOW = Date.parse('2026-03-10T10:00:00+07:00');

/** Facts without the events' ids: a record's events and a source's events differ only there. */
/** The value and everything in it made read-only: a change in place throws (modules run in strict mode). */
function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

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
  [
    'completed on time with an electronic result',
    {
      id: 'R2',
      received: '2026-01-05T08:30',
      due: '2026-01-08T17:00',
      resultRequired: true,
      digitized: '2026-01-05T09:00',
      completed: '2026-01-07T10:00',
      resultIssued: { at: '2026-01-07T10:00', electronic: true },
    },
  ],
  [
    'completed late, paper result',
    { id: 'R3', received: '2026-01-05T08:30', due: '2026-01-06T17:00', resultRequired: true, completed: '2026-01-09T10:00', resultIssued: { at: '2026-01-09T11:00', electronic: false } },
  ],
  ['rejected', { id: 'R4', received: '2026-01-05T08:30', due: '2026-01-08T17:00', completed: '2026-01-05T10:00', outcome: 'rejected' }],
  ['one supplement request stops the clock', { id: 'R5', received: '2026-01-05T08:30', due: '2026-01-08T17:00', supplements: ['2026-01-06T09:00'], completed: '2026-01-12T10:00' }],
  ['two supplement requests', { id: 'R6', received: '2026-01-05T08:30', due: '2026-01-08T17:00', supplements: ['2026-01-06T09:00', '2026-01-07T09:00'] }],
  [
    'five supplement requests (only two instants carried)',
    { id: 'R7', received: '2026-01-05T08:30', due: '2026-01-08T17:00', supplements: ['2026-01-07T09:00', '2026-01-06T09:00', '2026-01-09T09:00', '2026-01-10T09:00', '2026-01-11T09:00'] },
  ],
  [
    'paid online, rated with a complaint',
    {
      id: 'R8',
      received: '2026-01-05T08:30',
      due: '2026-01-08T17:00',
      feeRequired: true,
      paid: { at: '2026-01-05T08:31', online: true },
      rated: { at: '2026-01-08T08:00', satisfied: false, complaint: true },
    },
  ],
  [
    'paid at the desk, rated satisfied',
    {
      id: 'R9',
      received: '2026-01-05T08:30',
      due: '2026-01-08T17:00',
      feeRequired: true,
      paid: { at: '2026-01-05T08:31', online: false },
      rated: { at: '2026-01-08T08:00', satisfied: true, complaint: false },
    },
  ],
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

describe('the hand-written shape check (conformingShape) and the zod schema', () => {
  const ODD: unknown[] = [
    undefined,
    null,
    true,
    false,
    0,
    1,
    2,
    3,
    99,
    100,
    -1,
    -0,
    1.5,
    NaN,
    Infinity,
    '',
    ' ',
    'x',
    ' padded ',
    '\u00a0x\u00a0',
    '1',
    'true',
    [],
    {},
    '00004',
    '01',
    '2026-01-05T08:30:00+07:00',
    '2026-02-30T08:30:00+07:00',
    'online',
    'resolved',
  ];
  const KEYS = [...RECORD_COLUMNS, 'extra', 'eventId', 'type', '__proto__', 'constructor'];

  function validRecord(rnd: () => number): Record<string, unknown> {
    const r: Record<string, unknown> = {
      dossierId: `D-${Math.floor(rnd() * 1e6)}`,
      communeCode: '00004',
      procedureCode: '1.001193',
      sector: 'Hộ tịch',
      channel: 'online',
      fullOnlineEligible: rnd() < 0.5,
      resultRequired: true,
      feeRequired: rnd() < 0.5,
      receivedAt: '2026-01-05T08:30:00+07:00',
      dueAt: '2026-01-08T17:00:00+07:00',
    };
    if (rnd() < 0.5) Object.assign(r, { completedAt: '2026-01-07T10:00:00+07:00', outcome: 'resolved' });
    if (rnd() < 0.3) Object.assign(r, { supplementCount: 1, supplementRequestedAt1: '2026-01-06T09:00:00+07:00' });
    if (rnd() < 0.3) Object.assign(r, { paidAt: '2026-01-05T08:31:00+07:00', paidOnline: true });
    // Contract v1.1 attributes, each present or not.
    for (const k of ['reusedDigitizedData', 'citizenDataUsed', 'fromCitizenStore']) if (rnd() < 0.4) r[k] = rnd() < 0.5;
    if (rnd() < 0.3) r.syncedAt = '2026-01-05T09:30:00+07:00';
    return r;
  }

  it('returns exactly the schema output for every record it accepts, and accepts none the schema rejects', () => {
    const rnd = mulberry32(140);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    let fast = 0;
    let rejected = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      let r: Record<string, unknown> = validRecord(rnd);
      for (let n = Math.floor(rnd() * 3); n > 0; n--) {
        const k = pick(KEYS);
        const x = rnd();
        if (x < 0.2) delete r[k];
        else if (x < 0.25) r = Object.fromEntries(Object.entries(r).reverse());
        else if (x < 0.27) r = Object.assign(Object.create(null) as Record<string, unknown>, r);
        else r[k] = pick(ODD);
      }
      const z = recordShapeSchema.safeParse(r);
      const f = conformingShape(r);
      if (f !== null) {
        fast++;
        if (!z.success || JSON.stringify(f) !== JSON.stringify(z.data) || Object.keys(f).join() !== Object.keys(z.data).join()) mismatches.push(JSON.stringify(r));
      } else if (!z.success) rejected++;
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(fast).toBeGreaterThan(8_000);
    expect(rejected).toBeGreaterThan(8_000);
  });
});

describe('parseRecord and its reference (the shape schema, then parseEvent for each event)', () => {
  const INSTANTS = [
    '2026-01-05T08:30:00+07:00',
    '2026-01-05T08:30:00Z',
    '2026-01-05T08:30:00.5-03:30',
    '2026-01-04T08:30:00+07:00',
    '2026-01-09T08:30:00+07:00',
    '2031-01-05T08:30:00+07:00',
    '2026-03-10T10:01:00+07:00',
    '2026-03-10T10:03:00+07:00',
    '1999-12-31T23:59:59+07:00',
    '2026-02-30T08:30:00+07:00',
    '2026-01-05T08:30:00+07:10',
    '2026-01-05T08:30:00+15:00',
    '2026-01-05 08:30:00+07:00',
    '2026-01-05T08:30+07:00',
    '',
    'soon',
  ];
  const TEXTS = ['x', ' x ', '', ' ', 'a\u0000b', 'lone \ud800', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'y'.repeat(200), 'y'.repeat(201)];
  const CODES = ['00004', '01', '0004', '001', 'abcde', '', ' 00004'];

  it('gives the same answer, reason and events for every record', () => {
    const rnd = mulberry32(2024);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    let accepted = 0;
    let rejected = 0;
    let withInstants = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const r: Record<string, unknown> = {
        dossierId: `D-${i}`,
        communeCode: '00004',
        procedureCode: '1.001193',
        sector: 'Hộ tịch',
        channel: 'online',
        fullOnlineEligible: true,
        resultRequired: true,
        feeRequired: false,
        receivedAt: '2026-01-05T08:30:00+07:00',
        dueAt: '2026-01-08T17:00:00+07:00',
      };
      if (rnd() < 0.5) Object.assign(r, { completedAt: '2026-01-07T10:00:00+07:00', outcome: pick(['resolved', 'rejected', 'stopped']) });
      if (rnd() < 0.4) Object.assign(r, { supplementRequestedAt1: '2026-01-06T09:00:00+07:00' });
      if (rnd() < 0.2) Object.assign(r, { supplementRequestedAt1: '2026-01-06T09:00:00+07:00', supplementRequestedAt2: '2026-01-05T09:00:00+07:00', supplementCount: 2 + Math.floor(rnd() * 4) });
      if (rnd() < 0.3) Object.assign(r, { digitizedAt: '2026-01-05T09:00:00+07:00' });
      if (rnd() < 0.3) Object.assign(r, { resultIssuedAt: '2026-01-07T11:00:00+07:00', resultElectronic: rnd() < 0.5 });
      if (rnd() < 0.3) Object.assign(r, { paidAt: '2026-01-05T08:31:00+07:00', paidOnline: rnd() < 0.5 });
      if (rnd() < 0.3) Object.assign(r, { ratedAt: '2026-01-09T08:00:00+07:00', satisfied: rnd() < 0.5, complaint: rnd() < 0.5 });
      for (const k of ['reusedDigitizedData', 'citizenDataUsed', 'fromCitizenStore']) if (rnd() < 0.3) r[k] = rnd() < 0.5;
      if (rnd() < 0.2) r.resultSyncedToCitizenStore = rnd() < 0.5;
      if (rnd() < 0.3) r.syncedAt = '2026-01-05T10:00:00+07:00';
      for (let n = Math.floor(rnd() * 3); n > 0; n--) {
        const x = rnd();
        if (x < 0.45)
          r[pick(['receivedAt', 'dueAt', 'supplementRequestedAt1', 'supplementRequestedAt2', 'digitizedAt', 'completedAt', 'resultIssuedAt', 'paidAt', 'ratedAt', 'syncedAt'])] = pick(INSTANTS);
        else if (x < 0.65) r[pick(['dossierId', 'procedureCode', 'sector'])] = pick(TEXTS);
        else if (x < 0.75) r[pick(['communeCode', 'provinceCode'])] = pick(CODES);
        else if (x < 0.8) delete r.communeCode;
        else if (x < 0.85) r.channel = pick(['online', 'direct', 'postal', 'fax', '']);
        else if (x < 0.9) r.outcome = pick(['resolved', 'done', '']);
        else r[pick(RECORD_COLUMNS)] = pick([true, 3, 'x', '2026-01-05T08:30:00+07:00']);
      }
      const a = parseRecord(r, NOW);
      const b = parseRecordBySchema(r, NOW);
      if (a.ok) accepted++;
      else rejected++;
      // The record-level path also hands over the instants it parsed: each must be the instant of its field.
      const { instantsMs, ...answer } = a.ok ? a : { ...a, instantsMs: undefined };
      if (JSON.stringify(answer) !== JSON.stringify(b)) mismatches.push(JSON.stringify(r));
      if (a.ok && instantsMs !== undefined) {
        for (const k of RECORD_INSTANT_FIELDS) {
          const text = a.record[k];
          if ((text === undefined ? undefined : Date.parse(text)) !== instantsMs[k]) mismatches.push(`${k} of ${JSON.stringify(r)}`);
        }
        withInstants++;
      }
    }
    expect(withInstants).toBe(accepted);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(accepted).toBeGreaterThan(5_000);
    expect(rejected).toBeGreaterThan(5_000);
  });
});

describe('applyRecord: a record folded without building its events', () => {
  const BASE = Date.parse('2026-01-05T08:30:00+07:00');
  const OFFSETS = ['+07:00', 'Z', '+00:00', '-03:30'];

  /** An instant near BASE, often equal to another one (ties are decided by event id), in one of several spellings. */
  function instant(rnd: () => number): string {
    const ms = BASE + Math.floor(rnd() * 12) * 6 * 3_600_000 + (rnd() < 0.3 ? 0 : Math.floor(rnd() * 3_600) * 1000);
    const off = OFFSETS[Math.floor(rnd() * OFFSETS.length)]!;
    const shift = off === 'Z' || off === '+00:00' ? 0 : off === '+07:00' ? 7 * 3_600_000 : -3.5 * 3_600_000;
    return new Date(ms + shift).toISOString().slice(0, 19) + off;
  }

  function validRecord(rnd: () => number, dossierId: string): DossierRecord {
    const bool = () => rnd() < 0.5;
    const r: Record<string, unknown> = {
      dossierId,
      ...(rnd() < 0.15 ? { provinceCode: '01' } : { communeCode: rnd() < 0.5 ? '00004' : '00007' }),
      procedureCode: rnd() < 0.5 ? '1.001193' : '2.000908',
      sector: 'Hộ tịch',
      channel: ['online', 'direct', 'postal'][Math.floor(rnd() * 3)],
      fullOnlineEligible: bool(),
      resultRequired: bool(),
      feeRequired: bool(),
      receivedAt: instant(rnd),
      dueAt: instant(rnd),
    };
    const x = rnd();
    if (x < 0.2) Object.assign(r, { supplementRequestedAt1: instant(rnd) });
    else if (x < 0.35) Object.assign(r, { supplementRequestedAt1: instant(rnd), supplementRequestedAt2: instant(rnd) });
    else if (x < 0.5) Object.assign(r, { supplementRequestedAt1: instant(rnd), supplementRequestedAt2: instant(rnd), supplementCount: 2 + Math.floor(rnd() * 4) });
    else if (x < 0.55) Object.assign(r, { supplementCount: 0 });
    if (rnd() < 0.5) r.digitizedAt = instant(rnd);
    if (rnd() < 0.6) Object.assign(r, { completedAt: instant(rnd), outcome: ['resolved', 'rejected', 'stopped'][Math.floor(rnd() * 3)] });
    if (rnd() < 0.4) Object.assign(r, { resultIssuedAt: instant(rnd), resultElectronic: bool() });
    if (r.resultIssuedAt !== undefined && rnd() < 0.5) r.resultSyncedToCitizenStore = bool();
    if (rnd() < 0.4) Object.assign(r, { paidAt: instant(rnd), paidOnline: bool() });
    if (rnd() < 0.4) Object.assign(r, { ratedAt: instant(rnd), satisfied: bool(), complaint: bool() });
    if (rnd() < 0.4) r.syncedAt = instant(rnd);
    for (const k of ['reusedDigitizedData', 'citizenDataUsed', 'fromCitizenStore']) if (rnd() < 0.4) r[k] = bool();
    return r as unknown as DossierRecord;
  }

  it('gives exactly the facts of folding its events, from any earlier state, and counts them', () => {
    const rnd = mulberry32(1469);
    let supplements = 0;
    let replaced = 0;
    for (let i = 0; i < 20_000; i++) {
      const id = `D-${i}`;
      // The state before: empty, or folded from another record of the dossier and some events of a source.
      const before = emptyFacts(id, '00004');
      if (rnd() < 0.6) for (const e of recordEvents(validRecord(rnd, id))) applyEvent(before, e, Date.parse(e.occurredAt));
      if (rnd() < 0.3) applyEvent(before, { eventId: `src-${i}-r`, type: 'rated', occurredAt: instant(rnd), dossierId: id, communeCode: '00004', satisfied: rnd() < 0.5, complaint: rnd() < 0.5 }, 0);
      if (rnd() < 0.3)
        applyEvent(before, { eventId: `src-${i}-s`, type: 'supplement_requested', occurredAt: instant(rnd), dossierId: id, communeCode: '00004' }, BASE + Math.floor(rnd() * 48) * 3_600_000);
      const r = validRecord(rnd, id);
      const p = parseRecord(r, Date.parse('2026-03-10T10:00:00+07:00'));
      if (!p.ok) continue;
      const viaEvents = JSON.parse(JSON.stringify(before)) as DossierFacts;
      for (const e of recordEvents(r)) applyEvent(viaEvents, e, Date.parse(e.occurredAt));
      const direct = JSON.parse(JSON.stringify(before)) as DossierFacts;
      applyRecord(direct, r);
      expect(direct).toEqual(viaEvents);
      // Folding into a shallow copy (as the projector does) leaves the state before as it was: the fold changes no nested value in place.
      const frozen = deepFreeze(JSON.parse(JSON.stringify(before)) as DossierFacts);
      const viaRecord = copyFacts(frozen);
      applyRecord(viaRecord, r);
      const viaCopyEvents = copyFacts(frozen);
      for (const e of recordEvents(r)) applyEvent(viaCopyEvents, e, Date.parse(e.occurredAt));
      expect(viaRecord).toEqual(direct);
      expect(viaCopyEvents).toEqual(viaEvents);
      const events = recordEvents(r);
      expect(recordEventSpan(r)).toEqual({ events: events.length, latest: Math.max(...events.map((e) => Date.parse(e.occurredAt))) });
      if ((r.supplementCount ?? 0) > 2) supplements++;
      if (viaEvents.received !== before.received && before.received !== null) replaced++;
    }
    // The cases that matter were met: requests beyond the two instants, a receipt replacing an earlier state's.
    expect(supplements).toBeGreaterThan(500);
    expect(replaced).toBeGreaterThan(500);
  });
});
