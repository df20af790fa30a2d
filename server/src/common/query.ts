import { badRequest } from './app-error.js';

/**
 * The query string of a route that takes exactly `names`, each at most once:
 * 400 naming an unknown parameter, or one given twice, rather than ignoring it
 * and answering something the caller did not ask for.
 */
export function strictQuery<N extends string>(raw: Record<string, unknown>, names: readonly N[], hint: Partial<Record<N, string>> = {}): Partial<Record<N, string>> {
  const unknown = Object.keys(raw).filter((k) => !(names as readonly string[]).includes(k));
  if (unknown.length) {
    throw badRequest(`unknown query parameter(s): ${unknown.join(', ')}; this endpoint takes ${names.length > 0 ? names.join(', ') : 'none'}`);
  }
  return singleQuery(raw, names, hint);
}

/**
 * The parameters `names` of a query string, each at most once (`?x=1&x=2` is a
 * 400 saying so, not a 500 further on); other parameters are left alone.
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
