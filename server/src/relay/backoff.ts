/**
 * Waits between retries: exponential with jitter, so that after an outage the
 * relays of many communes do not all come back in the same second; never shorter
 * than what the server asked for with Retry-After.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  // "Equal jitter": half fixed, half random, so a retry is never immediate.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After as milliseconds (seconds or an HTTP date), null when absent or unreadable; at most an hour. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const v = header.trim();
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(3_600_000, Math.max(0, ms));
}

/** The wait before the next attempt: what the server asked for (plus a little jitter), else the backoff. */
export function nextDelayMs(attempt: number, retryAfter: number | null, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  if (retryAfter !== null) return retryAfter + Math.round(random() * Math.min(1000, baseMs));
  return backoffMs(attempt, baseMs, maxMs, random);
}
