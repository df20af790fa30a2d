import { describe, expect, it } from '@jest/globals';
import type { KpiSet } from '@ioc/shared';
import { type MapSourceRow, toMapData } from './mapData';

const ratio = (value: number | null) => ({ numerator: 0, denominator: value === null ? 0 : 1, value });
const kpis = (onTime: number | null, online: number | null): KpiSet =>
  ({
    onTime: ratio(onTime),
    online: ratio(online),
    fullOnline: ratio(null),
    digitized: ratio(71.21),
    eResult: ratio(null),
    onlinePayment: ratio(null),
    satisfaction: { value: null },
  }) as unknown as KpiSet;

const ranking: MapSourceRow[] = [
  { unitCode: '01', unitName: 'Hà Nội', kpis: kpis(98.41, 52.3), index: { score: 85.61 } },
  { unitCode: '79', unitName: 'Hồ Chí Minh', kpis: kpis(null, null), index: { score: null } },
];
const live: Record<string, MapSourceRow> = {
  '00004': { unitCode: '00004', unitName: 'Ba Đình', kpis: kpis(90, 40), index: { score: 70 }, lastEventAt: '2026-01-05T03:00:00.000Z' },
  '00008': { unitCode: '00008', unitName: 'Ngọc Hà', kpis: kpis(null, null), index: { score: null }, lastEventAt: null },
};

describe('the overview rows as map data', () => {
  it('takes the chosen KPI of each ranking row, by unit code', () => {
    expect(toMapData(ranking, 'online')).toEqual({
      '01': { code: '01', name: 'Hà Nội', value: 52.3 },
      '79': { code: '79', name: 'Hồ Chí Minh', value: null },
    });
    expect(toMapData(ranking, 'digitized')['01']!.value).toBe(71.21);
  });

  it('takes the index score for points', () => {
    expect(toMapData(ranking, 'points')['01']!.value).toBe(85.61);
    expect(toMapData(ranking, 'points')['79']!.value).toBeNull();
  });

  it('keeps the live rows’ last event, null included (never delivered)', () => {
    const d = toMapData(live, 'onTime');
    expect(d['00004']).toEqual({ code: '00004', name: 'Ba Đình', value: 90, lastEventAt: '2026-01-05T03:00:00.000Z' });
    expect(d['00008']).toEqual({ code: '00008', name: 'Ngọc Hà', value: null, lastEventAt: null });
  });

  it('leaves freshness unknown when the rows do not carry it', () => {
    expect('lastEventAt' in toMapData(ranking, 'onTime')['01']!).toBe(false);
  });
});
