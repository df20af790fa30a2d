import { describe, expect, it } from '@jest/globals';
import { DAY_MS, startOfLocalDate } from '../time.js';
import { monthWindow, projectMonth } from './projection.js';

describe('projectMonth', () => {
  it('keeps the denominator and moves only the at-risk dossiers between best and worst', () => {
    // 40 in the denominator, 34 on time now, 6 of them overdue before the month ends; 15 of 20 resolved on time lately.
    expect(projectMonth({ denominator: 40, onTimeNow: 34, atRisk: 6, alreadyOverdue: 3, recentResolved: 20, recentResolvedOnTime: 15 })).toEqual({
      denominator: 40,
      onTimeNow: 34,
      atRisk: 6,
      alreadyOverdue: 3,
      recentOnTimeRate: 75,
      // now = best = 34/40; worst = 28/40; expected = (34 - 6 × 0.25)/40 = 32.5/40
      onTime: { now: 85, best: 85, expected: 81.25, worst: 70 },
    });
  });

  it('rounds percentages to 2 decimals from the unrounded pace', () => {
    const p = projectMonth({ denominator: 3, onTimeNow: 2, atRisk: 1, alreadyOverdue: 0, recentResolved: 3, recentResolvedOnTime: 2 });
    // expected = (2 - 1 × 1/3) / 3 = 0.5555…
    expect(p.recentOnTimeRate).toBe(66.67);
    expect(p.onTime).toEqual({ now: 66.67, best: 66.67, expected: 55.56, worst: 33.33 });
  });

  it('has no expected value without a recent pace', () => {
    const p = projectMonth({ denominator: 10, onTimeNow: 9, atRisk: 2, alreadyOverdue: 1, recentResolved: 0, recentResolvedOnTime: 0 });
    expect(p.recentOnTimeRate).toBeNull();
    expect(p.onTime).toEqual({ now: 90, best: 90, expected: null, worst: 70 });
  });

  it('has no rate at all when the denominator is 0', () => {
    const p = projectMonth({ denominator: 0, onTimeNow: 0, atRisk: 0, alreadyOverdue: 0, recentResolved: 4, recentResolvedOnTime: 1 });
    expect(p.recentOnTimeRate).toBe(25);
    expect(p.onTime).toEqual({ now: null, best: null, expected: null, worst: null });
  });

  it('with nothing at risk, every projection is the rate now', () => {
    const p = projectMonth({ denominator: 7, onTimeNow: 5, atRisk: 0, alreadyOverdue: 2, recentResolved: 9, recentResolvedOnTime: 1 });
    expect(p.onTime).toEqual({ now: 71.43, best: 71.43, expected: 71.43, worst: 71.43 });
  });
});

describe('monthWindow', () => {
  it('is the month in Asia/Ho_Chi_Minh, not in UTC', () => {
    // 31 January 17:30 UTC is 1 February 00:30 in Hà Nội.
    const w = monthWindow(Date.parse('2026-01-31T17:30:00Z'));
    expect(w).toEqual({
      month: '2026-02',
      from: '2026-02-01',
      to: '2026-02-01',
      start: startOfLocalDate('2026-02-01'),
      end: startOfLocalDate('2026-03-01'),
      recentFrom: '2026-01-03',
    });
  });

  it('ends at the next local midnight of the 1st, and the recent window spans 30 days with today', () => {
    const w = monthWindow(Date.parse('2026-02-28T23:59:59+07:00'));
    expect(w.month).toBe('2026-02');
    expect(w.to).toBe('2026-02-28');
    expect(w.end - w.start).toBe(28 * DAY_MS);
    expect(w.recentFrom).toBe('2026-01-30');
  });
});
