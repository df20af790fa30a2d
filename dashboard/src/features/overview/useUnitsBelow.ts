import { useEffect, useState } from 'react';
import { type UnitRef, formatScope } from '@ioc/shared';
import { fetchCommunesOf, fetchProvinces } from '../../lib/units';
import { NO_UNITS_BELOW, type UnitsBelow, communesBelow, provincesBelow } from './unitsBelow';

const RETRY_MS = 15_000;

interface State {
  key: string;
  below: UnitsBelow | null;
  error: unknown;
}

/** The units below a scope (public reference data), retried until it comes; a commune has none. */
export function useUnitsBelow(scope: UnitRef): { below: UnitsBelow | null; error: unknown } {
  const key = formatScope(scope);
  const [state, setState] = useState<State>({ key, below: null, error: null });

  useEffect(() => {
    if (scope.kind === 'commune') return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      const request = scope.kind === 'nation' ? fetchProvinces().then(provincesBelow) : fetchCommunesOf(scope.code).then(communesBelow);
      request.then(
        (below) => {
          if (!cancelled) setState({ key, below, error: null });
        },
        (error: unknown) => {
          if (cancelled) return;
          setState({ key, below: null, error });
          timer = setTimeout(load, RETRY_MS);
        },
      );
    };
    load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // The key names the scope; the object may be new on every render.
  }, [key]);

  if (scope.kind === 'commune') return { below: NO_UNITS_BELOW, error: null };
  return state.key === key ? state : { below: null, error: null };
}
