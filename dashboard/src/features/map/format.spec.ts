import { describe, expect, it } from '@jest/globals';
import { setLanguage } from '../../i18n';
import { legendClasses } from './choropleth';
import { formatLastEvent, formatMetricValue, formatSilence, legendLabel } from './format';

const NOW = Date.parse('2026-01-05T10:00:00+07:00');

describe('the map in words, vi-VN', () => {
  it('says a KPI as a percent, the index as points, and no value as such (never 0%)', () => {
    expect(formatMetricValue('online', 52.3)).toBe('52,30%');
    expect(formatMetricValue('points', 85.61)).toBe('85,61 điểm');
    expect(formatMetricValue('onTime', null)).toBe('Không có số liệu');
  });

  it('labels the legend classes with their ranges', () => {
    const online = legendClasses('online').map((c) => legendLabel('online', c));
    expect(online).toEqual(['Dưới 20%', '20% – dưới 35%', '35% – dưới 50%', '50% – dưới 65%', '65% – dưới 80%', 'Từ 80% trở lên']);
    expect(legendLabel('points', legendClasses('points')[5]!)).toBe('Từ 95 trở lên');
  });

  it('says when a unit last sent data, in Vietnam time, with the date when not today', () => {
    expect(formatLastEvent('2026-01-05T02:05:00Z', NOW)).toBe('Lần cuối có dữ liệu: 09:05');
    // 23:30 UTC on 4 January is 06:30 on 5 January in Vietnam: today.
    expect(formatLastEvent('2026-01-04T23:30:00Z', NOW)).toBe('Lần cuối có dữ liệu: 06:30');
    expect(formatLastEvent('2026-01-04T16:59:00Z', NOW)).toBe('Lần cuối có dữ liệu: 23:59 ngày 04/01/2026');
    expect(formatLastEvent(null, NOW)).toBe('Chưa từng gửi dữ liệu');
    expect(formatLastEvent(undefined, NOW)).toBeNull();
  });

  it('says the silence threshold in hours or minutes', () => {
    expect(formatSilence(120)).toBe('2 giờ');
    expect(formatSilence(90)).toBe('90 phút');
  });
});

describe('the map in words, English', () => {
  it('uses English words and formats', () => {
    setLanguage('en');
    try {
      expect(formatMetricValue('points', 85.61)).toBe('85.61 points');
      expect(legendLabel('online', legendClasses('online')[3]!)).toBe('50% to under 65%');
      expect(formatSilence(60)).toBe('1 hour');
      expect(formatLastEvent(null, NOW)).toBe('Has never sent data');
    } finally {
      setLanguage('vi');
    }
  });
});
