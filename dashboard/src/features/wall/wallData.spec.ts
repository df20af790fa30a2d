import { describe, expect, it } from '@jest/globals';
import type { ChildRow, ChildrenData, RankingResponse } from '@ioc/shared';
import { rankChildren } from '../../lib/liveFigures';
import { bestAndWorst, cyclesProvinces, provinceAt, wallMapData } from './wallData';

function row(code: string, score: number | null, onTime: number | null = null): ChildRow {
  const r = { numerator: 0, denominator: 0, value: onTime };
  return {
    unitCode: code,
    unitName: `Xã ${code}`,
    provinceCode: '01',
    kpis: { onTime: r, online: r, fullOnline: r, digitized: r, eResult: r, onlinePayment: r, satisfaction: { value: null } },
    counts: { received: 0 },
    index: { points: 0, maxPoints: 0, score, components: [] },
    lastEventAt: code === '00001' ? '2026-11-16T02:00:00Z' : null,
  } as unknown as ChildRow;
}
const rows = (...r: ChildRow[]): ChildrenData => Object.fromEntries(r.map((x) => [x.unitCode, x]));

describe('the wall ranking', () => {
  /** A ranking by the kpi-v2 index as the server answers it: entries in rank order, compared points as `value`. */
  const ranking = (values: (number | null)[], pmax = 24): RankingResponse => {
    let rank = 0;
    const entries = values
      .map((v, i) => ({ code: String(i + 1).padStart(5, '0'), v }))
      .sort((a, b) => (b.v ?? -1) - (a.v ?? -1))
      .map(({ code, v }) => ({ ...rankChildren(rows(row(code, 50)))[0]!, unitCode: code, value: v, rank: v === null ? null : ++rank }));
    return { entries, commonPmax: pmax } as unknown as RankingResponse;
  };

  it('best five and worst five by the compared points of the index ranking, without units with no rank', () => {
    const { best, worst, scored, pmax } = bestAndWorst(ranking([...Array.from({ length: 12 }, (_, i) => 10 + i), null]));
    expect(scored).toBe(12);
    expect(pmax).toBe(24);
    expect(best.map((e) => [e.rank, e.unitCode, e.value])).toEqual([
      [1, '00012', 21],
      [2, '00011', 20],
      [3, '00010', 19],
      [4, '00009', 18],
      [5, '00008', 17],
    ]);
    expect(worst.map((e) => [e.rank, e.unitCode])).toEqual([
      [12, '00001'],
      [11, '00002'],
      [10, '00003'],
      [9, '00004'],
      [8, '00005'],
    ]);
  });

  it('with few units the two lists do not repeat one', () => {
    const { best, worst } = bestAndWorst(ranking([9, 8, 7, 6, 5, 4, 3]));
    expect(best).toHaveLength(5);
    expect(worst.map((e) => e.unitCode)).toEqual(['00007', '00006']);
    expect(bestAndWorst(null)).toEqual({ best: [], worst: [], scored: 0, pmax: null });
  });

  it('maps the kpi-v2 index (the headline: earned of available) from the ranking by it, and freshness from the live rows', () => {
    const live = rows(row('00001', 80, 97.5), row('00002', 70));
    // Before the index ranking comes: no value, never the kpi-v1 score in its place.
    expect(wallMapData(live)['00001']).toEqual({ code: '00001', name: 'Xã 00001', value: null, lastEventAt: '2026-11-16T02:00:00Z' });
    const index = {
      entries: [
        { ...rankChildren(live)[0]!, unitCode: '00001', indexV2: { earned: 41, available: 50, missing: [], points: {} } },
        { ...rankChildren(live)[0]!, unitCode: '00003', unitName: 'Xã 00003', indexV2: { earned: 0, available: 0, missing: [], points: {} } },
      ],
    } as unknown as RankingResponse;
    const d = wallMapData(live, index);
    expect(d['00001']).toEqual({ code: '00001', name: 'Xã 00001', value: 82, points: { earned: 41, of: 50 }, lastEventAt: '2026-11-16T02:00:00Z' });
    expect(d['00002']!.value).toBeNull();
    // A unit with no sub-indicator with data has no value (hatched), not 0%.
    expect(d['00003']).toEqual({ code: '00003', name: 'Xã 00003', value: null });
  });

  it('cycles through the provinces by code when the address asks for it', () => {
    expect(cyclesProvinces('?every=30&cycle=provinces')).toBe(true);
    expect(cyclesProvinces('?every=30')).toBe(false);
    expect([0, 1, 2, 3].map((turn) => provinceAt(['79', '01', '48'], turn))).toEqual(['01', '48', '79', '01']);
    expect(provinceAt([], 3)).toBeNull();
  });
});
