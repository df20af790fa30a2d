import { afterEach, describe, expect, it } from '@jest/globals';
import { INDEX_V2_COUNT_FIELDS, INDEX_V2_SUB_INDICATORS, type IndexV2Counts, type IndexV2View, indexV2View } from '@ioc/shared';
import { setLanguage } from '../i18n';
import { actionOf, barPercent, coverageText, formulaLine, indexTotalText, lostList, missingPoints, missingReason, missingText, ratioText } from './indexV2';

const counts = (c: Partial<IndexV2Counts>): IndexV2Counts => ({ ...(Object.fromEntries(INDEX_V2_COUNT_FIELDS.map((f) => [f, 0])) as IndexV2Counts), ...c });

/**
 * A commune with dossiers but no reported values, no feedback and sources that send
 * some of the v1.1 attributes: 2.1 at 80%, 4.2 at 40% (full at 80%), 3.6 at 50%.
 */
const VIEW: IndexV2View = indexV2View(
  counts({
    received: 100,
    receivedOnline: 60,
    fullEligible: 50,
    fullEligibleOnline: 10,
    feeRequired: 20,
    paidOnline: 10,
    digitized: 40,
    resolved: 80,
    resolvedOnTime: 64,
    inProgress: 20,
    inProgressOverdue: 4,
    resultResolved: 80,
    eResult: 80,
    processingDays: 240,
    reuseKnown: 0,
    citizenDataKnown: 50,
    citizenDataUsed: 25,
    citizenStoreKnown: 0,
  }),
);
const sub = (id: string) => VIEW.groups.flatMap((g) => g.subIndicators).find((s) => s.id === id)!;

describe('the national index as shown', () => {
  afterEach(() => setLanguage('vi'));

  it('is earned of available points, never out of 100', () => {
    const v = { earned: 52.08, available: 64, maxPoints: 100 };
    expect(indexTotalText(v)).toBe('52,08 / 64 điểm có số liệu');
    expect(missingPoints(v)).toBe(36);
    expect(indexTotalText(VIEW)).not.toMatch(/100/);
    setLanguage('en');
    expect(indexTotalText(v)).toBe('52.08 of 64 points with data');
  });

  it('bars are points of Pmax, clamped, empty without data', () => {
    expect(barPercent(3, 6)).toBe(50);
    expect(barPercent(null, 6)).toBe(0);
    expect(barPercent(7, 6)).toBe(100);
    expect(barPercent(0, 0)).toBe(0);
  });

  it('gives every sub-indicator a one-line formula with its scoring rule', () => {
    for (const d of INDEX_V2_SUB_INDICATORS) {
      const line = formulaLine(d.id);
      expect(line).not.toMatch(/\n/);
      expect(line.length).toBeGreaterThan(10);
    }
    const d42 = INDEX_V2_SUB_INDICATORS.find((d) => d.id === '4.2')!;
    expect(formulaLine('4.2')).toBe(`${d42.numeratorVi} ÷ ${d42.denominatorVi} · đủ 4 điểm khi ≥ 80%, dưới mức đó theo tỷ lệ`);
    expect(formulaLine('2.1')).toMatch(/· điểm = 20 × tỷ lệ$/);
    expect(formulaLine('2.2')).toMatch(/\(tính bằng ngày\) · không tính điểm$/);
    expect(formulaLine('5.4')).toMatch(/^100% − \(/);
    setLanguage('en');
    expect(formulaLine('3.x')).toMatch(/· full 12 points at ≥ 50%, pro rata below$/);
  });

  it('says why a sub-indicator has no data', () => {
    expect(missingReason(sub('2.1'))).toBeNull();
    expect(missingReason(sub('1.1'))).toBe('reported');
    expect(missingReason(sub('4.3'))).toBe('attribute');
    expect(missingReason(sub('5.2'))).toBe('noCount');
    expect(missingText(sub('1.1'))).toBe('Chưa có số liệu: chưa được báo cáo trong kỳ');
    expect(coverageText(sub('4.5b'))).toBe('độ phủ 50,00% (50 / 100 hồ sơ có thông tin)');
    expect(coverageText(sub('2.1'))).toBeNull();
    expect(ratioText(sub('4.2'))).toBe('40 / 100');
    expect(ratioText(sub('1.1'))).toBeNull();
  });

  it('lists the chair’s points lost, the most first, adding up to the index’s, the missing apart', () => {
    const l = lostList(VIEW);
    const lost = l.items.map((i) => i.lost);
    expect(lost).toEqual([...lost].sort((a, b) => b - a));
    expect(l.items[0]!.id).toBe('3.x');
    expect(l.lost).toBe(VIEW.pointsLost);
    expect(Math.round(l.items.reduce((t, i) => t + i.lost, 0) * 100) / 100).toBeCloseTo(VIEW.pointsLost, 1);
    for (const i of l.items) expect(i.points + i.lost).toBeCloseTo(i.pmax, 2);
    expect(l.missing.map((m) => m.id)).toEqual(VIEW.missing);
    expect(l.missing.find((m) => m.id === '1.1')!.reason).toBe('reported');
    expect(l.items.some((i) => i.id === '2.2' || i.id === '3.3')).toBe(false);
    expect(l.available + l.missingPoints).toBe(100);
  });

  it('links on-time to the dossiers due soon, satisfaction to the overdue, digitisation to the dossiers to act on', () => {
    expect(actionOf('2.1')).toEqual({ action: 'dueSoon', hint: 'onTime' });
    expect(actionOf('5.4')).toEqual({ action: 'overdue', hint: 'satisfaction' });
    expect(actionOf('4.2').action).toBe('toAct');
    expect(actionOf('4.1').action).toBe('toAct');
    expect(actionOf('1.1')).toEqual({ action: null, hint: 'reported' });
    expect(actionOf('3.6').action).toBeNull();
  });
});
