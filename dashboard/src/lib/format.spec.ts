import { describe, expect, it } from '@jest/globals';
import { livePeriodRange } from '@ioc/shared';
import { formatClock, formatCount, formatDateRange, formatHourMinute, formatPercent, formatProgress, formatRatio } from './format';
import { PERIOD_PRESETS, livePeriodOf, periodRange, vietnamDateOf } from './period';

describe('vi-VN formats', () => {
  it.each([
    [52.3, '52,30%'],
    [100, '100,00%'],
    [0, '0,00%'],
    [null, '—'],
  ])('percent %p → %s', (value, text) => expect(formatPercent(value)).toBe(text));

  it('counts and ratios use dots for thousands', () => {
    expect(formatCount(1234567)).toBe('1.234.567');
    expect(formatRatio(1234, 2360)).toBe('1.234 / 2.360 hồ sơ');
    expect(formatProgress(0.423)).toBe('42%');
  });

  it('dates read day/month/year', () => {
    expect(formatDateRange('2026-11-15', '2026-11-21')).toBe('15/11/2026 – 21/11/2026');
    expect(formatDateRange('2026-11-21', '2026-11-21')).toBe('21/11/2026');
  });

  it('clock times are 24 h in Vietnam', () => {
    expect(formatClock('2026-03-01T13:05:09Z')).toBe('20:05:09');
    expect(formatHourMinute(Date.parse('2026-03-01T23:30:00Z'))).toBe('06:30');
  });
});

describe('report periods in Asia/Ho_Chi_Minh', () => {
  it("takes Vietnam's date whatever the browser's zone: 23:30 UTC on 1 March is 2 March", () => {
    expect(vietnamDateOf(new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02');
  });

  it.each([
    ['today', { from: '2026-03-02', to: '2026-03-02' }],
    ['last7', { from: '2026-02-24', to: '2026-03-02' }],
    ['last30', { from: '2026-02-01', to: '2026-03-02' }],
    ['thisMonth', { from: '2026-03-01', to: '2026-03-02' }],
  ] as const)('%s', (preset, range) => {
    expect(periodRange(preset, new Date('2026-03-01T23:30:00Z'))).toEqual(range);
  });

  it.each(PERIOD_PRESETS)('%s is a live period covering the same days', (preset) => {
    const now = Date.parse('2026-03-01T23:30:00Z');
    const live = livePeriodOf(preset);
    expect(live).not.toBeNull();
    expect(livePeriodRange(live!, now)).toEqual(periodRange(preset, new Date(now)));
  });
});
