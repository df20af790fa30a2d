import { describe, expect, it } from '@jest/globals';
import { DAY_MS, VN_OFFSET_MS, bucketStart, localDateOf } from './time.js';
import { mulberry32 } from './random.js';

/** What the kept values must equal: the calendar computed afresh. */
const dateOf = (ms: number) => new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10);
const monthOf = (ms: number) => {
  const d = new Date(ms + VN_OFFSET_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - VN_OFFSET_MS;
};

describe('local dates and month starts, kept per day', () => {
  it('equal the calendar for any instant, asked once or many times', () => {
    const rnd = mulberry32(7);
    const instants: number[] = [];
    for (let i = 0; i < 20_000; i++) instants.push(Date.UTC(1995, 0, 1) + Math.floor(rnd() * 60 * 365 * DAY_MS));
    // Around local midnight and the turn of months and years, in Asia/Ho_Chi_Minh.
    for (const edge of ['2025-12-31T23:59:59.999+07:00', '2026-01-01T00:00:00+07:00', '2026-02-28T23:59:59+07:00', '2026-03-01T00:00:00+07:00', '2024-02-29T12:00:00+07:00'])
      instants.push(Date.parse(edge), Date.parse(edge) - 1, Date.parse(edge) + 1);
    // Far outside the days kept: computed each time, still right.
    instants.push(Date.UTC(1850, 5, 1), Date.UTC(2250, 11, 31, 20));
    for (let round = 0; round < 2; round++) {
      for (const t of instants) {
        expect(localDateOf(t)).toBe(dateOf(t));
        expect(bucketStart(t, 'month')).toBe(monthOf(t));
      }
    }
    expect(localDateOf(Date.parse('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
    expect(bucketStart(Date.parse('2026-02-28T17:00:00Z'), 'month')).toBe(Date.parse('2026-03-01T00:00:00+07:00'));
    expect(() => localDateOf(Number.NaN)).toThrow(RangeError);
  });
});
