import { describe, expect, it } from '@jest/globals';
import { isRealOffset, parseEvent } from './events.js';

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

  it.each(['2000-01-01T00:00:00+07:00', '2026-03-10T10:01:00+07:00', '2026-03-01T08:00:00Z', '2026-03-01T08:00:00+14:00', '2026-03-01T08:00:00-12:00', '2026-03-01T08:00:00+05:45', '2026-03-01T08:00:00-03:30'])(
    'occurredAt %s is accepted',
    (occurredAt) => expect(parseEvent(digitized(occurredAt), NOW).ok).toBe(true),
  );

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
