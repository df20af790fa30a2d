import { describe, expect, it } from '@jest/globals';
import { hourlyKeptFromDate } from './clientConfig';
import { trendGrain } from './period';

describe('trendGrain', () => {
  it('charts one or two days by hour, up to a quarter by day, longer by month', () => {
    expect(trendGrain({ from: '2026-11-20', to: '2026-11-21' })).toBe('hour');
    expect(trendGrain({ from: '2026-11-01', to: '2026-11-21' })).toBe('day');
    expect(trendGrain({ from: '2026-01-01', to: '2026-11-21' })).toBe('month');
  });

  it('charts by day a short period the server keeps no hours for', () => {
    expect(trendGrain({ from: '2026-10-20', to: '2026-10-20' }, '2026-10-21')).toBe('day');
    expect(trendGrain({ from: '2026-10-21', to: '2026-10-21' }, '2026-10-21')).toBe('hour');
    expect(trendGrain({ from: '2026-10-20', to: '2026-10-20' }, null)).toBe('hour');
  });
});

describe('hourlyKeptFromDate', () => {
  const now = Date.parse('2026-12-06T10:00:00+07:00');
  it('is the local day the retention starts on, null when every hour is kept', () => {
    expect(hourlyKeptFromDate({ mapStyleUrl: null, hourlyRetentionDays: 35 }, now)).toBe('2026-11-01');
    expect(hourlyKeptFromDate({ mapStyleUrl: null, hourlyRetentionDays: 0 }, now)).toBeNull();
  });
});
