/**
 * Which failures mean "the database cannot be reached right now" (answered 503,
 * retried by the caller) rather than "this request's data is wrong" or a bug.
 */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end',
  'Query read timeout',
  'connection is closed',
  // TypeORM releases a transaction's connection when the server ends it (an 'error' on the connection); the
  // transaction's next statement then fails with this, not with the server's error.
  'provided by a query runner was already released',
];

function codeOf(e: unknown): string | undefined {
  const o = e as { driverError?: { code?: unknown }; code?: unknown } | null;
  const code = o?.driverError?.code ?? o?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `e` (or what caused it, or any error it aggregates) says PostgreSQL is down, restarting, out of connections or unreachable. */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (e === null || typeof e !== 'object') return false;
  if (depth < 3) {
    const { cause, errors } = e as { cause?: unknown; errors?: unknown };
    if (cause !== undefined && isDatabaseUnavailable(cause, depth + 1)) return true;
    if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  }
  const code = codeOf(e);
  if (code !== undefined) {
    if (UNAVAILABLE_ERRNO.has(code)) return true;
    // 08: connection exception; 57P01–57P03: admin/crash shutdown, cannot connect now; 53: insufficient resources.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('53')) return true;
  }
  if (e instanceof DatabaseUnavailable) return true;
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

/**
 * True when `e` was caused by the values a request sent (data exceptions such as a
 * value out of range, integrity violations, a value too large for an index):
 * retrying the same values fails again, other requests' values may not.
 */
export function isCausedByData(e: unknown): boolean {
  const code = codeOf(e);
  if (code !== undefined && /^(22|23|54)/.test(code)) return true;
  return e instanceof RangeError;
}

/** Thrown by code that knows the database is down before asking it. */
export class DatabaseUnavailable extends Error {
  constructor(readonly since: Date | null = null) {
    super('the database is unavailable');
  }
}

interface PoolLike {
  on(event: 'connect', listener: (client: { on(event: 'error', listener: (e: Error) => void): unknown }) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
}

/**
 * A pg pool guards only its idle connections: a connection that is checked out
 * (a transaction between statements, a LISTEN connection held for good) emits
 * 'error' with no listener when the server goes away, and Node ends the process.
 * Every connection of `pool` gets a listener; the broken connection then fails its
 * next query, which the pool handles by discarding it.
 */
export function guardPool(pool: PoolLike, onError: (e: Error) => void): void {
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
}
