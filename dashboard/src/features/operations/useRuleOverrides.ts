import { useCallback, useEffect, useMemo, useRef } from 'react';
import { type AlertSummary, DEFAULT_RULES } from '@ioc/shared';
import { useApiQuery } from '../../lib/useApiQuery';
import { fetchRuleOverrides } from './api';
import { type OverridesByRule, indexOverrides } from './ruleParams';

const REFRESH_MS = 5 * 60_000;

export interface RuleOverrides {
  overrides: OverridesByRule;
  /** True for an alert known when the overrides were read; a newer one may come from an override not read yet. */
  covers: (a: Pick<AlertSummary, 'firedAt'>) => boolean;
}

/**
 * Every rule's overrides the person may read, so the list can show each alert's
 * threshold as it applies now. Read again when an alert fires after the last
 * read (its rule may have just been adjusted for its unit).
 */
export function useRuleOverrides(alerts: readonly AlertSummary[] | null): RuleOverrides {
  // Server times only (the firing times of the alerts), so a wrong clock on this screen cannot loop.
  const newest = alerts?.reduce((m, a) => Math.max(m, Date.parse(a.firedAt)), 0) ?? 0;
  const newestRef = useRef(newest);
  newestRef.current = newest;
  const fetcher = useCallback(async (signal: AbortSignal) => {
    const covered = newestRef.current;
    const lists = await Promise.all(DEFAULT_RULES.map((r) => fetchRuleOverrides(r.id, signal).catch(() => [])));
    return { overrides: indexOverrides(lists), covered };
  }, []);
  const { data, refresh, fetching } = useApiQuery(['rule-overrides'], fetcher, { refetchMs: REFRESH_MS });
  const covered = data?.covered ?? null;
  useEffect(() => {
    if (covered !== null && !fetching && newest > covered) refresh();
  }, [newest, covered, fetching, refresh]);
  return useMemo(() => ({ overrides: data?.overrides ?? new Map(), covers: (a: Pick<AlertSummary, 'firedAt'>) => covered !== null && Date.parse(a.firedAt) <= covered }), [data, covered]);
}
