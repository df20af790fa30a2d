import { useCallback, useMemo } from 'react';
import type { DossierListResponse, DossierState, KpiResponse, MonthProjection, RankingEntry, RankingResponse } from '@ioc/shared';
import { fetchKpis } from '../../lib/api';
import { type LiveTopicView, useLiveTopic } from '../../lib/live';
import { liveKpis } from '../../lib/liveFigures';
import { type PeriodPreset, livePeriodOf, periodRange, vietnamDateOf } from '../../lib/period';
import { type QueryState, useApiQuery } from '../../lib/useApiQuery';
import { fetchCommuneRanking, fetchDossiers, fetchMonthRanking, fetchProjection } from './api';
import { type RankPoint, assembleHistory, lastMonths } from './rankHistory';

export const FIGURES_REFRESH_MS = 15_000;
const RANKING_REFRESH_MS = 30_000;
const NATION_RANKING_REFRESH_MS = 120_000;
const HISTORY_REFRESH_MS = 300_000;
const DOSSIERS_REFRESH_MS = 30_000;
const PROJECTION_REFRESH_MS = 60_000;

export interface ScopeFigures {
  /** False when nothing is asked for. */
  enabled: boolean;
  data: KpiResponse | null;
  error: unknown;
  fetching: boolean;
  refresh: () => void;
  /** The live topic while the figures come from it; null while they are polled over REST. */
  live: LiveTopicView | null;
  updatedAt: number | null;
}

const noop = () => undefined;

/**
 * A scope's figures over a period: pushed by the live `summary` topic, polled
 * over REST while the stream refuses or cannot answer the subscription.
 * `scope` null asks for nothing (not allowed, or not known yet).
 */
export function useScopeFigures(scope: string | null, preset: PeriodPreset): ScopeFigures {
  const live = useLiveTopic(scope ? { scope, view: 'summary', period: livePeriodOf(preset) } : null);
  const polled = scope !== null && live.error !== null;
  const fetcher = useCallback((signal: AbortSignal) => fetchKpis(scope!, periodRange(preset, new Date()), signal), [scope, preset]);
  const rest = useApiQuery(polled ? ['kpis', scope, 'preset', preset] : null, fetcher, { refetchMs: FIGURES_REFRESH_MS });
  const liveData = useMemo(() => (scope ? liveKpis(scope, live.state) : null), [scope, live.state]);
  if (polled) return { enabled: true, data: rest.data, error: rest.error, fetching: rest.fetching, refresh: rest.refresh, live: null, updatedAt: rest.updatedAt };
  return { enabled: scope !== null, data: liveData, error: null, fetching: false, refresh: noop, live: scope ? live : null, updatedAt: null };
}

/** The communes of a scope (`province:01` or `nation`) ranked by index points over the period. */
export function useCommuneRanking(scope: string | null, preset: PeriodPreset, nation = false): QueryState<RankingResponse> {
  const fetcher = useCallback((signal: AbortSignal) => fetchCommuneRanking(scope!, periodRange(preset, new Date()), signal), [scope, preset]);
  return useApiQuery(scope ? ['rankings', scope, 'commune', 'preset', preset] : null, fetcher, { refetchMs: nation ? NATION_RANKING_REFRESH_MS : RANKING_REFRESH_MS });
}

export interface RankHistory {
  points: RankPoint[];
  /** Months whose ranking could not be read (left blank). */
  failed: number;
}

/** The commune's rank in `scope` at the end of each of the last 6 months, the current one to date. */
export function useRankHistory(scope: string | null, code: string): QueryState<RankHistory> {
  const today = vietnamDateOf(new Date());
  const fetcher = useCallback(
    async (signal: AbortSignal): Promise<RankHistory> => {
      const months = lastMonths(today);
      const results = await Promise.allSettled(months.map((m) => fetchMonthRanking(scope!, m, signal)));
      const rankings = new Map<string, RankingEntry[]>();
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') rankings.set(months[i]!.month, r.value.entries);
      });
      const failed = results.filter((r) => r.status === 'rejected');
      // Nothing came back: an error the panel shows with its retry, not six blank months.
      if (failed.length === results.length) throw (failed[0] as PromiseRejectedResult).reason;
      return { points: assembleHistory(months, rankings, code), failed: failed.length };
    },
    [scope, code, today],
  );
  return useApiQuery(scope ? ['rank-history', scope, code, today] : null, fetcher, { refetchMs: HISTORY_REFRESH_MS });
}

export function useDossiers(scope: string | null, state: DossierState | null, page: number, pageSize: number): QueryState<DossierListResponse> {
  const fetcher = useCallback((signal: AbortSignal) => fetchDossiers({ scope: scope!, state: state ?? undefined, page, pageSize }, signal), [scope, state, page, pageSize]);
  return useApiQuery(scope ? ['dossiers', scope, state ?? 'all', page, pageSize] : null, fetcher, { refetchMs: DOSSIERS_REFRESH_MS });
}

export function useProjection(scope: string | null): QueryState<MonthProjection> {
  const fetcher = useCallback((signal: AbortSignal) => fetchProjection(scope!, signal), [scope]);
  return useApiQuery(scope === null ? null : ['projection', scope], fetcher, { refetchMs: PROJECTION_REFRESH_MS });
}
