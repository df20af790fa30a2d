import { describe, expect, it } from '@jest/globals';
import { type IndexPoints, type KpiSet, type MonthProjection, type PeriodCounters, type RankingEntry, type UnitType, computeIndexPoints, computeKpis, zeroPeriod } from '@ioc/shared';
import { comparisonRows, toComparisonOption } from './comparison';
import { hoursLeftText, urgencyOf } from './dossierText';
import { MIN_PEERS, median, peerBand, peerGroup, peerMedians, selectPeers } from './peers';
import { pointsLostDetail, pointsLostItems, pointsLostText, totalLost } from './pointsLost';
import { monthLabel, projectionLines } from './projectionText';
import { assembleHistory, lastMonths, rankIn, toRankHistoryOption } from './rankHistory';

const empty = { ...computeKpis(zeroPeriod()), index: computeIndexPoints(zeroPeriod()) };

function entry(code: string, type: UnitType, received: number, score: number | null, online: number | null = null, rank: number | null = null): RankingEntry {
  const kpis: KpiSet = { ...empty.kpis, online: { numerator: 0, denominator: 0, value: online } };
  return {
    rank,
    unitCode: code,
    unitName: `U${code}`,
    unitType: type,
    provinceCode: code.slice(0, 2),
    value: score,
    kpis,
    received,
    counts: null,
    index: { ...empty.index, score },
  };
}

describe('peer group', () => {
  it('takes a band of ×0.5 to ×2 of the volume, and none without volume', () => {
    expect(peerBand(10)).toEqual({ min: 5, max: 20 });
    expect(peerBand(7)).toEqual({ min: 4, max: 14 });
    expect(peerBand(1)).toEqual({ min: 1, max: 2 });
    expect(peerBand(0)).toBeNull();
  });

  it('keeps units of the same type within the band, never the commune itself', () => {
    const own = { unitCode: '00004', unitType: 'phường' as const, received: 10 };
    const list = [
      entry('00004', 'phường', 10, 80),
      entry('00008', 'phường', 5, 70),
      entry('00025', 'phường', 20, 60),
      entry('00070', 'phường', 4, 90),
      entry('00082', 'phường', 21, 90),
      entry('00376', 'xã', 10, 90),
    ];
    expect(selectPeers(own, list).map((e) => e.unitCode)).toEqual(['00008', '00025']);
  });

  it('medians leave out missing values; an even count averages the middle two; nothing gives null', () => {
    expect(median([3, null, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([null, undefined])).toBeNull();
    expect(median([])).toBeNull();
    expect(median([33.333, 66.667])).toBe(50);
  });

  it('summarises peers by the median rate of each KPI and of the score', () => {
    const m = peerMedians([entry('1', 'xã', 1, 50, 10), entry('2', 'xã', 1, null, null), entry('3', 'xã', 1, 70, 30)]);
    expect(m.score).toBe(60);
    expect(m.kpis.online).toBe(20);
    expect(m.kpis.onTime).toBeNull();
    expect(peerMedians([]).score).toBeNull();
  });

  it('uses the province when it has enough peers, else the nation, and says when there are none', () => {
    const own = { unitCode: '00004', unitType: 'phường' as const, received: 10 };
    const inProvince = Array.from({ length: MIN_PEERS }, (_, i) => entry(`0100${i}`, 'phường', 10, 50 + i));
    const province = peerGroup(own, inProvince, null);
    expect(province.status === 'ok' && province.group.source).toBe('province');
    expect(province.status === 'ok' && province.group.medians.score).toBe(52);

    const few = inProvince.slice(0, MIN_PEERS - 1);
    expect(peerGroup(own, few, null)).toEqual({ status: 'pending' });
    const nation = peerGroup(own, few, [...few, entry('79001', 'phường', 12, 90), entry('79002', 'xã', 12, 10)]);
    expect(nation.status === 'ok' && nation.group.source).toBe('nation');
    expect(nation.status === 'ok' && nation.group.peers.length).toBe(MIN_PEERS);

    expect(peerGroup(own, [], [entry('79002', 'xã', 12, 10)])).toEqual({ status: 'none' });
    expect(peerGroup({ ...own, received: 0 }, inProvince, inProvince)).toEqual({ status: 'noVolume' });
  });
});

describe('comparison', () => {
  const figures = (score: number | null, online: number | null) => ({
    kpis: { ...empty.kpis, online: { numerator: 1, denominator: 2, value: online } },
    index: { ...empty.index, score },
  });

  it('puts the score first, then every KPI, with the difference to the peer median', () => {
    const rows = comparisonRows(figures(80, 60), figures(70, 50), figures(65, 45), { score: 75.5, kpis: { ...peerMedians([]).kpis, online: 62.25 } });
    expect(rows.map((r) => r.metric)).toEqual(['score', 'onTime', 'online', 'fullOnline', 'digitized', 'eResult', 'onlinePayment', 'satisfaction']);
    expect(rows[0]).toMatchObject({ commune: 80, province: 70, nation: 65, peers: 75.5, vsPeers: 4.5, fullScoreAt: null });
    expect(rows[2]).toMatchObject({ commune: 60, peers: 62.25, vsPeers: -2.25 });
    expect(rows.find((r) => r.metric === 'fullOnline')).toMatchObject({ commune: null, vsPeers: null, fullScoreAt: 50 });
  });

  it('without peers or figures, every value is missing, never 0', () => {
    const rows = comparisonRows(null, null, null, null);
    expect(rows.every((r) => r.commune === null && r.peers === null && r.vsPeers === null)).toBe(true);
  });

  it('draws one bar series per unit compared, gaps for missing values, the score on top', () => {
    const rows = comparisonRows(figures(80, null), figures(70, 50), null, null);
    const o = toComparisonOption(rows, { metric: (m) => m, commune: 'Ba Đình', province: 'Hà Nội', nation: 'Cả nước', peers: 'Trung vị', format: String });
    const series = o.series as { name: string; data: unknown[] }[];
    expect(series.map((s) => s.name)).toEqual(['Ba Đình', 'Hà Nội', 'Cả nước', 'Trung vị']);
    expect(series[0]!.data.slice(0, 3)).toEqual([80, '-', '-']);
    expect(series[1]!.data.slice(0, 3)).toEqual([70, '-', 50]);
    expect(series[2]!.data.every((v) => v === '-')).toBe(true);
    expect(o.yAxis).toMatchObject({ type: 'category', inverse: true, data: rows.map((r) => r.metric) });
    expect(o.xAxis).toMatchObject({ min: 0, max: 100 });
  });
});

describe('rank history', () => {
  it('lists the last 6 months, oldest first, the current one to today, across a year change', () => {
    const m = lastMonths('2026-02-17');
    expect(m.map((x) => x.month)).toEqual(['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02']);
    expect(m[0]).toEqual({ month: '2025-09', from: '2025-09-01', to: '2025-09-30', current: false });
    expect(m[3]!.to).toBe('2025-12-31');
    expect(m[5]).toEqual({ month: '2026-02', from: '2026-02-01', to: '2026-02-17', current: true });
    expect(lastMonths('2024-03-05', 2)[0]!.to).toBe('2024-02-29');
  });

  it("reads the commune's rank and the number of ranked units; a missing month is a gap", () => {
    const entries = [entry('1', 'xã', 3, 90, null, 1), entry('2', 'xã', 3, 80, null, 2), entry('3', 'xã', 0, null, null, null)];
    expect(rankIn(entries, '2')).toEqual({ rank: 2, ranked: 2, score: 80 });
    expect(rankIn(entries, '3')).toEqual({ rank: null, ranked: 2, score: null });
    const months = lastMonths('2026-02-17', 3);
    const points = assembleHistory(months, new Map([['2026-02', entries]]), '1');
    expect(points).toEqual([
      { month: '2025-12', current: false, rank: null, ranked: 0, score: null },
      { month: '2026-01', current: false, rank: null, ranked: 0, score: null },
      { month: '2026-02', current: true, rank: 1, ranked: 2, score: 90 },
    ]);
  });

  it('draws rank 1 on top (inverted axis), whole ranks, gaps where unranked', () => {
    const points = [
      { month: '2026-01', current: false, rank: null, ranked: 0, score: null },
      { month: '2026-02', current: true, rank: 3, ranked: 12, score: 70 },
    ];
    const o = toRankHistoryOption(points, { month: (p) => monthLabel(p.month), rank: (p) => `Hạng ${p.rank}/${p.ranked}`, series: 'Hạng' });
    expect(o.yAxis).toMatchObject({ inverse: true, min: 1, max: 12, minInterval: 1 });
    expect(o.xAxis).toMatchObject({ data: ['01/2026', '02/2026'] });
    expect((o.series as { data: unknown[] }[])[0]!.data).toEqual(['-', 3]);
    const tooltip = o.tooltip as { formatter: (p: unknown) => string };
    expect(tooltip.formatter([{ dataIndex: 1 }])).toBe('02/2026<br/>Hạng 3/12');
  });
});

describe('points lost', () => {
  // 10 dossiers received, 3 online for full-process procedures (30%), 6 digitised (60%), all resolved on time.
  const counters: PeriodCounters = {
    ...zeroPeriod(),
    received: 10,
    receivedOnline: 3,
    fullEligible: 10,
    fullEligibleOnline: 3,
    digitized: 6,
    resolved: 10,
    resolvedOnTime: 10,
  };
  const { kpis } = computeKpis(counters);
  const index: IndexPoints = computeIndexPoints(counters);

  it('sorts the costliest component first, components without a value last', () => {
    const items = pointsLostItems(index, kpis);
    const lost = items.filter((i) => i.lost !== null);
    for (let i = 1; i < lost.length; i++) expect(lost[i - 1]!.lost!).toBeGreaterThanOrEqual(lost[i]!.lost!);
    expect(items.at(-1)!.lost).toBeNull();
    expect(items.map((i) => i.kpi)).toEqual(['digitized', 'fullOnline', 'onTime', 'satisfaction', 'onlinePayment']);
    expect(items[0]).toMatchObject({ kpi: 'digitized', lost: 5.5, fullAt: 80, shortfall: 2 });
    expect(items[1]).toMatchObject({ kpi: 'fullOnline', lost: 4.8, fullAt: 50, shortfall: 2 });
    expect(totalLost(items)).toBe(round(items.reduce((s, i) => s + (i.lost ?? 0), 0)));
  });

  it('says how many points are lost and what earns them back', () => {
    const items = pointsLostItems(index, kpis);
    const fullOnline = items.find((i) => i.kpi === 'fullOnline')!;
    expect(pointsLostText(fullOnline)).toBe('Mất 4,80 điểm — cần ≥ 50% hồ sơ trực tuyến toàn trình');
    expect(pointsLostDetail(fullOnline)).toBe('hiện 30,00% · còn thiếu 2 hồ sơ · mỗi 1% tăng thêm được 0,24 điểm');
    expect(pointsLostText(items.find((i) => i.kpi === 'onTime')!)).toBe('Đủ điểm (đạt mức 100%)');
    expect(pointsLostText({ ...fullOnline, lost: null, points: null })).toBe('Chưa có hồ sơ để tính');
  });
});

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

describe('dossiers to act on', () => {
  it('says the time left in minutes, hours or days, rounded down', () => {
    expect(hoursLeftText(5.9)).toBe('còn 5 giờ');
    expect(hoursLeftText(0.5)).toBe('còn 30 phút');
    expect(hoursLeftText(0.001)).toBe('sắp quá hạn');
    expect(hoursLeftText(47.99)).toBe('còn 47 giờ');
    expect(hoursLeftText(50)).toBe('còn 2 ngày');
    expect(hoursLeftText(-3.2)).toBe('quá hạn 3 giờ');
    expect(hoursLeftText(-0.25)).toBe('quá hạn 15 phút');
    expect(hoursLeftText(-72)).toBe('quá hạn 3 ngày');
  });

  it('marks overdue, soon (under 8 hours) and later rows', () => {
    expect(urgencyOf({ state: 'overdue', hoursLeft: -1 })).toBe('overdue');
    expect(urgencyOf({ state: 'due_soon', hoursLeft: 5 })).toBe('soon');
    expect(urgencyOf({ state: 'due_soon', hoursLeft: 30 })).toBe('later');
  });
});

describe('month-end projection', () => {
  const p: MonthProjection = {
    scope: 'commune:00004',
    month: '2026-02',
    from: '2026-02-01',
    to: '2026-02-17',
    asOf: '2026-02-17T03:00:00.000Z',
    denominator: 100,
    onTimeNow: 95,
    atRisk: 12,
    alreadyOverdue: 5,
    recentOnTimeRate: 90,
    onTime: { now: 95, best: 95, expected: 93.8, worst: 83 },
  };

  it('explains each figure in one sentence', () => {
    const lines = projectionLines(p);
    expect(lines.map((l) => [l.key, l.value])).toEqual([
      ['now', 95],
      ['best', 95],
      ['expected', 93.8],
      ['worst', 83],
    ]);
    expect(lines[0]!.sentence).toBe('Tháng 02/2026 đến nay: 95 / 100 hồ sơ đúng hạn, tỷ lệ 95,00%.');
    expect(lines[1]!.sentence).toBe('Nếu giải quyết đúng hạn 12 hồ sơ sắp đến hạn, tỷ lệ đúng hạn tháng này đạt 95,00%.');
    expect(lines[2]!.sentence).toContain('dự kiến đạt 93,80%');
    expect(lines[3]!.sentence).toBe('Nếu cả 12 hồ sơ này trễ hạn, tỷ lệ giảm còn 83,00%.');
  });

  it('has nothing to project without dossiers, and no expected figure without a recent pace', () => {
    expect(projectionLines({ ...p, denominator: 0 })).toEqual([]);
    const noPace = projectionLines({ ...p, recentOnTimeRate: null, onTime: { ...p.onTime, expected: null } });
    expect(noPace[2]!.value).toBeNull();
    expect(noPace[2]!.sentence).toMatch(/^Chưa có hồ sơ giải quyết/);
    expect(projectionLines({ ...p, atRisk: 0 })[1]!.sentence).toMatch(/^Không có hồ sơ nào đến hạn/);
  });
});
