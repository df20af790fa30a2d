import type { ReportFigures, ReportKind } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/*
 * The archive of reports (table report): each report whole, its figures and its files,
 * and the claims of scheduled ones being made. Ids (bigserial) are read as strings.
 */

/** A ready report as its list shows it: what, when, from which figures, how big and whether mailed. */
export interface ReportSummaryRow {
  id: string;
  scope: string;
  kind: ReportKind;
  periodFrom: string;
  periodTo: string;
  requestedBy: string;
  generatedAt: Date;
  /** `asOf` of the archived figures. */
  asOf: string;
  /** The projection watermark of the archived figures. */
  watermark: string;
  pdfBytes: number;
  xlsxBytes: number;
  emailedAt: Date | null;
  emailedTo: string[];
}

/** Which ready reports a page holds: of one scope or of some scopes, of one kind. */
export interface ReportFilter {
  scope?: string;
  scopes?: string[];
  kind?: ReportKind;
}

/** A report's files, with what names them. */
export interface ReportFiles {
  scope: string;
  kind: ReportKind;
  periodFrom: string;
  periodTo: string;
  pdf: Buffer;
  xlsx: Buffer;
}

const SUMMARY_COLUMNS = `id, scope, kind, to_char(period_from, 'YYYY-MM-DD') AS "periodFrom", to_char(period_to, 'YYYY-MM-DD') AS "periodTo", requested_by AS "requestedBy",
  generated_at AS "generatedAt", figures->'kpis'->>'asOf' AS "asOf", figures->'kpis'->'projection'->>'watermark' AS watermark, octet_length(pdf) AS "pdfBytes",
  octet_length(xlsx) AS "xlsxBytes", emailed_at AS "emailedAt", emailed_to AS "emailedTo"`;

/** Archives a report made now on request; answers its id. */
export async function insertReadyReport(
  q: Queryable,
  r: { scope: string; kind: ReportKind; from: string; to: string; requestedBy: string; at: Date; figures: ReportFigures; pdf: Buffer; xlsx: Buffer },
): Promise<string> {
  const [row] = (await q.query(
    `INSERT INTO report (scope, kind, period_from, period_to, status, claimed_at, requested_by, generated_at, figures, pdf, xlsx)
     VALUES ($1, $2, $3, $4, 'ready', $5, $6, $5, $7, $8, $9) RETURNING id`,
    [r.scope, r.kind, r.from, r.to, r.at, r.requestedBy, JSON.stringify(r.figures), r.pdf, r.xlsx],
  )) as { id: string }[];
  return String(row!.id);
}

/** Archives what a claimed report was made of: it is ready. */
export async function completeReport(q: Queryable, id: string, r: { at: Date; figures: ReportFigures; pdf: Buffer; xlsx: Buffer }): Promise<void> {
  await q.query(`UPDATE report SET status = 'ready', generated_at = $2, figures = $3, pdf = $4, xlsx = $5 WHERE id = $1`, [id, r.at, JSON.stringify(r.figures), r.pdf, r.xlsx]);
}

/** The scopes that have a ready report. */
export async function readyReportScopes(q: Queryable): Promise<string[]> {
  const rows = (await q.query(`SELECT DISTINCT scope FROM report WHERE status = 'ready'`)) as { scope: string }[];
  return rows.map((r) => r.scope);
}

/** The scopes whose report of `kind` for the period from `from` is ready. */
export async function scopesReportedFor(q: Queryable, kind: ReportKind, from: string): Promise<string[]> {
  const rows = (await q.query(`SELECT scope FROM report WHERE kind = $1 AND period_from = $2 AND status = 'ready'`, [kind, from])) as { scope: string }[];
  return rows.map((r) => r.scope);
}

/** A page of the ready reports that match `f`, newest period first, and how many match in all. */
export async function reportPage(q: Queryable, f: ReportFilter, limit: number, offset: number): Promise<{ total: number; rows: ReportSummaryRow[] }> {
  const args: unknown[] = [];
  const arg = (v: unknown) => `$${args.push(v)}`;
  const where = [`status = 'ready'`];
  if (f.scope !== undefined) where.push(`scope = ${arg(f.scope)}`);
  if (f.scopes !== undefined) where.push(`scope = ANY(${arg(f.scopes)}::text[])`);
  if (f.kind !== undefined) where.push(`kind = ${arg(f.kind)}`);
  const filter = `WHERE ${where.join(' AND ')}`;
  const [{ total }] = (await q.query(`SELECT count(*)::int AS total FROM report ${filter}`, args)) as { total: number }[];
  const rows = (await q.query(
    `SELECT ${SUMMARY_COLUMNS} FROM report ${filter} ORDER BY period_from DESC, generated_at DESC, id DESC LIMIT ${arg(limit)} OFFSET ${arg(offset)}`,
    args,
  )) as ReportSummaryRow[];
  return { total, rows };
}

/** A ready report with its archived figures. */
export async function readyReport(q: Queryable, id: string): Promise<(ReportSummaryRow & { figures: ReportFigures }) | null> {
  const [row] = (await q.query(`SELECT ${SUMMARY_COLUMNS}, figures FROM report WHERE id = $1 AND status = 'ready'`, [id])) as (ReportSummaryRow & { figures: ReportFigures })[];
  return row ?? null;
}

/** One file of a ready report, with what names it. */
export async function reportFile(q: Queryable, id: string, format: 'pdf' | 'xlsx'): Promise<{ scope: string; periodFrom: string; periodTo: string; body: Buffer } | null> {
  const [row] = (await q.query(
    `SELECT scope, to_char(period_from, 'YYYY-MM-DD') AS "periodFrom", to_char(period_to, 'YYYY-MM-DD') AS "periodTo", ${format === 'pdf' ? 'pdf' : 'xlsx'} AS body
       FROM report WHERE id = $1 AND status = 'ready'`,
    [id],
  )) as { scope: string; periodFrom: string; periodTo: string; body: Buffer }[];
  return row ?? null;
}

/**
 * Claims the scheduled report of a scope, kind and period: a new row being made, or one
 * whose maker has held it since before `staleBefore` (it died). Answers its id; null
 * when it is made, or being made by another process.
 */
export async function claimScheduledReport(q: Queryable, r: { scope: string; kind: ReportKind; from: string; to: string }, now: Date, staleBefore: Date): Promise<string | null> {
  const [row] = (await q.query(
    `INSERT INTO report (scope, kind, period_from, period_to, status, claimed_at, requested_by) VALUES ($1, $2, $3, $4, 'generating', $5, 'system')
     ON CONFLICT (scope, kind, period_from) WHERE kind <> 'on_demand'
     DO UPDATE SET claimed_at = EXCLUDED.claimed_at WHERE report.status = 'generating' AND report.claimed_at < $6
     RETURNING id`,
    [r.scope, r.kind, r.from, r.to, now, staleBefore],
  )) as { id: string }[];
  return row ? String(row.id) : null;
}

/** Gives up a claim (the report was not made). */
export async function dropReportClaim(q: Queryable, id: string): Promise<void> {
  await q.query(`DELETE FROM report WHERE id = $1 AND status = 'generating'`, [id]);
}

/** Claims the mailing of a ready report not mailed yet (so two processes never mail it twice); answers its files, or null. */
export async function claimReportMailing(q: Queryable, id: string, now: Date): Promise<ReportFiles | null> {
  const [row] = (await q.query(
    `WITH u AS (UPDATE report SET emailed_at = $2 WHERE id = $1 AND emailed_at IS NULL AND status = 'ready'
       RETURNING scope, kind, to_char(period_from, 'YYYY-MM-DD') AS "periodFrom", to_char(period_to, 'YYYY-MM-DD') AS "periodTo", pdf, xlsx)
     SELECT scope, kind, "periodFrom", "periodTo", pdf, xlsx FROM u`,
    [id, now],
  )) as ReportFiles[];
  return row ?? null;
}

/** Records to whom a report was mailed, and what failed. */
export async function recordReportMailing(q: Queryable, id: string, sentTo: string[], error: string | null): Promise<void> {
  await q.query('UPDATE report SET emailed_to = $2, email_error = $3 WHERE id = $1', [id, sentTo, error]);
}
