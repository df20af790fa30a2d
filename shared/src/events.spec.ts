import { describe, expect, it } from '@jest/globals';
import { EARLIEST_INSTANT, EARLIEST_INSTANT_MS, MAX_DUE_AFTER_MS, MAX_FUTURE_SKEW_MS, type ParsedEvent, conformingEvent, dossierEventSchema, isRealOffset, parseEvent } from './events.js';
import { mulberry32 } from './random.js';

const NOW = Date.parse('2026-03-10T10:00:00+07:00');
const digitized = (occurredAt: string) => ({ eventId: 'e-1', type: 'digitized', occurredAt, dossierId: 'D-1', communeCode: '00004' });
const received = (occurredAt: string, dueAt: string) => ({
  eventId: 'e-2',
  type: 'received',
  occurredAt,
  dossierId: 'D-2',
  communeCode: '00004',
  procedureCode: '1.001193',
  sector: 'Hộ tịch',
  channel: 'online',
  fullOnlineEligible: true,
  resultRequired: true,
  feeRequired: false,
  dueAt,
});

describe('the instants an event may carry', () => {
  it.each([
    ['0000-01-01T00:00:00Z', 'before 2000-01-01'],
    ['0001-01-01T00:00:00+07:00', 'before 2000-01-01'],
    ['1000-06-01T00:00:00Z', 'before 2000-01-01'],
    ['1900-01-01T00:00:00Z', 'before 2000-01-01'],
    ['1970-01-01T00:00:00Z', 'before 2000-01-01'],
    ['1999-12-31T23:59:59+07:00', 'before 2000-01-01'],
    ['2026-03-10T10:03:00+07:00', 'in the future'],
    ['2026-03-01T08:00:00+14:59', 'offset no place uses'],
    ['2026-03-01T08:00:00-13:00', 'offset no place uses'],
    ['2026-03-01T08:00:00+07:10', 'offset no place uses'],
    ['2026-02-30T08:00:00+07:00', 'ISO-8601'],
  ])('occurredAt %s is rejected (%s)', (occurredAt, reason) => {
    const p = parseEvent(digitized(occurredAt), NOW);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toContain(reason);
  });

  it.each([
    '2000-01-01T00:00:00+07:00',
    '2026-03-10T10:01:00+07:00',
    '2026-03-01T08:00:00Z',
    '2026-03-01T08:00:00+14:00',
    '2026-03-01T08:00:00-12:00',
    '2026-03-01T08:00:00+05:45',
    '2026-03-01T08:00:00-03:30',
  ])('occurredAt %s is accepted', (occurredAt) => expect(parseEvent(digitized(occurredAt), NOW).ok).toBe(true));

  it('dueAt within 5 years after the receipt, not before it', () => {
    expect(parseEvent(received('2026-03-01T08:00:00+07:00', '2026-03-04T17:00:00+07:00'), NOW).ok).toBe(true);
    expect(parseEvent(received('2026-03-01T08:00:00+07:00', '2030-03-01T08:00:00+07:00'), NOW).ok).toBe(true);
    const far = parseEvent(received('2026-03-01T08:00:00+07:00', '4713-01-01T00:00:00Z'), NOW);
    expect(far.ok ? null : far.reason).toContain('more than 5 years');
    const before = parseEvent(received('2026-03-01T08:00:00+07:00', '2026-02-28T08:00:00+07:00'), NOW);
    expect(before.ok ? null : before.reason).toContain('before occurredAt');
  });

  it('knows real offsets', () => {
    expect(['Z', '+07:00', '+14:00', '-12:00', '+05:30', '+05:45', '-09:30'].map((o) => isRealOffset(`2026-01-01T00:00:00${o}`))).toEqual(Array(7).fill(true));
    expect(['+14:30', '-12:30', '+07:15', '+15:00', '-13:00', '+07:60'].map((o) => isRealOffset(`2026-01-01T00:00:00${o}`))).toEqual(Array(6).fill(false));
  });
});

describe('the hand-written contract check (conformingEvent) and the zod schema', () => {
  const BASE_TYPES = ['received', 'supplement_requested', 'supplement_received', 'digitized', 'completed', 'result_issued', 'paid', 'rated', 'synced'] as const;
  const KEYS = [
    'eventId',
    'type',
    'occurredAt',
    'dossierId',
    'communeCode',
    'provinceCode',
    'procedureCode',
    'sector',
    'channel',
    'fullOnlineEligible',
    'resultRequired',
    'feeRequired',
    'dueAt',
    'outcome',
    'electronic',
    'online',
    'satisfied',
    'complaint',
    'reusedDigitizedData',
    'citizenDataUsed',
    'fromCitizenStore',
    'syncedToCitizenStore',
    'extra',
    '__proto__',
    'constructor',
    'toString',
  ];
  const ODD_VALUES: unknown[] = [
    undefined,
    null,
    true,
    false,
    0,
    1,
    -0,
    NaN,
    12345,
    1.5,
    [],
    {},
    ['x'],
    '',
    ' ',
    '  \t ',
    'x',
    ' padded ',
    '\u00a0nbsp\u00a0',
    '\ufeffbom',
    'a\u0000b',
    '\u0000',
    'lone \ud800 high',
    'lone \udc00 low',
    'pair \ud83d\ude00 ok',
    '\ud83d\ude00',
    'x'.repeat(64),
    'x'.repeat(65),
    'x'.repeat(128),
    'x'.repeat(129),
    ` ${'y'.repeat(128)} `,
    'z'.repeat(200),
    'z'.repeat(201),
    '00004',
    '0004',
    '000040',
    '01',
    '1',
    '001',
    ' 01',
    '01 ',
    'ab',
    '٠١',
    '00004\n',
    'online',
    'direct',
    'postal',
    'Online',
    'resolved',
    'rejected',
    'stopped',
    'done',
    '2026-03-01T08:00:00+07:00',
    '2026-03-01T08:00:00Z',
    '2026-03-01T08:00:00z',
    '2026-03-01T08:00:00.123456789+07:00',
    '2026-03-01T08:00+07:00',
    '2026-03-01T08:00:00',
    '2026-03-01 08:00:00+07:00',
    '2024-02-29T08:00:00+07:00',
    '2025-02-29T08:00:00+07:00',
    '2026-02-30T08:00:00+07:00',
    '2026-03-01T24:00:00+07:00',
    '2026-03-01T08:00:60+07:00',
    '2026-03-01T08:00:00+14:00',
    '2026-03-01T08:00:00+14:15',
    '2026-03-01T08:00:00-12:00',
    '2026-03-01T08:00:00-12:30',
    '2026-03-01T08:00:00+05:45',
    '2026-03-01T08:00:00+07:10',
    '2026-03-01T08:00:00+0700',
    '2026-03-01T08:00:00.+07:00',
    ' 2026-03-01T08:00:00+07:00',
    '1999-12-31T23:59:59+07:00',
    '2030-03-01T08:00:00+07:00',
    '2100-01-01T00:00:00Z',
    '2026-03-10T10:01:00+07:00',
    '2026-03-10T10:03:00+07:00',
  ];
  const INSTANTS = ODD_VALUES.filter((v): v is string => typeof v === 'string' && /^\d{4}-/.test(v));

  function validEvent(rnd: () => number): Record<string, unknown> {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const type = pick(BASE_TYPES);
    const e: Record<string, unknown> = { eventId: `e-${Math.floor(rnd() * 1e9)}`, type, occurredAt: '2026-03-01T08:00:00+07:00', dossierId: `D-${Math.floor(rnd() * 1e6)}` };
    if (rnd() < 0.8) e.communeCode = '00004';
    else e.provinceCode = '01';
    if (type === 'received') {
      Object.assign(e, {
        procedureCode: '1.001193',
        sector: 'Hộ tịch',
        channel: pick(['online', 'direct', 'postal']),
        fullOnlineEligible: rnd() < 0.5,
        resultRequired: true,
        feeRequired: false,
        dueAt: '2026-03-04T17:00:00+07:00',
      });
      // Contract v1.1 attributes, each present or not.
      for (const k of ['reusedDigitizedData', 'citizenDataUsed', 'fromCitizenStore']) if (rnd() < 0.5) e[k] = rnd() < 0.5;
    }
    if (type === 'completed') e.outcome = pick(['resolved', 'rejected', 'stopped']);
    if (type === 'result_issued') {
      e.electronic = rnd() < 0.5;
      if (rnd() < 0.5) e.syncedToCitizenStore = rnd() < 0.5;
    }
    if (type === 'paid') e.online = rnd() < 0.5;
    if (type === 'rated') Object.assign(e, { satisfied: rnd() < 0.5, complaint: rnd() < 0.5 });
    return e;
  }

  function mutate(e: Record<string, unknown>, rnd: () => number): unknown {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const n = Math.floor(rnd() * 4);
    let out: Record<string, unknown> = { ...e };
    for (let i = 0; i < n; i++) {
      const k = rnd() < 0.7 ? pick(Object.keys(out).concat(KEYS.slice(0, 6))) : pick(KEYS);
      const r = rnd();
      if (r < 0.15) delete out[k];
      else if (r < 0.3) out[k] = pick(INSTANTS);
      else if (r < 0.4) out[k] = pick(BASE_TYPES);
      else if (r < 0.45) out = Object.fromEntries(Object.entries(out).reverse());
      else if (r < 0.47) out = Object.assign(Object.create({ inherited: true }) as Record<string, unknown>, out);
      else if (r < 0.48) out = Object.assign(Object.create(null) as Record<string, unknown>, out);
      else if (r < 0.5) Object.defineProperty(out, k, { value: pick(ODD_VALUES), enumerable: rnd() < 0.5, configurable: true, writable: true });
      else out[k] = pick(ODD_VALUES);
    }
    return out;
  }

  it('returns exactly the schema output for every event it accepts, and accepts none the schema rejects', () => {
    const rnd = mulberry32(20260310);
    let fast = 0;
    let zodOnlyAccepts = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const raw = mutate(validEvent(rnd), rnd) as object;
      const z = dossierEventSchema.safeParse(raw);
      const f = conformingEvent(raw);
      if (f !== null) {
        fast++;
        if (!z.success || Object.keys(f).join() !== Object.keys(z.data).join() || JSON.stringify(f) !== JSON.stringify(z.data)) mismatches.push(`conformingEvent: ${JSON.stringify(raw)}`);
      } else if (z.success) zodOnlyAccepts++;
      if (JSON.stringify(parseEvent(raw, NOW)) !== JSON.stringify(referenceParse(raw, NOW))) mismatches.push(`parseEvent: ${JSON.stringify(raw)}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // Both kinds are well represented: the fast path is exercised, and so is the schema's judgement.
    expect(fast).toBeGreaterThan(10_000);
    expect(40_000 - fast - zodOnlyAccepts).toBeGreaterThan(10_000);
  });

  it('leaves to the schema only what a JSON body cannot carry or what is unusual', () => {
    const rnd = mulberry32(7);
    for (let i = 0; i < 5_000; i++) {
      const e = validEvent(rnd);
      expect(conformingEvent(e)).not.toBeNull();
    }
  });
});

/** parseEvent as it was before the hand-written check: the schema alone. */
function referenceParse(raw: unknown, nowMs: number): ParsedEvent {
  const eventId = raw !== null && typeof raw === 'object' && typeof (raw as { eventId?: unknown }).eventId === 'string' ? (raw as { eventId: string }).eventId : null;
  const parsed = dossierEventSchema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .map((i) => {
        if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.join(', ')}`;
        const path = i.path.join('.');
        if (i.code === 'invalid_type' && path && (raw as Record<string, unknown>)[path] === undefined) return `${path} is required`;
        return i.message;
      })
      .join('; ');
    return { ok: false, eventId, reason };
  }
  const event = parsed.data;
  const occurredAtMs = Date.parse(event.occurredAt);
  if (occurredAtMs > nowMs + MAX_FUTURE_SKEW_MS) return { ok: false, eventId, reason: 'occurredAt is in the future (more than 2 minutes ahead of the server clock)' };
  if (!(occurredAtMs >= EARLIEST_INSTANT_MS)) return { ok: false, eventId, reason: `occurredAt is before ${EARLIEST_INSTANT}, the earliest instant accepted` };
  if (event.type === 'received') {
    const dueAtMs = Date.parse(event.dueAt);
    if (dueAtMs < occurredAtMs) return { ok: false, eventId, reason: 'dueAt (the appointment) is before occurredAt (the receipt)' };
    if (dueAtMs > occurredAtMs + MAX_DUE_AFTER_MS) return { ok: false, eventId, reason: 'dueAt (the appointment) is more than 5 years after occurredAt (the receipt)' };
  }
  return { ok: true, event, occurredAtMs };
}
