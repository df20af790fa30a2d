import { afterEach, describe, expect, it } from '@jest/globals';
import { setLanguage } from '../../i18n';
import {
  type AlertFilters,
  NO_FILTERS,
  alertCsvColumns,
  compareAlerts,
  filterAndSort,
  foldText,
  formatAge,
  formatAgo,
  formatRuleValue,
  formatThreshold,
  severityCounts,
  stateLabel,
} from './alertList';
import { alertOf } from './testAlerts';

afterEach(() => setLanguage('vi'));

const MIN = 60_000;
const names = (code: string) => ({ '01': 'Hà Nội', '79': 'Hồ Chí Minh' })[code] ?? null;

describe('filtering and sorting the alert list', () => {
  const list = () => [
    alertOf({ id: '1', severity: 'warning', firedAt: '2026-11-16T03:00:00Z' }),
    alertOf({ id: '2', severity: 'critical', firedAt: '2026-11-16T01:00:00Z', unitName: 'Xã Sóc Sơn', unitCode: '00025' }),
    alertOf({ id: '3', severity: 'critical', firedAt: '2026-11-16T02:00:00Z', acknowledged: true, acknowledgedBy: 'Trần Thị Bình (tran.binh)' }),
    alertOf({ id: '4', severity: 'major', status: 'cleared', firedAt: '2026-11-16T04:00:00Z', provinceCode: '79', unitCode: '26734', unitName: 'Phường Sài Gòn' }),
    alertOf({ id: '5', severity: 'major', firedAt: '2026-11-16T02:30:00Z', ruleId: 'commune-silence', ruleNameVi: 'Xã không gửi dữ liệu', ruleNameEn: 'Commune sends no data' }),
  ];
  const ids = (f: Partial<AlertFilters>) => filterAndSort(list(), { ...NO_FILTERS, ...f }, names).map((a) => a.id);

  it('puts active alerts first, then the most severe, then the newest', () => {
    expect(ids({})).toEqual(['3', '2', '5', '1', '4']);
    expect([...list()].sort(compareAlerts).map((a) => a.id)).toEqual(['3', '2', '5', '1', '4']);
  });

  it('filters by several severities, state and acknowledgement', () => {
    expect(ids({ severities: ['critical', 'major'] })).toEqual(['3', '2', '5', '4']);
    expect(ids({ state: 'cleared' })).toEqual(['4']);
    expect(ids({ state: 'active', ack: 'unacknowledged' })).toEqual(['2', '5', '1']);
    expect(ids({ ack: 'acknowledged' })).toEqual(['3']);
  });

  it('searches units, provinces and rules without regard to case or diacritics', () => {
    expect(foldText('  Phường  Ba Đình ')).toBe('phuong ba dinh');
    expect(ids({ text: 'soc son' })).toEqual(['2']);
    expect(ids({ text: 'Hồ Chí Minh' })).toEqual(['4']);
    expect(ids({ text: 'khong gui du lieu' })).toEqual(['5']);
    expect(ids({ text: 'no data' })).toEqual(['5']);
    expect(ids({ text: 'ba dinh ton dong' })).toEqual(['3', '1']);
    expect(ids({ text: 'Cà Mau' })).toEqual([]);
  });

  it('counts alerts per severity', () => {
    expect(severityCounts(list())).toEqual({ critical: 2, major: 2, minor: 0, warning: 1 });
    expect(severityCounts([])).toEqual({ critical: 0, major: 0, minor: 0, warning: 0 });
  });
});

describe('ages', () => {
  const now = Date.parse('2026-11-16T12:00:00Z');
  it.each([
    [0, 'vừa xong'],
    [0.9, 'vừa xong'],
    [1, '1 phút'],
    [12, '12 phút'],
    [59.9, '59 phút'],
    [60, '1 giờ'],
    [185, '3 giờ 5 phút'],
    [24 * 60, '1 ngày'],
    [2 * 24 * 60 + 4 * 60 + 30, '2 ngày 4 giờ'],
  ])('%p minutes → %s', (m, text) => expect(formatAge(now - m * MIN, now)).toBe(text));

  it('as a phrase', () => {
    expect(formatAgo(now - 30_000, now)).toBe('vừa xong');
    expect(formatAgo(now - 12 * MIN, now)).toBe('12 phút trước');
  });

  it('never goes negative with a clock slightly behind the server', () => {
    expect(formatAge(now + 5 * MIN, now)).toBe('vừa xong');
  });

  it('speaks English too', () => {
    setLanguage('en');
    expect(formatAge(now - 185 * MIN, now)).toBe('3 h 5 min');
    expect(formatAge(now - 24 * 60 * MIN, now)).toBe('1 day');
    expect(formatAge(now - (3 * 24 * 60 + 60) * MIN, now)).toBe('3 days 1 h');
  });
});

describe("values in the rule's unit", () => {
  it.each([
    [89.5, '%', '89,50%'],
    [1234, 'hồ sơ', '1.234 hồ sơ'],
    [95, 'phút', '95 phút làm việc'],
    [3.5, '×', '3,50 lần'],
    [22.4, 'điểm %', '22,40 điểm %'],
    [null, '%', '—'],
    [Number.NaN, 'hồ sơ', '—'],
  ] as const)('%p %s → %s', (v, unit, text) => expect(formatRuleValue(v, unit)).toBe(text));

  it('in English', () => {
    setLanguage('en');
    expect(formatRuleValue(1, 'hồ sơ')).toBe('1 dossier');
    expect(formatRuleValue(1234, 'hồ sơ')).toBe('1,234 dossiers');
    expect(formatRuleValue(3.5, '×')).toBe('3.50×');
    expect(formatRuleValue(95, 'phút')).toBe('95 working minutes');
  });

  it('writes thresholds as conditions', () => {
    const below = { direction: 'below' as const, thresholds: { warning: 95, critical: 90 } };
    expect(formatThreshold(below, 'critical', '%')).toBe('< 90,00%');
    expect(formatThreshold(below, 'major', '%')).toBeNull();
    expect(formatThreshold({ direction: 'above', thresholds: { critical: 100 } }, 'critical', 'hồ sơ')).toBe('> 100 hồ sơ');
  });

  it('says who acknowledged', () => {
    expect(stateLabel(alertOf())).toBe('Đang hoạt động');
    expect(stateLabel(alertOf({ status: 'cleared', acknowledged: true, acknowledgedBy: 'Trần Thị Bình (tran.binh)' }))).toBe('Đã hết · đã xác nhận: Trần Thị Bình (tran.binh)');
  });
});

describe('CSV of the list', () => {
  it('has one row per alert, figures as plain numbers and the province by name', () => {
    const cols = alertCsvColumns(names);
    const a = alertOf({ firedValue: 1234.5, lastValue: null });
    const row = Object.fromEntries(cols.map((c) => [c.header, c.value(a)]));
    expect(row).toMatchObject({
      'Mức độ': 'Lưu ý',
      'Tỉnh, thành phố': 'Hà Nội',
      'Giá trị khi phát': 1234.5,
      'Giá trị mới nhất': null,
      'Thời điểm phát': '2026-11-16T02:00:00.000Z',
      'Đơn vị đo': 'hồ sơ',
    });
  });
});
