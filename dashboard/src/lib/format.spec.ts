import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { livePeriodRange } from '@ioc/shared';
import { i18n, setLanguage } from '../i18n';
import { formatClock, formatCount, formatDateRange, formatDecimal, formatHourMinute, formatInstant, formatPercent, formatProgress, formatRatio, formatRatioParts } from './format';
import { PERIOD_PRESETS, livePeriodOf, periodLabel, periodRange, vietnamDateOf } from './period';

describe('vi-VN formats (the default)', () => {
  it('starts in Vietnamese', () => {
    expect(i18n.language).toBe('vi');
  });

  it.each([
    [52.3, '52,30%'],
    [100, '100,00%'],
    [0, '0,00%'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('percent %p → %s', (value, text) => expect(formatPercent(value)).toBe(text));

  it('counts and ratios use dots for thousands', () => {
    expect(formatCount(1234567)).toBe('1.234.567');
    expect(formatDecimal(85.123)).toBe('85,12');
    expect(formatRatio(1234, 2360)).toBe('1.234 / 2.360 hồ sơ');
    expect(formatRatio(1, 1)).toBe('1 / 1 hồ sơ');
    expect(formatProgress(0.423)).toBe('42%');
  });

  it('dates read day/month/year', () => {
    expect(formatDateRange('2026-11-15', '2026-11-21')).toBe('15/11/2026 – 21/11/2026');
    expect(formatDateRange('2026-11-21', '2026-11-21')).toBe('21/11/2026');
  });

  it('clock times are 24 h in Vietnam', () => {
    expect(formatInstant('2025-11-21T07:05:09Z')).toBe('14:05:09 ngày 21/11/2025');
    expect(formatClock('2026-03-01T13:05:09Z')).toBe('20:05:09');
    expect(formatHourMinute(Date.parse('2026-03-01T23:30:00Z'))).toBe('06:30');
    expect(formatInstant('not a time')).toBe('—');
  });

  it('names the periods', () => {
    expect((['today', 'last7', 'last30', 'thisMonth'] as const).map(periodLabel)).toEqual(['Hôm nay', '7 ngày', '30 ngày', 'Tháng này']);
    expect(periodLabel('last7')).toBe('7 ngày');
  });
});

describe('en-GB formats', () => {
  beforeAll(() => setLanguage('en'));
  afterAll(() => setLanguage('vi'));

  it.each([
    [52.3, '52.30%'],
    [100, '100.00%'],
    [0, '0.00%'],
    [null, '—'],
  ])('percent %p → %s', (value, text) => expect(formatPercent(value)).toBe(text));

  it('counts and ratios use commas for thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatDecimal(85.123)).toBe('85.12');
    expect(formatRatio(1234, 2360)).toBe('1,234 / 2,360 dossiers');
    expect(formatRatioParts(0, 1)).toEqual(['0 /', '1 dossier']);
    expect(formatProgress(0.423)).toBe('42%');
  });

  it('dates still read day/month/year', () => {
    expect(formatDateRange('2026-11-15', '2026-11-21')).toBe('15/11/2026 – 21/11/2026');
  });

  it("times are still Vietnam's, in 24 h", () => {
    expect(formatInstant('2025-11-21T07:05:09Z')).toBe('14:05:09 on 21/11/2025');
    expect(formatClock('2026-03-01T13:05:09Z')).toBe('20:05:09');
    expect(formatHourMinute(Date.parse('2026-03-01T23:30:00Z'))).toBe('06:30');
  });

  it('names the periods in the current language', () => {
    expect((['today', 'last7', 'last30', 'thisMonth'] as const).map(periodLabel)).toEqual(['Today', '7 days', '30 days', 'This month']);
    expect(periodLabel('today')).toBe('Today');
    expect(PERIOD_PRESETS.map(periodLabel)).toEqual(['Today', '7 days', '30 days', 'This month', 'This quarter', 'This year']);
  });
});

describe('switching back', () => {
  it('formats in Vietnamese again, from the same cached formatters', () => {
    expect(i18n.language).toBe('vi');
    expect(formatPercent(52.3)).toBe('52,30%');
    expect(formatCount(1234)).toBe('1.234');
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
