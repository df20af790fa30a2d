import type { ApiError, HealthResponse, KpiResponse, RankBy, RankingResponse } from '@ioc/shared';
import type { DateRange } from './period';

/** Why a request failed, so the page can say it in words a person understands. */
export type ApiFailure =
  | { kind: 'network' }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'http'; status: number; message: string | null }
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
      if (f.status === 401 || f.status === 403) return 'không có quyền truy cập';
      if (f.status === 404) return 'không tìm thấy địa chỉ dữ liệu trên máy chủ';
      if (f.status === 400) return 'yêu cầu không hợp lệ';
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

const TIMEOUT_SECONDS = 10;

function isApiError(x: unknown): x is ApiError {
  return typeof x === 'object' && x !== null && typeof (x as { message?: unknown }).message === 'string';
}

async function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(TIMEOUT_SECONDS * 1000);
  let res: Response;
  try {
    res = await fetch(path, { headers: { Accept: 'application/json' }, signal: AbortSignal.any([signal, timeout]) });
  } catch (e) {
    if (signal.aborted) throw e;
    if (timeout.aborted) throw new ApiRequestError({ kind: 'timeout', seconds: TIMEOUT_SECONDS });
    throw new ApiRequestError({ kind: 'network' });
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (e) {
    if (signal.aborted) throw e;
    if (!res.ok) throw new ApiRequestError({ kind: 'http', status: res.status, message: null });
    throw new ApiRequestError({ kind: 'format' });
  }
  if (!res.ok) {
    throw new ApiRequestError({ kind: 'http', status: res.status, message: isApiError(body) ? body.message : null });
  }
  if (typeof body !== 'object' || body === null) throw new ApiRequestError({ kind: 'format' });
  return body as T;
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export function fetchKpis(scope: string, range: DateRange, signal: AbortSignal): Promise<KpiResponse> {
  return getJson<KpiResponse>(`/api/v1/kpis?${query({ scope, ...range })}`, signal);
}

export function fetchRankings(scope: string, by: RankBy, range: DateRange, signal: AbortSignal): Promise<RankingResponse> {
  return getJson<RankingResponse>(`/api/v1/rankings?${query({ scope, by, ...range })}`, signal);
}

export function fetchHealth(signal: AbortSignal): Promise<HealthResponse> {
  return getJson<HealthResponse>('/api/v1/health', signal);
}
