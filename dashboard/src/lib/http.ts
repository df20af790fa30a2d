import { type ApiError, type ApiErrorCode, API_ERROR_CODES, apiErrorCodeOf } from '@ioc/shared';
import { t } from '../i18n';
import { type KeysUnder, textsOf } from '../i18n/keys';

/** Why a request failed, so the page can say it in words a person understands. */
export type ApiFailure =
  | { kind: 'network' }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'http'; status: number; code: ApiErrorCode; message: string | null; retryAfterSeconds: number | null; reason?: string | null }
  | { kind: 'format' };

export class ApiRequestError extends Error {
  readonly failure: ApiFailure;
  constructor(failure: ApiFailure) {
    super(describeFailure(failure));
    this.name = 'ApiRequestError';
    this.failure = failure;
    // Read in the language of the moment, not the one the request failed in.
    Object.defineProperty(this, 'message', { get: () => describeFailure(this.failure), enumerable: false, configurable: true });
  }
}

/** One of the failure texts, in the current language. */
const text = (key: KeysUnder<'common', 'failure'>, values: Record<string, unknown> = {}) => textsOf('common')(`failure.${key}`, values);

/** A sentence fragment in the current language, for "Không tải được dữ liệu: …" (en: "Could not load the data: …"). */
export function describeFailure(f: ApiFailure): string {
  switch (f.kind) {
    case 'network':
      return text('network');
    case 'timeout':
      return text('timeout', { seconds: f.seconds });
    case 'http':
      return describeCode(f.code, f.status);
    case 'format':
      return text('format');
  }
}

/** Words for a refusal, by its code (a code the contract adds fails to compile here until it has words). */
function describeCode(code: ApiErrorCode, status: number): string {
  switch (code) {
    case 'UNAUTHORIZED':
      return text('expired');
    case 'FORBIDDEN':
      return text('forbidden');
    case 'NOT_FOUND':
      return text('notFound');
    case 'BAD_REQUEST':
    case 'MALFORMED_JSON':
      return text('badRequest');
    case 'TOO_MANY_REQUESTS':
      return text('tooManyRequests');
    case 'UNAVAILABLE':
      return text('unavailable');
    case 'INTERNAL':
      return text('serverError', { status });
    case 'CONFLICT':
    case 'PAYLOAD_TOO_LARGE':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'REQUEST_TIMEOUT':
    case 'HEADERS_TOO_LARGE':
      return text('refused', { status });
  }
}

export function describeError(e: unknown): string {
  return e instanceof ApiRequestError ? describeFailure(e.failure) : t('failure.unknown', { ns: 'common' });
}

export function httpStatusOf(e: unknown): number | null {
  return e instanceof ApiRequestError && e.failure.kind === 'http' ? e.failure.status : null;
}

/** The error code of a refused request (null for a request that got no answer). */
export function errorCodeOf(e: unknown): ApiErrorCode | null {
  return e instanceof ApiRequestError && e.failure.kind === 'http' ? e.failure.code : null;
}

/** The code an answer gives, or the one its status stands for (an answer from a proxy carries none). */
export function answerCode(status: number, body: unknown): ApiErrorCode {
  const code = (body as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (API_ERROR_CODES as readonly string[]).includes(code) ? (code as ApiErrorCode) : apiErrorCodeOf(status);
}

const TIMEOUT_SECONDS = 10;

function isApiError(x: unknown): x is ApiError {
  return typeof x === 'object' && x !== null && typeof (x as { message?: unknown }).message === 'string';
}

/** `Retry-After` in seconds (the server sends seconds, never a date). */
function retryAfterOf(res: Response): number | null {
  const v = res.headers.get('Retry-After');
  const n = v === null ? Number.NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  /** Sent as JSON. */
  body?: unknown;
  /** Bearer access token. */
  token?: string | null;
  signal?: AbortSignal;
}

/**
 * One request to the API, answering the parsed JSON body (undefined for 204).
 * Every failure becomes an ApiRequestError, except the caller's own abort.
 */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, token, signal } = options;
  const timeout = AbortSignal.timeout(TIMEOUT_SECONDS * 1000);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // The refresh cookie is same-origin only.
      credentials: 'same-origin',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    if (timeout.aborted) throw new ApiRequestError({ kind: 'timeout', seconds: TIMEOUT_SECONDS });
    throw new ApiRequestError({ kind: 'network' });
  }
  if (res.status === 204) return undefined as T;
  let parsed: unknown;
  try {
    parsed = await res.json();
  } catch (e) {
    if (signal?.aborted) throw e;
    if (!res.ok) throw new ApiRequestError({ kind: 'http', status: res.status, code: apiErrorCodeOf(res.status), message: null, retryAfterSeconds: retryAfterOf(res) });
    throw new ApiRequestError({ kind: 'format' });
  }
  if (!res.ok) {
    throw new ApiRequestError({
      kind: 'http',
      status: res.status,
      code: answerCode(res.status, parsed),
      message: isApiError(parsed) ? parsed.message : null,
      retryAfterSeconds: retryAfterOf(res),
      reason: isApiError(parsed) ? reasonOf(parsed.details) : null,
    });
  }
  if (typeof parsed !== 'object' || parsed === null) throw new ApiRequestError({ kind: 'format' });
  return parsed as T;
}

/** The machine-readable reason some refusals carry in `details.reason` (e.g. a sign-in: `locked`). */
function reasonOf(details: unknown): string | null {
  const r = (details as { reason?: unknown } | null | undefined)?.reason;
  return typeof r === 'string' ? r : null;
}
