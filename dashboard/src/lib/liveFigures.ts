import { type ChildrenData, KPI_VERSION, type KpiResponse, type ProjectionMark, type RankingEntry, type RankingResponse, type SummaryData, type TopicState, rankEntries } from '@ioc/shared';

const NOTHING_PROJECTED: ProjectionMark = { watermark: 0, projectedUpTo: null, pendingEvents: 0, lagSeconds: 0 };

/**
 * Live topics in the shapes of the REST answers, so one page renders either.
 * Null until the topic's first snapshot.
 */
export function liveKpis(scope: string, s: TopicState<SummaryData> | null): KpiResponse | null {
  if (!s?.data || s.from === null || s.to === null || s.asOf === null) return null;
  const { kpis, counts, index, indexV2 } = s.data;
  return {
    scope,
    from: s.from,
    to: s.to,
    asOf: s.asOf,
    kpiVersion: KPI_VERSION,
    projection: s.projection ?? NOTHING_PROJECTED,
    loading: s.loading,
    kpis,
    counts,
    index,
    ...(indexV2 ? { indexV2 } : {}),
  };
}

export function liveRanking(scope: string, s: TopicState<ChildrenData> | null): RankingResponse | null {
  if (!s?.data || s.from === null || s.to === null || s.asOf === null) return null;
  return {
    scope,
    level: scope === 'nation' ? 'province' : 'commune',
    by: 'points',
    from: s.from,
    to: s.to,
    asOf: s.asOf,
    kpiVersion: KPI_VERSION,
    projection: s.projection ?? NOTHING_PROJECTED,
    loading: s.loading,
    entries: rankChildren(s.data),
  };
}

/**
 * The live `children` rows ranked as `/api/v1/rankings?by=points` ranks them:
 * index score descending, units without a score last, ties in unit-code order;
 * competition ranking, so equal scores share a rank and the next rank skips.
 */
export function rankChildren(rows: ChildrenData): RankingEntry[] {
  const entries: RankingEntry[] = Object.values(rows).map((r) => ({
    rank: null,
    unitCode: r.unitCode,
    unitName: r.unitName,
    unitType: r.unitType,
    provinceCode: r.provinceCode,
    value: r.index.score,
    kpis: r.kpis,
    received: r.counts.received,
    counts: r.counts,
    index: r.index,
  }));
  return rankEntries(entries);
}
