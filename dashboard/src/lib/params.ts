/**
 * A page's view (period, KPI, tab…) lives in its address, after the path in the
 * hash: `#/overview/province:01?period=last7&kpi=onTime`. These are the pure
 * parts: writing, patching and carrying the parameters (lib/viewParams has the hooks).
 */
export type ParamPatch = Readonly<Record<string, string | undefined>>;

/** The parameters of the page's view that travel with a drill-down or a breadcrumb. */
export const CARRIED_PARAMS = ['period', 'from', 'to', 'kpi'] as const;

/** `("/overview", {period: "last7", kpi: undefined})` → `"/overview?period=last7"`. */
export function withParams(path: string, params: ParamPatch | URLSearchParams): string {
  const q = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The current parameters with `patch` applied (undefined removes one). */
export function patchParams(current: URLSearchParams, patch: ParamPatch): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  return next;
}

/** Only the `keys` of `params`: what a link to another scope keeps of this view. */
export function pickParams(params: URLSearchParams, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = params.get(k);
    if (v !== null) out[k] = v;
  }
  return out;
}
