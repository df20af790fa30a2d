import type { Report, ReportCreateRequest, ReportKind, ReportListResponse } from '@ioc/shared';
import { getAuthorized, postAuthorized, query } from '../../lib/api';
import { auth } from '../../lib/auth';
import { saveBlob } from '../../lib/csv';
import { ApiRequestError, answerCode } from '../../lib/http';

export const REPORTS_PAGE_SIZE = 20;

/** `GET /api/v1/reports`: the archived reports the caller may read, newest period first. */
export function fetchReports(q: { kind?: ReportKind; page: number }, signal: AbortSignal): Promise<ReportListResponse> {
  return getAuthorized<ReportListResponse>(`/api/v1/reports?${query({ kind: q.kind, page: q.page, pageSize: REPORTS_PAGE_SIZE })}`, signal);
}

/** `POST /api/v1/reports`: generates and archives a report of a scope and period now. */
export function generateReport(body: ReportCreateRequest): Promise<Report> {
  return postAuthorized<Report>('/api/v1/reports', body);
}

/** The file name the server gives in Content-Disposition, else `fallback`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(disposition ?? '');
  return m?.[1] ?? fallback;
}

async function fetchFile(url: string, token: string | null): Promise<Response> {
  try {
    return await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' });
  } catch {
    throw new ApiRequestError({ kind: 'network' });
  }
}

/**
 * Downloads an archived report's file (PDF or workbook) as the signed-in person: the
 * files need the access token, so a plain link would be refused. Refreshes the token once on a 401.
 */
export async function downloadReportFile(url: string, fallbackName: string): Promise<void> {
  let res = await fetchFile(url, auth.accessToken());
  if (res.status === 401) {
    const fresh = await auth.refresh();
    if (fresh) res = await fetchFile(url, fresh);
  }
  if (!res.ok) {
    let message: string | null = null;
    let body: unknown = null;
    try {
      body = await res.json();
      message = (body as { message?: string }).message ?? null;
    } catch {
      // Not JSON: the status says it.
    }
    throw new ApiRequestError({ kind: 'http', status: res.status, code: answerCode(res.status, body), message, retryAfterSeconds: null });
  }
  saveBlob(fileNameOf(res.headers.get('Content-Disposition'), fallbackName), await res.blob());
}
