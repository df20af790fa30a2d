import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Commune, type Province, type UnitRef, formatScope } from '@ioc/shared';
import { fetchCommunesOf, fetchProvinces } from '../../lib/units';
import { NO_UNITS_BELOW, type UnitsBelow, communesBelow, provincesBelow } from './unitsBelow';

const RETRY_MS = 15_000;

type Below = { kind: 'provinces'; list: Province[] } | { kind: 'communes'; list: Commune[] };

/** The units below a scope (public reference data), retried until it comes; a commune has none. */
export function useUnitsBelow(scope: UnitRef): { below: UnitsBelow | null; error: unknown } {
  const { i18n } = useTranslation();
  const key = formatScope(scope);
  const q = useQuery({
    queryKey: ['units-below', key],
    queryFn: async (): Promise<Below> =>
      scope.kind === 'nation' ? { kind: 'provinces', list: await fetchProvinces() } : { kind: 'communes', list: await fetchCommunesOf(scope.kind === 'province' ? scope.code : '') },
    enabled: scope.kind !== 'commune',
    staleTime: Infinity,
    // Without the units the page has no ranking nor map: keep asking.
    retry: true,
    retryDelay: RETRY_MS,
  });
  // Named in the language shown, so the cache keeps the units and not the words.
  const below = useMemo(
    () => (q.data ? (q.data.kind === 'provinces' ? provincesBelow(q.data.list) : communesBelow(q.data.list)) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [q.data, i18n.language],
  );
  if (scope.kind === 'commune') return { below: NO_UNITS_BELOW, error: null };
  return { below, error: q.failureReason ?? null };
}
