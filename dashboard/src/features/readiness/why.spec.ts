import { describe, expect, it } from '@jest/globals';
import type { CommuneReadiness, RankingEntry } from '@ioc/shared';
import { analyse, median, pearson } from './why';

const entry = (code: string, score: number | null): RankingEntry => ({ unitCode: code, unitName: `Xã ${code}`, index: { score }, kpis: { onTime: { value: score } } }) as unknown as RankingEntry;
const profile = (code: string, score: number | null, outage: number | null = null): CommuneReadiness => ({
  communeCode: code,
  communeName: `Xã ${code}`,
  provinceCode: '04',
  current: {},
  score,
  link: outage === null ? null : { days: 30, upShare: 90, outageWorkingMinutes: outage },
});

describe('why: the index against readiness', () => {
  it('pairs communes with both figures and finds where a KPI gap goes with a readiness gap', () => {
    const entries = [entry('1', 90), entry('2', 80), entry('3', 70), entry('4', 60), entry('5', null)];
    const profiles = [profile('1', 100, 0), profile('2', 40, 600), profile('3', 90, 10), profile('4', 30, 900), profile('5', 10)];
    const a = analyse(entries, profiles, 'index', 'score');
    expect(a.points.map((p) => p.code)).toEqual(['1', '2', '3', '4']);
    expect(a.yMedian).toBe(75);
    expect(a.xMedian).toBe(65);
    expect(a.gaps.map((p) => p.code)).toEqual(['4']);
    expect(a.r).toBeGreaterThan(0);
    // More outage minutes is the gap on this measure.
    const o = analyse(entries, profiles, 'onTime', 'outageWorkingMinutes');
    expect(o.gaps.map((p) => p.code)).toEqual(['4']);
    expect(o.r).toBeLessThan(0);
  });

  it('has no correlation with fewer than three points or no spread', () => {
    expect(
      pearson([
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ]),
    ).toBeNull();
    expect(
      pearson([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
        { x: 1, y: 3 },
      ]),
    ).toBeNull();
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
  });
});
