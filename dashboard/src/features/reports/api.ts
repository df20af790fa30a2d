import type { ReportCreateRequest, ReportKind } from '@ioc/shared';
import { api } from '../../lib/api';
import { routePath } from '../../lib/apiRoutes';
import { auth } from '../../lib/auth';
import { saveBlob } from '../../lib/csv';
import { ApiRequestError, answerCode } from '../../lib/http';

export const REPORTS_PAGE_SIZE = 20;

/** `GET /api/v1/reports`: the archived reports the caller may read, newest period first. */
export function fetchReports(q: { kind?: ReportKind; page: number }, signal: AbortSignal) {
  return api.get('reports.list', { query: { kind: q.kind, page: q.page, pageSize: REPORTS_PAGE_SIZE } }, signal);
}

/** `POST /api/v1/reports`: generates and archives a report of a scope and period now. */
export function generateReport(body: ReportCreateRequest) {
  return api.post('reports.create', { body });
}

/** The files of an archived report. */
export type ReportFileKind = 'pdf' | 'xlsx';

/** `GET /api/v1/reports/:id.pdf` or `….xlsx`: where a report's file is downloaded from. */
export function reportFilePath(id: string, kind: ReportFileKind): string {
  return routePath(kind === 'pdf' ? 'reports.pdf' : 'reports.xlsx', { params: { id } });
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
