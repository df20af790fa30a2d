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
import { activeScopesLike } from '../auth/users.repository.js';
import { AuditService } from '../audit/audit.service.js';
import { badRequest, notFound } from '../common/app-error.js';
import { parseBody, positive } from '../common/validation.js';
import { KpiService } from '../kpi/kpi.service.js';
import { DeliveryWorker } from '../notifications/delivery.service.js';
import { emailSubscribersOf, enabledScopesLike } from '../notifications/subscriptions.repository.js';
import { UnitsService } from '../units/units.service.js';
import { reportContent } from './content.js';
import { periodLabel } from './format.js';
import {
  type ReportFilter,
  type ReportSummaryRow,
  claimReportMailing,
  claimScheduledReport,
  completeReport,
  dropReportClaim,
  insertReadyReport,
  readyReport,
  readyReportScopes,
  recordReportMailing,
  reportFile,
  reportPage,
  scopesReportedFor,
} from './report-archive.js';
import { renderReportPdf } from './report-pdf.js';
import { renderReportXlsx } from './report-xlsx.js';

/** A scheduled report being made is not taken over by another process before this. */
const CLAIM_LEASE_MS = 10 * 60_000;
/** Up to 62 days a trend is drawn by day; beyond, by month. */
const TREND_DAYS = 62;

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
      await completeReport(this.db, id, { at, figures, pdf, xlsx });
      return id;
    }
    return insertReadyReport(this.db, { scope, kind, from, to, requestedBy, at, figures, pdf, xlsx });
  }

  private summaryOf(r: ReportSummaryRow): ReportSummary {
    const id = String(r.id);
    return {
      id,
      scope: r.scope,
      scopeName: this.scopeName(r.scope),
      kind: r.kind,
      from: r.periodFrom,
      to: r.periodTo,
      generatedAt: r.generatedAt.toISOString(),
      requestedBy: r.requestedBy,
      asOf: r.asOf,
      watermark: Number(r.watermark),
      pdfBytes: r.pdfBytes,
      xlsxBytes: r.xlsxBytes,
      pdfUrl: `/api/v1/reports/${id}.pdf`,
      xlsxUrl: `/api/v1/reports/${id}.xlsx`,
      emailedAt: r.emailedAt?.toISOString() ?? null,
      emailedTo: r.emailedTo.length,
    };
  }

  /** The reports the caller may read, newest period first; of one scope (403 if not theirs to read) or of every scope they may read. */
  async list(q: ReportQuery, p: Principal): Promise<ReportListResponse> {
    const f: ReportFilter = {};
    if (q.scope !== undefined) {
      f.scope = formatScope(this.assertReadable(p, q.scope));
    } else if (p.role !== 'admin') {
      f.scopes = (await readyReportScopes(this.db)).filter((s) => this.mayRead(p, s));
    }
    if (q.kind !== undefined) {
      const kind = REPORT_KINDS.find((k) => k === q.kind);
      if (!kind) throw badRequest(`kind must be one of ${REPORT_KINDS.join(', ')}, got "${q.kind}"`);
      f.kind = kind;
    }
    const page = positive(q.page, 'page', 1, 1_000_000);
    const pageSize = positive(q.pageSize, 'pageSize', 50, 200);
    const { total, rows } = await reportPage(this.db, f, pageSize, (page - 1) * pageSize);
    return { total, page, pageSize, items: rows.map((r) => this.summaryOf(r)) };
  }

  private checkId(id: string): string {
    if (!/^\d{1,18}$/.test(id)) throw badRequest(`report id must be a number, got "${id}"`);
    return id;
  }

  /** A report with its archived figures (404 before access, so ids of others' reports say nothing more than that). */
  async get(id: string, p: Principal): Promise<Report> {
    const row = await readyReport(this.db, this.checkId(id));
    if (!row) throw notFound(`no report ${id}`);
    this.assertReadable(p, row.scope);
    return { ...this.summaryOf(row), figures: row.figures };
  }

  /** The archived file and a name that says what and when: `ioc-bao-cao-province-01-2026-01-01_2026-01-31.pdf`. */
  async file(id: string, format: 'pdf' | 'xlsx', p: Principal): Promise<{ body: Buffer; filename: string }> {
    const row = await reportFile(this.db, this.checkId(id), format);
    if (!row) throw notFound(`no report ${id}`);
    this.assertReadable(p, row.scope);
    return { body: row.body, filename: `ioc-bao-cao-${row.scope.replace(':', '-')}-${row.periodFrom}_${row.periodTo}.${format}` };
  }

  /**
   * The scopes reports are made for on schedule: the nation, every province, and every commune
   * someone watches (an active commune chair, or a subscription to it); any other commune's report
   * is made on demand.
   */
  async scheduledScopes(): Promise<string[]> {
    const watched = new Set([...(await activeScopesLike(this.db.manager, 'commune:')), ...(await enabledScopesLike(this.db.manager, 'commune:'))]);
    const communes = [...watched].filter((s) => this.units.ref(parseScope(s) ?? { kind: 'nation' }) !== null);
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
      const done = new Set(await scopesReportedFor(this.db, d.kind, d.from));
      for (const scope of scopes) {
        if (done.has(scope)) continue;
        const id = await claimScheduledReport(this.db, { scope, kind: d.kind, from: d.from, to: d.to }, new Date(now), new Date(now - CLAIM_LEASE_MS));
        if (id === null) continue;
        try {
          const loading = await this.kpi.loadingOf({ from: d.from, to: d.to });
          if (loading) {
            await dropReportClaim(this.db, id);
            continue;
          }
          await this.generate(scope, d.kind, d.from, d.to, 'system', now, id);
          made++;
          await this.email(id, now);
        } catch (e) {
          await dropReportClaim(this.db, id).catch(() => undefined);
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
    const r = await claimReportMailing(this.db, id, new Date(now));
    if (!r) return [];
    const people = await emailSubscribersOf(this.db, r.scope);
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
    const label = periodLabel(r.periodFrom, r.periodTo);
    const base = `ioc-bao-cao-${r.scope.replace(':', '-')}-${r.periodFrom}_${r.periodTo}`;
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
    await recordReportMailing(this.db, id, sent, errors.length ? errors.join('; ').slice(0, 2000) : null);
    return sent;
  }
}
