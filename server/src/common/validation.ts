import type { z } from 'zod';
import { badRequest } from './app-error.js';

/** Parses a request body with a zod schema; every problem is named, prefixed with its field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    if (body === undefined) throw badRequest('The request has no body: send a JSON object with "Content-Type: application/json".');
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object ({…}), not an array or a bare value.');
    const said = r.error.issues.map((i) => {
      const message = i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message;
      return i.path.length ? `${i.path.join('.')}: ${message}` : message;
    });
    throw badRequest(said.join('; '));
  }
  return r.data;
}

/** A whole-number query parameter from 1 to `max`, `dflt` when absent. */
export function positive(v: string | undefined, name: string, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw badRequest(`${name} must be a whole number from 1 to ${max.toLocaleString('en')}, got "${v}"`);
  return Number(v);
}
