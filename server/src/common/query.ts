import { badRequest } from './app-error.js';

/**
 * Refuses a query string that holds a parameter other than `names`: a 400 naming it
 * and the ones the route takes, rather than ignoring it and answering something the
 * caller did not ask for.
 */
export function refuseUnknownQuery(raw: Record<string, unknown>, names: readonly string[]): void {
  const unknown = Object.keys(raw).filter((k) => !names.includes(k));
  if (unknown.length) {
    throw badRequest(`unknown query parameter(s): ${unknown.join(', ')}; this endpoint takes ${names.length > 0 ? names.join(', ') : 'none'}`);
  }
}

/**
 * The parameters `names` of a query string, each at most once (`?x=1&x=2` is a
 * 400 saying so, not a 500 further on); unknown ones are refused before any handler (ContractQueryInterceptor).
 */
export function singleQuery<N extends string>(raw: Record<string, unknown>, names: readonly N[], hint: Partial<Record<N, string>> = {}): Partial<Record<N, string>> {
  const out: Partial<Record<N, string>> = {};
  for (const n of names) {
    const v = raw[n];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw badRequest(`${n} may be given once, got ${Array.isArray(v) ? `${v.length} values` : 'a structured value'}${hint[n] ? ` (${hint[n]})` : ''}`);
    out[n] = v;
  }
  return out;
}
