import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { CARRIED_PARAMS, type ParamPatch, patchParams, pickParams, withParams } from './params';
import { PERIOD_PRESETS, type PeriodChoice, type PeriodPreset, defaultPeriod, parsePeriod, periodParams } from './period';

/**
 * A page's view (period, KPI, tab…) lives in its address, after the path in the
 * hash: `#/overview/province:01?period=last7&kpi=onTime`. A shared link, a
 * reload and Back then reopen the same view. Choices made on a page replace the
 * current history entry, so Back leaves the page (goes up from a drill-down)
 * rather than stepping through every period tried.
 */
export { CARRIED_PARAMS, type ParamPatch, patchParams, pickParams, withParams } from './params';

export interface ViewParams {
  params: URLSearchParams;
  /** Changes the view's parameters; in place of the current history entry unless `push`. */
  update: (patch: ParamPatch, options?: { push?: boolean }) => void;
  /** `path` with this view's carried parameters (period, KPI), for drill-down links. */
  carry: (path: string) => string;
}

export function useViewParams(): ViewParams {
  const [location, navigate] = useLocation();
  const search = useSearch();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const update = useCallback(
    (patch: ParamPatch, options: { push?: boolean } = {}) => navigate(withParams(location, patchParams(params, patch)), { replace: !options.push }),
    [location, navigate, params],
  );
  const carry = useCallback((path: string) => withParams(path, pickParams(params, CARRIED_PARAMS)), [params]);
  return { params, update, carry };
}

/**
 * The page's period from its address. An address without one (or with one the
 * page does not offer) shows the default period and is rewritten to name it, so
 * a link copied at any moment opens the same period later.
 */
export function usePeriodParam(allowed: readonly PeriodPreset[] = PERIOD_PRESETS, allowCustom = true): [PeriodChoice, (c: PeriodChoice) => void] {
  const { params, update } = useViewParams();
  // The default is decided once per page: it must not flip while the page is open.
  const [fallback] = useState(() => defaultPeriod(new Date(), allowed));
  const parsed = parsePeriod(params, allowed, allowCustom, new Date());
  const choice: PeriodChoice = parsed ?? { preset: fallback };
  const missing = parsed === null;
  useEffect(() => {
    if (missing) update(periodParams({ preset: fallback }));
  }, [missing, fallback, update]);
  const set = useCallback((c: PeriodChoice) => update(periodParams(c)), [update]);
  return [choice, set];
}
