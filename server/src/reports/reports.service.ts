import { Injectable, Logger } from '@nestjs/common';
import {
  DAY_MS,
  type Principal,
  REPORT_KINDS,
  type Report,
  type ReportFigures,
  type ReportKind,
  type ReportListResponse,
  type ReportSummary,
  type UnitRef,
  addDays,
  can,
  formatScope,
  localDateOf,
  parseScope,
  startOfLocalDate,
  reportCreateBodySchema,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { AccessService } from '../auth/access.service.js';
import type { Client } from '../auth/auth.types.js';
import { AuditService } from '../audit/audit.service.js';
import { badRequest, notFound } from '../common/app-error.js';
import { parseBody, positive } from '../common/validation.js';
import { KpiService } from '../kpi/kpi.service.js';
import { DeliveryWorker } from '../notifications/delivery.service.js';
import { UnitsService } from '../units/units.service.js';
import { reportContent } from './content.js';
import { periodLabel } from './format.js';
import { renderReportPdf } from './report-pdf.js';
import { renderReportXlsx } from './report-xlsx.js';

/** A scheduled report being made is not taken over by another process before this. */
const CLAIM_LEASE_MS = 10 * 60_000;
/** Up to 62 days a trend is drawn by day; beyond, by month. */
const TREND_DAYS = 62;

interface ReportRow {
  id: string;
  scope: string;
  kind: ReportKind;
  period_from: string;
  period_to: string;
  requested_by: string;
  generated_at: Date;
  as_of: string;
  watermark: string;
  pdf_bytes: number;
  xlsx_bytes: number;
  emailed_at: Date | null;
  emailed_to: string[];
}

const SUMMARY_COLUMNS = `id, scope, kind, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to, requested_by, generated_at,
  figures->'kpis'->>'asOf' AS as_of, figures->'kpis'->'projection'->>'watermark' AS watermark, octet_length(pdf) AS pdf_bytes, octet_length(xlsx) AS xlsx_bytes, emailed_at, emailed_to`;

export interface ReportQuery {
  scope?: string;
  kind?: string;
  page?: string;
  pageSize?: string;
}

/** The month before the one holding `now` shifted back 7 hours: the month whose report is due from the 1st at 07:00. */
export function dueMonth(now: number): { from: string; to: string } {
  const d = localDateOf(now - 7 * 3_600_000);
  const first = `${d.slice(0, 8)}01`;
  const to = addDays(first, -1);
  return { from: `${to.slice(0, 8)}01`, to };
}

/** Likewise the quarter before, due on the 1st of January, April, July and October at 07:00. */
export function dueQuarter(now: number): { from: string; to: string } {
  const d = localDateOf(now - 7 * 3_600_000);
  const m = Number(d.slice(5, 7));
  const qStart = `${d.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
  const to = addDays(qStart, -1);
  const fm = Number(to.slice(5, 7)) - 2;
  return { from: `${to.slice(0, 4)}-${String(fm).padStart(2, '0')}-01`, to };
}

/**
 * Reports of a scope and period: the figures are read through the same service as
 * GET /kpis, /rankings and /kpis/series, archived as JSON with the PDF and the workbook
 * drawn from them, so a report shows exactly what the API answered when it was made.
 */
@Injectable()
export class ReportsService {
  private readonly log = new Logger('Reports');

  constructor(
    private readonly db: DataSource,
    private readonly kpi: KpiService,
    private readonly units: UnitsService,
    private readonly access: AccessService,
    private readonly mail: DeliveryWorker,
    private readonly audit: AuditService,
  ) {}

  /** A reader of a report must be able to read its scope's figures and compare every unit it ranks, as on /kpis and /rankings. */
  mayRead(p: Pick<Principal, 'role' | 'scope'>, scope: string): boolean {
    const unit = this.units.ref(parseScope(scope)!);
    if (!unit || !can(p, 'figures', unit)) return false;
    if (unit.kind === 'commune') return true;
    const level = unit.kind === 'nation' ? 'province' : 'commune';
    return this.kpi.rankedUnits(unit, level).every((u) => can(p, 'compare', u));
  }

  private assertReadable(p: Principal, scope: string): UnitRef {
    const unit = this.access.assertScope(p, 'figures', scope);
    if (unit.kind !== 'commune') {
      for (const u of this.kpi.rankedUnits(unit, unit.kind === 'nation' ? 'province' : 'commune')) this.access.assert(p, 'compare', u);
    }
    return unit;
  }

  /** The figures of a scope and period, as the API answers them at `now`. */
  async collect(scope: string, from: string, to: string, now: number): Promise<ReportFigures> {
    const q = { scope, from, to };
    const unit = this.units.refOf(scope);
    const period = this.kpi.periodOf(from, to, now);
    const days = Math.round((startOfLocalDate(period.to) - period.start) / DAY_MS) + 1;
    const [kpis, rankings, trend] = await Promise.all([
      this.kpi.kpis(q, now),
      unit.kind === 'commune' ? Promise.resolve(null) : this.kpi.rankings({ ...q, by: 'index' }, now),
      this.kpi.series({ ...q, granularity: days > TREND_DAYS ? 'month' : 'day' }, now),
    ]);
    // Comparison rows, as every reader who may see the report may see them.
    return { kpis, rankings: rankings && { ...rankings, entries: rankings.entries.map((e) => ({ ...e, counts: null })) }, trend };
  }

  /** Draws the files of a report from its figures. */
  async render(scope: string, kind: ReportKind, figures: ReportFigures, generatedAt: number): Promise<{ pdf: Buffer; xlsx: Buffer }> {
    const content = reportContent(figures, { scopeName: this.scopeName(scope), kind, generatedAt });
    const k = figures.kpis;
    const [pdf, xlsx] = await Promise.all([renderReportPdf(content), renderReportXlsx(content, { scope, from: k.from, to: k.to, asOf: k.asOf, watermark: k.projection.watermark })]);
    return { pdf, xlsx };
  }

  scopeName(scope: string): string {
    return this.units.scopeName(parseScope(scope)!);
  }

  /** POST /reports: a report of any scope and period the caller may read, made now; the audit log says who asked for it. */
  async create(body: unknown, p: Principal, now = Date.now(), client: Client = { ip: null, userAgent: null }): Promise<Report> {
    const b = parseBody(reportCreateBodySchema, body ?? {});
    const unit = this.units.refOf(b.scope);
    const period = this.kpi.periodOf(b.from, b.to, now);
    const scope = formatScope(unit);
    this.assertReadable(p, scope);
    const id = await this.generate(scope, 'on_demand', period.from, period.to, p.username, now);
    await this.audit.record({ action: 'report.generate', actor: p.username, target: `report:${id}`, ip: client.ip, details: { scope, kind: 'on_demand', from: period.from, to: period.to } });
    return this.get(id, p);
  }

  /** Makes and archives a report; for a scheduled one `id` is the row already claimed. */
  private async generate(scope: string, kind: ReportKind, from: string, to: string, requestedBy: string, now: number, id?: string): Promise<string> {
    const figures = await this.collect(scope, from, to, now);
    const { pdf, xlsx } = await this.render(scope, kind, figures, now);
    const at = new Date(now);
    if (id) {
      await this.db.query(`UPDATE report SET status = 'ready', generated_at = $2, figures = $3, pdf = $4, xlsx = $5 WHERE id = $1`, [id, at, JSON.stringify(figures), pdf, xlsx]);
      return id;
    }
    const [row] = (await this.db.query(
      `INSERT INTO report (scope, kind, period_from, period_to, status, claimed_at, requested_by, generated_at, figures, pdf, xlsx)
       VALUES ($1, $2, $3, $4, 'ready', $5, $6, $5, $7, $8, $9) RETURNING id`,
      [scope, kind, from, to, at, requestedBy, JSON.stringify(figures), pdf, xlsx],
    )) as { id: string }[];
    return String(row!.id);
  }

  private summaryOf(r: ReportRow): ReportSummary {
    const id = String(r.id);
    return {
      id,
      scope: r.scope,
      scopeName: this.scopeName(r.scope),
      kind: r.kind,
      from: r.period_from,
      to: r.period_to,
      generatedAt: r.generated_at.toISOString(),
      requestedBy: r.requested_by,
      asOf: r.as_of,
      watermark: Number(r.watermark),
      pdfBytes: r.pdf_bytes,
      xlsxBytes: r.xlsx_bytes,
      pdfUrl: `/api/v1/reports/${id}.pdf`,
      xlsxUrl: `/api/v1/reports/${id}.xlsx`,
      emailedAt: r.emailed_at?.toISOString() ?? null,
      emailedTo: r.emailed_to.length,
    };
  }

  /** The reports the caller may read, newest period first; of one scope (403 if not theirs to read) or of every scope they may read. */
  async list(q: ReportQuery, p: Principal): Promise<ReportListResponse> {
    const args: unknown[] = [];
    const arg = (v: unknown) => `$${args.push(v)}`;
    const where = [`status = 'ready'`];
    if (q.scope !== undefined) {
      where.push(`scope = ${arg(formatScope(this.assertReadable(p, q.scope)))}`);
    } else if (p.role !== 'admin') {
      const scopes = (await this.db.query(`SELECT DISTINCT scope FROM report WHERE status = 'ready'`)) as { scope: string }[];
      where.push(`scope = ANY(${arg(scopes.map((s) => s.scope).filter((s) => this.mayRead(p, s)))}::text[])`);
    }
    if (q.kind !== undefined) {
      if (!REPORT_KINDS.includes(q.kind as ReportKind)) throw badRequest(`kind must be one of ${REPORT_KINDS.join(', ')}, got "${q.kind}"`);
      where.push(`kind = ${arg(q.kind)}`);
    }
    const page = positive(q.page, 'page', 1, 1_000_000);
    const pageSize = positive(q.pageSize, 'pageSize', 50, 200);
    const filter = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = (await this.db.query(`SELECT count(*)::int AS total FROM report ${filter}`, args)) as { total: number }[];
    const rows = (await this.db.query(
      `SELECT ${SUMMARY_COLUMNS} FROM report ${filter} ORDER BY period_from DESC, generated_at DESC, id DESC LIMIT ${arg(pageSize)} OFFSET ${arg((page - 1) * pageSize)}`,
      args,
    )) as ReportRow[];
    return { total, page, pageSize, items: rows.map((r) => this.summaryOf(r)) };
  }

  private checkId(id: string): string {
    if (!/^\d{1,18}$/.test(id)) throw badRequest(`report id must be a number, got "${id}"`);
    return id;
  }

  /** A report with its archived figures (404 before access, so ids of others' reports say nothing more than that). */
  async get(id: string, p: Principal): Promise<Report> {
    const [row] = (await this.db.query(`SELECT ${SUMMARY_COLUMNS}, figures FROM report WHERE id = $1 AND status = 'ready'`, [this.checkId(id)])) as (ReportRow & { figures: ReportFigures })[];
    if (!row) throw notFound(`no report ${id}`);
    this.assertReadable(p, row.scope);
    return { ...this.summaryOf(row), figures: row.figures };
  }

  /** The archived file and a name that says what and when: `ioc-bao-cao-province-01-2026-01-01_2026-01-31.pdf`. */
  async file(id: string, format: 'pdf' | 'xlsx', p: Principal): Promise<{ body: Buffer; filename: string }> {
    const [row] = (await this.db.query(`SELECT scope, to_char(period_from, 'YYYY-MM-DD') AS f, to_char(period_to, 'YYYY-MM-DD') AS t, ${format} AS body FROM report WHERE id = $1 AND status = 'ready'`, [
      this.checkId(id),
    ])) as { scope: string; f: string; t: string; body: Buffer }[];
    if (!row) throw notFound(`no report ${id}`);
    this.assertReadable(p, row.scope);
    return { body: row.body, filename: `ioc-bao-cao-${row.scope.replace(':', '-')}-${row.f}_${row.t}.${format}` };
  }

  /**
   * The scopes reports are made for on schedule: the nation, every province, and every commune
   * someone watches (an active commune chair, or a subscription to it); any other commune's report
   * is made on demand.
   */
  async scheduledScopes(): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT scope FROM app_user WHERE active AND scope LIKE 'commune:%'
       UNION SELECT scope FROM notification_subscription WHERE enabled AND scope LIKE 'commune:%'`,
    )) as { scope: string }[];
    const communes = rows.map((r) => r.scope).filter((s) => this.units.ref(parseScope(s) ?? { kind: 'nation' }) !== null);
    return ['nation', ...this.units.listProvinces().map((x) => `province:${x.code}`), ...communes.sort()];
  }

  /**
   * Makes the reports due at `now` that no process has made yet: last month's from the 1st at
   * 07:00, last quarter's from the 1st of a quarter at 07:00 (and later, if the server was off
   * then). Each is claimed by a row first, so several processes make it once; one whose period
   * is still having history loaded waits for the next pass. Answers how many were made.
   * `only` limits the pass to some scopes (the tests, and catching up one scope by hand).
   */
  async runScheduled(now = Date.now(), only?: readonly string[]): Promise<number> {
    const due: { kind: ReportKind; from: string; to: string }[] = [
      { kind: 'monthly', ...dueMonth(now) },
      { kind: 'quarterly', ...dueQuarter(now) },
    ];
    const scopes = (await this.scheduledScopes()).filter((s) => !only || only.includes(s));
    let made = 0;
    for (const d of due) {
      const done = new Set(
        ((await this.db.query(`SELECT scope FROM report WHERE kind = $1 AND period_from = $2 AND status = 'ready'`, [d.kind, d.from])) as { scope: string }[]).map((r) => r.scope),
      );
      for (const scope of scopes) {
        if (done.has(scope)) continue;
        const [claim] = (await this.db.query(
          `INSERT INTO report (scope, kind, period_from, period_to, status, claimed_at, requested_by) VALUES ($1, $2, $3, $4, 'generating', $5, 'system')
           ON CONFLICT (scope, kind, period_from) WHERE kind <> 'on_demand'
           DO UPDATE SET claimed_at = EXCLUDED.claimed_at WHERE report.status = 'generating' AND report.claimed_at < $6
           RETURNING id`,
          [scope, d.kind, d.from, d.to, new Date(now), new Date(now - CLAIM_LEASE_MS)],
        )) as { id: string }[];
        if (!claim) continue;
        const id = String(claim.id);
        try {
          const loading = await this.kpi.loadingOf({ from: d.from, to: d.to });
          if (loading) {
            await this.db.query(`DELETE FROM report WHERE id = $1 AND status = 'generating'`, [id]);
            continue;
          }
          await this.generate(scope, d.kind, d.from, d.to, 'system', now, id);
          made++;
          await this.email(id, now);
        } catch (e) {
          await this.db.query(`DELETE FROM report WHERE id = $1 AND status = 'generating'`, [id]).catch(() => undefined);
          this.log.warn(`${d.kind} report of ${scope} ${d.from}..${d.to} not made: ${(e as Error).message}`);
        }
      }
    }
    if (made) this.log.log(`${made} scheduled report(s) made`);
    return made;
  }

  /**
   * Mails a report to the subscribers of its scope (notification subscriptions on an email
   * channel, to an account or a group) who may read it, each on their own, with the PDF and the
   * workbook attached. Recorded on the report, so it is mailed once.
   */
  async email(id: string, now = Date.now()): Promise<string[]> {
    // Claimed by setting emailed_at first, so two processes never mail the same report.
    const [r] = (await this.db.query(
      `WITH u AS (UPDATE report SET emailed_at = $2 WHERE id = $1 AND emailed_at IS NULL AND status = 'ready'
         RETURNING scope, kind, to_char(period_from, 'YYYY-MM-DD') AS f, to_char(period_to, 'YYYY-MM-DD') AS t, pdf, xlsx)
       SELECT * FROM u`,
      [id, new Date(now)],
    )) as { scope: string; kind: ReportKind; f: string; t: string; pdf: Buffer; xlsx: Buffer }[];
    if (!r) return [];
    const people = (await this.db.query(
      `SELECT DISTINCT u.username, u.role, u.scope, c.email
       FROM notification_subscription s
       JOIN notification_channel ch ON ch.id = s.channel_id AND ch.enabled AND ch.kind = 'email'
       LEFT JOIN notification_group_member gm ON gm.group_id = s.group_id
       JOIN app_user u ON u.id = coalesce(s.user_id, gm.user_id) AND u.active
       JOIN notification_contact c ON c.user_id = u.id
       WHERE s.enabled AND s.scope = $1`,
      [r.scope],
    )) as { username: string; role: Principal['role']; scope: string; email: string }[];
    const to = [
      ...new Set(
        people
          .filter((x) => {
            const own = parseScope(x.scope);
            const ref = own && this.units.ref(own);
            return ref ? this.mayRead({ role: x.role, scope: ref }, r.scope) : false;
          })
          .map((x) => x.email),
      ),
    ];
    const scopeName = this.scopeName(r.scope);
    const label = periodLabel(r.f, r.t);
    const base = `ioc-bao-cao-${r.scope.replace(':', '-')}-${r.f}_${r.t}`;
    const sent: string[] = [];
    const errors: string[] = [];
    for (const addr of to) {
      const res = await this.mail.sendMail({
        to: [addr],
        subject: `[IOC] Báo cáo ${r.kind === 'quarterly' ? 'quý' : 'tháng'}: ${scopeName} – ${label}`,
        text:
          `Kính gửi,\n\nTrung tâm điều hành IOC gửi báo cáo kết quả giải quyết thủ tục hành chính của ${scopeName}, ${label.charAt(0).toLowerCase()}${label.slice(1)}.\n` +
          `Báo cáo gồm Biểu II.06a, các chỉ tiêu so với mức đạt điểm tối đa, chỉ số, xếp hạng và xu hướng (tệp PDF và Excel đính kèm).\n\n` +
          `Xem và tải lại: /api/v1/reports/${id}.pdf\n`,
        attachments: [
          { filename: `${base}.pdf`, content: r.pdf, contentType: 'application/pdf' },
          { filename: `${base}.xlsx`, content: r.xlsx, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        ],
      });
      if (res.ok) sent.push(addr);
      else errors.push(`${addr}: ${res.detail}`);
    }
    await this.db.query('UPDATE report SET emailed_to = $2, email_error = $3 WHERE id = $1', [id, sent, errors.length ? errors.join('; ').slice(0, 2000) : null]);
    return sent;
  }
}
