import { describe, expect, it } from '@jest/globals';
import type { KpiSet, RankingEntry, SeriesPoint } from '@ioc/shared';
import { setLanguage } from '../../i18n';
import { pointsLost, rankingRows, rankingSpread, sortRanking, spreadText } from './ranking';
import { change, seriesValues, sparklinePath, toTrendOption } from './trend';

const ratio = (n: number, d: number) => ({ numerator: n, denominator: d, value: d === 0 ? null : Math.round((n * 10000) / d) / 100 });
const kpis = (onTime: [number, number]): KpiSet => ({
  onTime: ratio(...onTime),
  online: ratio(0, 0),
  fullOnline: ratio(0, 0),
  digitized: ratio(0, 0),
  eResult: ratio(0, 0),
  onlinePayment: ratio(0, 0),
  satisfaction: { value: null, overduePercent: null, complaintPercent: null, complaints: 0, resolved: 0 },
});
const point = (label: string, onTime: [number, number], score: number | null): SeriesPoint =>
  ({ start: label, label, asOf: label, kpis: kpis(onTime), counts: {} as SeriesPoint['counts'], index: { points: 0, maxPoints: 0, score, components: [] } }) as SeriesPoint;
const entry = (code: string, rank: number | null, lost: number | null = null): RankingEntry =>
  ({
    rank,
    unitCode: code,
    unitName: `Xã ${code}`,
    provinceCode: '01',
    value: rank === null ? null : 100 - rank,
    kpis: kpis([1, 1]),
    received: 1,
    counts: null,
    index: { points: 0, maxPoints: 20, score: rank === null ? null : 100 - rank, components: [{ id: 'progress', kpi: 'onTime', maxPoints: 20, points: lost === null ? null : 20 - lost, lost }] },
  }) as RankingEntry;

describe('trend transforms', () => {
  const points = [point('2026-11-19', [9, 10], 80), point('2026-11-20', [0, 0], null), point('2026-11-21', [3, 4], 75)];

  it('takes a metric along a series with gaps where there is no denominator', () => {
    expect(seriesValues(points, 'onTime')).toEqual([90, null, 75]);
    expect(seriesValues(points, 'points')).toEqual([80, null, 75]);
  });

  it('draws gaps, not zeros, in the sparkline and the trend', () => {
    // Two separate pieces: a dot for 90, a gap, a dot for 75.
    const spark = sparklinePath(seriesValues(points, 'onTime'), 100, 36);
    expect(spark.match(/M/g)).toHaveLength(2);
    expect(sparklinePath([null, null], 100, 36)).toBe('');
    expect(sparklinePath([50, 60, 70], 100, 36)).toMatch(/^M2,[\d.]+L50,[\d.]+L98,[\d.]+$/);
    const trend = toTrendOption(points, [{ metric: 'onTime', name: 'Đúng hạn', color: '#0072B2', target: 100 }], ['19/11', '20/11', '21/11'], String, { targetOf: (n) => n }) as {
      series: { data: unknown[]; markLine?: unknown }[];
      xAxis: { data: string[] };
    };
    expect(trend.series[0]!.data).toEqual([90, '-', 75]);
    expect(trend.xAxis.data).toEqual(['19/11', '20/11', '21/11']);
    // Full points at 100% is the axis' top, not a target line worth drawing.
    expect(trend.series[0]!.markLine).toBeUndefined();
  });

  it('draws the target of a KPI that earns full points below 100%', () => {
    const trend = toTrendOption(points, [{ metric: 'fullOnline', name: 'Toàn trình', color: '#009E73', target: 50 }], ['a', 'b', 'c'], String, { targetOf: (n) => `Mục tiêu ${n}` }) as {
      series: { markLine?: { data: { yAxis: number }[] } }[];
    };
    expect(trend.series[0]!.markLine?.data).toEqual([{ yAxis: 50 }]);
  });

  it('measures the change against the previous period in points, none when a side has no value', () => {
    expect(change(52.3, 50)).toBe(2.3);
    expect(change(50, 52.35)).toBe(-2.35);
    expect(change(null, 50)).toBeNull();
    expect(change(50, null)).toBeNull();
  });
});

describe('ranking transforms', () => {
  const entries = [entry('3', 3, 4), entry('1', 1, 0), entry('x', null), entry('2', 2, 1.5), entry('4', 4, 6)];

  it('sorts best first with unranked units last', () => {
    expect(sortRanking(entries).map((e) => e.unitCode)).toEqual(['1', '2', '3', '4', 'x']);
  });

  it('shows the best and the worst among units with a score', () => {
    expect(rankingRows(entries, 'best', 2).map((e) => e.unitCode)).toEqual(['1', '2']);
    expect(rankingRows(entries, 'worst', 2).map((e) => e.unitCode)).toEqual(['4', '3']);
    expect(rankingRows(entries, 'all', 2)).toHaveLength(5);
  });

  it('reads points lost per component, null when it could not be computed', () => {
    expect(pointsLost(entry('4', 4, 6))).toEqual({ progress: 6, online: null, digitization: null, satisfaction: null, payment: null });
    expect(pointsLost(entry('x', null)).progress).toBeNull();
  });
});

describe('a ranking with no order to show', () => {
  it('names the one unit with a value rather than saying none has one', () => {
    setLanguage('vi');
    const entries = [entry('00004', 1), entry('00008', null), entry('00025', null)];
    expect(
      spreadText(
        entries,
        rankingSpread(entries, (e) => e.value),
        'points',
        'xã, phường',
      ),
    ).toBe('Mới có Xã 00004 có số liệu “Điểm phục vụ kpi-v1 (7 tỷ lệ, thang 100)” trong kỳ này (99,00): chưa đủ để so sánh cao nhất và thấp nhất.');
    const none = [entry('00008', null)];
    expect(
      spreadText(
        none,
        rankingSpread(none, (e) => e.value),
        'points',
        'xã, phường',
      ),
    ).toMatch(/^Chưa xã, phường nào có số liệu/);
  });
});
