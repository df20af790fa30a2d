import { describe, expect, it } from '@jest/globals';
import { type ChildRow, type ChildrenData, type LiveData, type SummaryData, type TopicState, computeIndexPoints, computeKpis, zeroPeriod } from '@ioc/shared';
import { liveKpis, liveRanking, rankChildren } from './liveFigures';

const empty = { ...computeKpis(zeroPeriod()), index: computeIndexPoints(zeroPeriod()) };

function row(code: string, name: string, score: number | null): ChildRow {
  return { unitCode: code, unitName: name, unitType: 'tỉnh', provinceCode: code, ...empty, index: { ...empty.index, score }, lastEventAt: null };
}

function rows(...list: ChildRow[]): ChildrenData {
  return Object.fromEntries(list.map((r) => [r.unitCode, r]));
}

function state<D extends LiveData>(data: D | null, asOf: string | null = '2026-03-02T03:00:00.000Z'): TopicState<D> {
  return { topic: 't', status: 'live', epoch: 'e', seq: 1, data, from: '2026-03-02', to: '2026-03-02', asOf, projection: null, loading: null, lastMessageAt: 0, snapshots: 1 };
}

describe('ranking live child rows like /api/v1/rankings?by=points', () => {
  it('orders by score, best first, with competition ranks: equal scores share a rank and the next one skips', () => {
    const ranked = rankChildren(rows(row('04', 'Cao Bằng', 70), row('01', 'Hà Nội', 80), row('79', 'TP. Hồ Chí Minh', 90), row('08', 'Tuyên Quang', 80)));
    expect(ranked.map((e) => [e.unitCode, e.rank, e.value])).toEqual([
      ['79', 1, 90],
      ['01', 2, 80],
      ['08', 2, 80],
      ['04', 4, 70],
    ]);
  });

  it('puts units without a score last, unranked, in code order', () => {
    const ranked = rankChildren(rows(row('12', 'Lai Châu', null), row('11', 'Điện Biên', null), row('01', 'Hà Nội', 0)));
    expect(ranked.map((e) => [e.unitCode, e.rank])).toEqual([
      ['01', 1],
      ['11', null],
      ['12', null],
    ]);
  });

  it('does not depend on the order the rows arrived in', () => {
    const a = row('01', 'Hà Nội', 50);
    const b = row('04', 'Cao Bằng', 50);
    const c = row('08', 'Tuyên Quang', 60);
    expect(rankChildren(rows(c, b, a))).toEqual(rankChildren(rows(a, b, c)));
  });

  it('keeps the figures and drops what a ranking entry does not have', () => {
    const [e] = rankChildren(rows({ ...row('01', 'Hà Nội', 75.5), lastEventAt: '2026-03-02T02:59:00.000Z' }));
    expect(e).toEqual({
      rank: 1,
      unitCode: '01',
      unitName: 'Hà Nội',
      unitType: 'tỉnh',
      provinceCode: '01',
      value: 75.5,
      kpis: empty.kpis,
      received: 0,
      counts: empty.counts,
      index: { ...empty.index, score: 75.5 },
    });
  });
});

describe('live topics in the shape of the REST answers', () => {
  it('are null until the first snapshot', () => {
    expect(liveKpis('nation', null)).toBeNull();
    expect(liveKpis('nation', state<SummaryData>(null))).toBeNull();
    expect(liveRanking('nation', state<ChildrenData>(null))).toBeNull();
  });

  it('summary → KpiResponse', () => {
    const k = liveKpis('nation', state({ kpis: empty.kpis, counts: empty.counts, index: empty.index, freshness: { lastEventAt: null } }));
    expect(k).toMatchObject({ scope: 'nation', from: '2026-03-02', to: '2026-03-02', asOf: '2026-03-02T03:00:00.000Z', kpis: empty.kpis, counts: empty.counts });
  });

  it('children → RankingResponse of provinces for the nation, communes for a province', () => {
    const data = rows(row('01', 'Hà Nội', 80));
    expect(liveRanking('nation', state(data))).toMatchObject({ level: 'province', by: 'points', entries: [{ unitCode: '01', rank: 1 }] });
    expect(liveRanking('province:01', state(data))?.level).toBe('commune');
  });
});
