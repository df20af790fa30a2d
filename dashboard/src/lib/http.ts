import type { ApiError } from '@ioc/shared';

/** Why a request failed, so the page can say it in words a person understands. */
export type ApiFailure =
  | { kind: 'network' }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'http'; status: number; message: string | null; retryAfterSeconds: number | null; reason?: string | null }
  | { kind: 'format' };

export class ApiRequestError extends Error {
  readonly failure: ApiFailure;
  constructor(failure: ApiFailure) {
    super(describeFailure(failure));
    this.name = 'ApiRequestError';
    this.failure = failure;
  }
}

/** A Vietnamese sentence fragment for "Không tải được dữ liệu: …". */
export function describeFailure(f: ApiFailure): string {
  switch (f.kind) {
    case 'network':
      return 'máy chủ không phản hồi';
    case 'timeout':
      return `máy chủ không trả lời sau ${f.seconds} giây`;
    case 'http':
      if (f.status === 401) return 'phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại';
      if (f.status === 403) return 'không có quyền truy cập số liệu này';
      if (f.status === 404) return 'không tìm thấy địa chỉ dữ liệu trên máy chủ';
      if (f.status === 400) return 'yêu cầu không hợp lệ';
      if (f.status === 429) return 'máy chủ đang nhận quá nhiều yêu cầu, vui lòng thử lại sau';
      if (f.status === 503) return 'máy chủ tạm thời không sẵn sàng';
      if (f.status >= 500) return `máy chủ gặp lỗi (mã ${f.status})`;
      return `máy chủ từ chối yêu cầu (mã ${f.status})`;
    case 'format':
      return 'dữ liệu nhận được không đúng định dạng';
  }
}

export function describeError(e: unknown): string {
  return e instanceof ApiRequestError ? e.message : 'đã xảy ra lỗi không xác định';
}

export function httpStatusOf(e: unknown): number | null {
  return e instanceof ApiRequestError && e.failure.kind === 'http' ? e.failure.status : null;
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

export interface RequestOptions {
  method?: 'GET' | 'POST';
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
    if (!res.ok) throw new ApiRequestError({ kind: 'http', status: res.status, message: null, retryAfterSeconds: retryAfterOf(res) });
    throw new ApiRequestError({ kind: 'format' });
  }
  if (!res.ok) {
    throw new ApiRequestError({
      kind: 'http',
      status: res.status,
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
