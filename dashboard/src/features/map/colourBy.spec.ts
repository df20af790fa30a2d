import { describe, expect, it } from '@jest/globals';
import { INDEX_V2_SUB_INDICATORS, type KpiSet, type RankingEntry, type RankingResponse } from '@ioc/shared';
import { setLanguage } from '../../i18n';
import { patchParams, withParams } from '../../lib/params';
import { rankedBy, withIndexV2 } from '../overview/ranking';
import { classOf, isMapLayer, legendClasses } from './choropleth';
import { DEFAULT_MAP_LAYER, colourByGroups, layerFromParam, layerToParam } from './colourBy';
import { formatDatum, legendLabel, legendTitle, metricName } from './format';
import { type MapSourceRow, toMapData } from './mapData';

const ratio = (value: number | null) => ({ numerator: 0, denominator: value === null ? 0 : 1, value });
const kpis = (online: number | null): KpiSet =>
  ({
    onTime: ratio(90),
    online: ratio(online),
    fullOnline: ratio(null),
    digitized: ratio(null),
    eResult: ratio(null),
    onlinePayment: ratio(null),
    satisfaction: { value: null },
  }) as unknown as KpiSet;

const hanoi: MapSourceRow = {
  unitCode: '01',
  unitName: 'Hà Nội',
  kpis: kpis(52.3),
  index: { score: 85.61 },
  indexV2: { earned: 71.4, available: 82, missing: ['1.1'], points: { '1.1': null, '2.1': 19, '5.2': 6, '4.2': 3 } },
};
const hue: MapSourceRow = { unitCode: '46', unitName: 'Huế', kpis: kpis(null), index: { score: null }, indexV2: { earned: 0, available: 0, missing: [], points: {} } };

describe('what the map can be coloured by', () => {
  it('offers the kpi-v2 index first, every sub-indicator of the catalogue in its group, then the kpi-v1 rates and the connectivity', () => {
    const groups = colourByGroups();
    expect(groups[0]).toEqual({ label: 'Chỉ số QĐ 766 (kpi-v2)', options: [{ value: 'index', label: 'Chỉ số (điểm đạt / điểm có dữ liệu)' }] });
    const subGroups = groups.slice(1, 7);
    expect(subGroups.map((g) => g.label)).toEqual([
      'Nhóm Công khai, minh bạch (18 điểm)',
      'Nhóm Tiến độ giải quyết (20 điểm)',
      'Nhóm Dịch vụ công trực tuyến (12 điểm)',
      'Nhóm Thanh toán trực tuyến (10 điểm)',
      'Nhóm Số hóa hồ sơ (22 điểm)',
      'Nhóm Mức độ hài lòng (18 điểm)',
    ]);
    const subOptions = subGroups.flatMap((g) => g.options);
    expect(subOptions.map((o) => o.value)).toEqual(INDEX_V2_SUB_INDICATORS.map((d) => d.id));
    expect(subOptions).toHaveLength(INDEX_V2_SUB_INDICATORS.length);
    expect(subOptions.find((o) => o.value === '2.1')!.label).toBe('2.1 Giải quyết đúng hạn');
    // 2.2 (mean processing days) has no figure per unit: listed, not selectable, and refused in an address.
    expect(subOptions.filter((o) => o.disabled).map((o) => o.value)).toEqual(['2.2']);
    expect(isMapLayer('2.2')).toBe(false);
    expect(groups[7]!.options.map((o) => o.value)).toEqual(['points', 'onTime', 'online', 'fullOnline', 'digitized', 'eResult', 'onlinePayment', 'satisfaction']);
    expect(groups[8]!.options.map((o) => o.value)).toEqual(['links']);
    for (const o of groups.flatMap((g) => g.options)) if (!o.disabled) expect(isMapLayer(o.value)).toBe(true);
    // The kpi-v1 score keeps its own scale in its name; the kpi-v2 index never says "thang 100".
    expect(metricName('points')).toContain('kpi-v1');
    expect(metricName('index')).not.toMatch(/100/);
  });

  it('names the choices in English too', () => {
    setLanguage('en');
    try {
      const groups = colourByGroups();
      expect(groups[0]!.options[0]!.label).toBe('Index (points earned / points with data)');
      expect(groups[2]!.label).toBe('Processing progress group (20 points)');
      expect(legendLabel('2.1', legendClasses('2.1')[5]!)).toBe('Full 20 points');
      expect(formatDatum('index', toMapData([hanoi], 'index')['01'])).toBe('71.40 of 82 points');
    } finally {
      setLanguage('vi');
    }
  });
});

describe('the legend and the values of the kpi-v2 choices', () => {
  it('colours the index by earned ÷ available, in percent classes with a note instead of a scale of 100', () => {
    expect(legendTitle('index')).toBe('Chỉ số (điểm đạt / điểm có dữ liệu)');
    expect(legendClasses('index').map((c) => legendLabel('index', c))).toEqual(['Dưới 50%', '50% – dưới 65%', '65% – dưới 75%', '75% – dưới 85%', '85% – dưới 95%', 'Từ 95% trở lên']);
    const d = toMapData([hanoi, hue], 'index');
    expect(d['01']).toEqual({ code: '01', name: 'Hà Nội', value: (71.4 / 82) * 100, points: { earned: 71.4, of: 82 } });
    expect(classOf('index', d['01']!.value)).toBe(4);
    expect(formatDatum('index', d['01'])).toBe('71,40 / 82 điểm');
    // No sub-indicator with data: no value (hatched grey), never 0%.
    expect(d['46']!.value).toBeNull();
    expect(formatDatum('index', d['46'])).toBe('Không có số liệu');
  });

  it('colours a sub-indicator by points ÷ Pmax, its legend in points with full points a class of its own', () => {
    expect(legendTitle('2.1')).toBe('2.1 Giải quyết đúng hạn (điểm, tối đa 20)');
    expect(legendClasses('2.1').map((c) => legendLabel('2.1', c))).toEqual(['Dưới 8', '8 – dưới 12', '12 – dưới 15', '15 – dưới 18', '18 – dưới 20', 'Đủ 20 điểm']);
    expect(legendClasses('5.2').map((c) => legendLabel('5.2', c))).toEqual(['Dưới 2,4', '2,4 – dưới 3,6', '3,6 – dưới 4,5', '4,5 – dưới 5,4', '5,4 – dưới 6', 'Đủ 6 điểm']);
    const d = toMapData([hanoi, hue], '2.1');
    expect(d['01']).toEqual({ code: '01', name: 'Hà Nội', value: 95, points: { earned: 19, of: 20 } });
    expect(classOf('2.1', 95)).toBe(4);
    expect(classOf('5.2', toMapData([hanoi], '5.2')['01']!.value)).toBe(5);
    expect(formatDatum('2.1', d['01'])).toBe('19,00 / 20 điểm');
    // No data for the sub-indicator (1.1 not reported): no value.
    expect(toMapData([hanoi], '1.1')['01']!.value).toBeNull();
    expect(d['46']!.value).toBeNull();
  });

  it('colours 3.3, shown but not scored, by its rate (online filing), in percent', () => {
    expect(legendTitle('3.3')).toBe('3.3 Hồ sơ theo hình thức nộp');
    expect(legendLabel('3.3', legendClasses('3.3')[5]!)).toBe('Từ 80% trở lên');
    const d = toMapData([hanoi], '3.3')['01']!;
    expect(d).toEqual({ code: '01', name: 'Hà Nội', value: 52.3 });
    expect(formatDatum('3.3', d)).toBe('52,30%');
  });
});

describe('the choice in the address', () => {
  it('round-trips every selectable choice through ?kpi=, the index being the default written as no parameter', () => {
    for (const o of colourByGroups().flatMap((g) => g.options)) {
      if (o.disabled) continue;
      const path = withParams('/overview/province:01', patchParams(new URLSearchParams('period=last7'), { kpi: layerToParam(layerFromParam(o.value)) }));
      expect(layerFromParam(new URLSearchParams(path.split('?')[1]).get('kpi'))).toBe(o.value);
    }
    expect(DEFAULT_MAP_LAYER).toBe('index');
    expect(withParams('/overview', { period: 'last7', kpi: layerToParam('index') })).toBe('/overview?period=last7');
    expect(withParams('/overview', { period: 'last7', kpi: layerToParam('3.5a') })).toBe('/overview?period=last7&kpi=3.5a');
    expect(layerFromParam(null)).toBe('index');
    expect(layerFromParam('points')).toBe('points');
    expect(layerFromParam('4.c')).toBe('4.c');
    expect(layerFromParam('2.2')).toBe('index');
    expect(layerFromParam('thang100')).toBe('index');
  });
});

describe('the ranking follows the choice', () => {
  const entry = (code: string, v2: { earned: number; available: number; points: Record<string, number | null> }, score: number): RankingEntry =>
    ({
      rank: null,
      unitCode: code,
      unitName: `Tỉnh ${code}`,
      provinceCode: code,
      value: score,
      kpis: kpis(50),
      received: 1,
      counts: null,
      index: { score, points: score, maxPoints: 100, components: [] },
      indexV2: { ...v2, missing: [] },
    }) as unknown as RankingEntry;

  it('merges the index ranking into the live rows and ranks by the comparable points, a sub-indicator, or a kpi-v1 figure', () => {
    const live = [entry('01', { earned: 0, available: 0, points: {} }, 90), entry('02', { earned: 0, available: 0, points: {} }, 80), entry('03', { earned: 0, available: 0, points: {} }, 70)].map(
      ({ indexV2: _, ...e }) => e as RankingEntry,
    );
    const index = {
      from: '2026-01-01',
      to: '2026-01-07',
      commonSubIndicators: ['2.1', '5.2'],
      commonPmax: 26,
      entries: [
        { ...entry('01', { earned: 20, available: 26, points: { '2.1': 14, '5.2': 6 } }, 90), value: 20 },
        { ...entry('02', { earned: 30, available: 40, points: { '2.1': 20, '5.2': 5 } }, 80), value: 25 },
        { ...entry('03', { earned: 0, available: 0, points: { '2.1': null, '5.2': null } }, 70), value: null },
      ],
    } as unknown as RankingResponse;
    const merged = withIndexV2(live, index)!;
    expect(merged.map((e) => [e.unitCode, e.indexV2?.earned, e.comparable])).toEqual([
      ['01', 20, 20],
      ['02', 30, 25],
      ['03', 0, null],
    ]);
    expect(rankedBy(merged, 'index').map((e) => [e.unitCode, e.rank])).toEqual([
      ['02', 1],
      ['01', 2],
      ['03', null],
    ]);
    expect(rankedBy(merged, '5.2').map((e) => [e.unitCode, e.rank, e.value])).toEqual([
      ['01', 1, 100],
      ['02', 2, (5 / 6) * 100],
      ['03', null, null],
    ]);
    expect(rankedBy(merged, 'points').map((e) => e.unitCode)).toEqual(['01', '02', '03']);
    // Before the index ranking comes, the rows as they are.
    expect(withIndexV2(live, null)!.map((e) => e.indexV2)).toEqual([undefined, undefined, undefined]);
  });
});
