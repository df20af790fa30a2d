import { RELAY_AGENT } from './options.js';
import { retryAfterMs } from './backoff.js';

/**
 * One request to the IOC and what to do with its answer:
 * - `ok`: the server answered 2xx with JSON;
 * - `retry`: the link or the server failed (network error, timeout, 5xx, 408, 429, or a
 *   2xx that is not the server's JSON, e.g. a captive portal): send the same again later;
 * - `setup`: the key or the address is wrong (401, 403, 404, 405): nothing is dropped,
 *   the relay keeps the data and retries slowly until someone fixes its configuration;
 * - `refused`: the server will never take this body (400, 413, 415, 422).
 */
export type SendOutcome =
  | { kind: 'ok'; status: number; body: unknown; ms: number }
  | { kind: 'retry'; why: string; retryAfter: number | null }
  | { kind: 'setup'; status: number; why: string }
  | { kind: 'refused'; status: number; why: string };

export interface PostRequest {
  url: string;
  key: string;
  body: Buffer | string;
  contentType: string;
  gzip: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

function messageOf(text: string): string {
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  } catch {
    // Not the API's JSON error: show the start of whatever it is.
  }
  return text.slice(0, 200).replace(/\s+/g, ' ');
}

export async function post(r: PostRequest): Promise<SendOutcome> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(r.timeoutMs);
  const signal = r.signal ? AbortSignal.any([timeout, r.signal]) : timeout;
  let status: number;
  let text: string;
  let retryAfter: string | null;
  try {
    const res = await fetch(r.url, {
      method: 'POST',
      headers: { 'X-Api-Key': r.key, 'Content-Type': r.contentType, ...(r.gzip ? { 'Content-Encoding': 'gzip' } : {}), 'User-Agent': RELAY_AGENT, Accept: 'application/json' },
      body: r.body,
      signal,
    });
    status = res.status;
    retryAfter = res.headers.get('retry-after');
    // Read within the same deadline: a server that stalls mid-answer is a timeout too.
    text = await res.text();
  } catch (e) {
    if (timeout.aborted) return { kind: 'retry', why: `no answer within ${Math.round(r.timeoutMs / 1000)} s`, retryAfter: null };
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return { kind: 'retry', why: err.cause?.code ?? err.cause?.message ?? err.message, retryAfter: null };
  }
  const ms = performance.now() - started;
  if (status >= 200 && status < 300) {
    try {
      return { kind: 'ok', status, body: JSON.parse(text) as unknown, ms };
    } catch {
      return { kind: 'retry', why: `HTTP ${status} but not the IOC's JSON: ${text.slice(0, 80)}`, retryAfter: null };
    }
  }
  if (status >= 500 || status === 408 || status === 429) return { kind: 'retry', why: `HTTP ${status}: ${messageOf(text)}`, retryAfter: retryAfterMs(retryAfter) };
  if (status === 401 || status === 403 || status === 404 || status === 405) return { kind: 'setup', status, why: `HTTP ${status}: ${messageOf(text)}` };
  return { kind: 'refused', status, why: `HTTP ${status}: ${messageOf(text)}` };
}
