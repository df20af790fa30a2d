import { Injectable, Logger } from '@nestjs/common';
import { DAY_MS, DEFAULT_RULES, type KpiResponse, type Role, SEVERITIES, SEVERITY_VI, type Severity, addDays, formatScope, localDateOf, parseScope, startOfLocalDate } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { dossiersDueToday, dossiersTurningOverdue } from '../dossiers/dossier-queries.js';
import { KpiService } from '../kpi/kpi.service.js';
import { digestReaders } from '../notifications/contacts.repository.js';
import { DeliveryWorker } from '../notifications/delivery.service.js';
import { UnitsService } from '../units/units.service.js';
import { indexV2Content } from './content.js';
import { activeAlertsOf, claimDigest, digestFailed, recordDigest } from './digest-log.js';
import { escapeHtml, formatCount, formatDate, formatDateTime, formatNumber, formatPercent, formatPointChange } from './format.js';

/** The digest goes out from 07:30 local time, for the day that has just begun. */
export const DIGEST_MINUTE_OF_DAY = 7 * 60 + 30;
const LEASE_MS = 5 * 60_000;
const RETRY_AFTER_MS = 10 * 60_000;
const MAX_ATTEMPTS = 3;
const LIST = 10;
const MOVERS = 5;
const LOST = 5;

const RULE_VI = new Map(DEFAULT_RULES.map((r) => [r.id, r.nameVi]));

export interface DigestRecipient {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  scope: string;
  email: string;
}

/** A commune whose kpi-v2 points moved between two days measured on the same sub-indicators. */
export interface Mover {
  unitCode: string;
  unitName: string;
  provinceName: string;
  before: number;
  after: number;
  delta: number;
  /** Points available on both days (the same sub-indicators had data). */
  available: number;
}
export interface DigestAlert {
  severity: Severity;
  ruleId: string;
  unitCode: string;
  firedAt: Date;
}
export interface DigestDossier {
  dossierId: string;
  unitCode: string;
  sector: string | null;
  overdueAt: Date;
}

/** What one scope's digest says on one morning; shared by every recipient with that scope. */
export interface DigestData {
  scope: string;
  scopeName: string;
  date: string;
  yesterday: KpiResponse;
  movers: { up: Mover[]; down: Mover[] } | null;
  alerts: { total: number; bySeverity: Record<Severity, number>; items: DigestAlert[] };
  dossiers: { dueToday: number; overdueNow: number; items: DigestDossier[] };
}

/**
 * The 07:30 mail to every leader and commune chair with an address (notification contacts):
 * yesterday's figures in their scope against the catalogue's full-points levels, the communes
 * that moved most, the open alerts and the dossiers turning overdue today. One row per account
 * and day, claimed before sending, makes it once a day whatever the number of processes and
 * restarts; a failed send is tried again twice, ten minutes apart.
 */
@Injectable()
export class DigestService {
  private readonly log = new Logger('Digest');

  constructor(
    private readonly db: DataSource,
    private readonly kpi: KpiService,
    private readonly units: UnitsService,
    private readonly mail: DeliveryWorker,
  ) {}

  /** Local minutes since midnight of an instant. */
  static minuteOfDay(now: number): number {
    return Math.floor(((now - startOfLocalDate(localDateOf(now))) / 60_000) % 1440);
  }

  async recipients(): Promise<DigestRecipient[]> {
    const rows = await digestReaders(this.db);
    return rows.map((r) => ({ userId: r.id, username: r.username, displayName: r.displayName, role: r.role, scope: r.scope, email: r.email }));
  }

  /** Sends the digests due at `now`: none before 07:30, then each account's once for the day. Answers how many were sent. */
  async runDue(now = Date.now()): Promise<number> {
    if (DigestService.minuteOfDay(now) < DIGEST_MINUTE_OF_DAY) return 0;
    const date = localDateOf(now);
    const data = new Map<string, Promise<DigestData>>();
    let sent = 0;
    for (const r of await this.recipients()) {
      const claimed = await claimDigest(this.db, { userId: r.userId, date, email: r.email }, new Date(now), {
        maxAttempts: MAX_ATTEMPTS,
        retryBefore: new Date(now - RETRY_AFTER_MS),
        staleBefore: new Date(now - LEASE_MS),
      });
      if (!claimed) continue;
      try {
        if (!data.has(r.scope)) data.set(r.scope, this.build(r.scope, date, now));
        const msg = renderDigest(await data.get(r.scope)!, r, (c) => this.unitLabel(c));
        const res = await this.mail.sendMail({ to: [r.email], subject: msg.subject, text: msg.text, html: msg.html });
        await recordDigest(this.db, r.userId, date, { sent: res.ok, subject: msg.subject, at: new Date(now), error: res.ok ? null : res.detail });
        if (res.ok) sent++;
        else this.log.warn(`digest to ${r.username} not sent: ${res.detail}`);
      } catch (e) {
        await digestFailed(this.db, r.userId, date, (e as Error).message.slice(0, 500));
        this.log.warn(`digest to ${r.username} not made: ${(e as Error).message}`);
      }
    }
    return sent;
  }

  /** The figures of a scope's digest on local `date` (yesterday's day is complete, so they no longer move). */
  async build(scope: string, date: string, now: number): Promise<DigestData> {
    const unit = this.units.refOf(scope);
    const yesterday = addDays(date, -1);
    const dayBefore = addDays(date, -2);
    const yesterdayKpis = await this.kpi.kpis({ scope, from: yesterday, to: yesterday }, now);

    let movers: DigestData['movers'] = null;
    if (unit.kind !== 'commune') {
      const s = parseScope(formatScope(unit))!;
      const [after, before] = await Promise.all([
        this.kpi.unitFigures(s, 'commune', this.kpi.periodOf(yesterday, yesterday, now), undefined, undefined, true),
        this.kpi.unitFigures(s, 'commune', this.kpi.periodOf(dayBefore, dayBefore, now), undefined, undefined, true),
      ]);
      const prior = new Map(before.map((u) => [u.unitCode, u.figures.indexV2]));
      const moved: Mover[] = [];
      for (const u of after) {
        // Points compare only over the same sub-indicators: a day that gained or lost one is not a move.
        const a = u.figures.indexV2;
        const b = prior.get(u.unitCode);
        if (!a || !b || a.available === 0 || a.available !== b.available || a.missing.join() !== b.missing.join() || a.earned === b.earned) continue;
        moved.push({
          unitCode: u.unitCode,
          unitName: u.unitName,
          provinceName: this.units.unitName(u.provinceCode),
          before: b.earned,
          after: a.earned,
          delta: Math.round((a.earned - b.earned) * 100) / 100,
          available: a.available,
        });
      }
      const byCode = (x: Mover, y: Mover) => (x.unitCode < y.unitCode ? -1 : 1);
      movers = {
        up: moved
          .filter((m) => m.delta > 0)
          .sort((x, y) => y.delta - x.delta || byCode(x, y))
          .slice(0, MOVERS),
        down: moved
          .filter((m) => m.delta < 0)
          .sort((x, y) => x.delta - y.delta || byCode(x, y))
          .slice(0, MOVERS),
      };
    }

    const alertRows = await activeAlertsOf(this.db, unit);
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const a of alertRows) bySeverity[a.severity]++;

    const endOfToday = startOfLocalDate(date) + DAY_MS;
    const totals = await dossiersDueToday(this.db, unit, now, endOfToday);
    const items = await dossiersTurningOverdue(this.db, unit, now, endOfToday, LIST);

    return {
      scope: formatScope(unit),
      scopeName: this.units.scopeName(unit),
      date,
      yesterday: yesterdayKpis,
      movers,
      alerts: {
        total: alertRows.length,
        bySeverity,
        items: alertRows.slice(0, LIST).map((a) => ({ severity: a.severity, ruleId: a.ruleId, unitCode: a.unitCode, firedAt: a.firedAt })),
      },
      dossiers: {
        dueToday: totals.dueToday,
        overdueNow: totals.overdueNow,
        items,
      },
    };
  }

  unitLabel(code: string): string {
    return code.length === 2 ? this.units.unitName(code) : `${this.units.unitName(code)} (${this.units.unitName(this.units.provinceOfUnit(code) ?? '')})`;
  }
}

/** The digest as a subject, plain text and HTML (the same content). */
export function renderDigest(d: DigestData, r: Pick<DigestRecipient, 'displayName'>, unitLabel: (code: string) => string = (c) => c): { subject: string; text: string; html: string } {
  const k = d.yesterday;
  const day = formatDate(k.from);
  const subject = `[IOC] Bản tin sáng ${formatDate(d.date)}: ${d.scopeName}`;
  const time = (t: Date) => formatDateTime(t.getTime()).slice(0, 5);

  const index = k.indexV2 ? indexV2Content(k.indexV2) : null;
  const groupLines = (index?.groups ?? []).map(
    (g) => `${g.name}: ${g.available === 0 ? 'chưa có số liệu' : `${formatNumber(g.earned)}/${formatCount(g.available)} điểm có số liệu`} (tối đa ${formatCount(g.pmax)})`,
  );
  // Where yesterday's points went: the scored sub-indicators that lost most, with the rate behind each.
  const lostLines = (index?.groups ?? [])
    .flatMap((g) => g.rows)
    .filter((r) => r.scored && r.pointsLost !== null && r.pointsLost > 0)
    .sort((a, b) => b.pointsLost! - a.pointsLost! || (a.id < b.id ? -1 : 1))
    .slice(0, LOST)
    .map((r) => ({
      name: `${r.id} ${r.name}`,
      value: `${formatPercent(r.rate)}${r.ratio === '—' ? '' : ` (${r.ratio})`}`,
      points: `${formatNumber(r.points)}/${formatCount(r.pmax)} điểm, mất ${formatNumber(r.pointsLost)}`,
    }));
  const counts = `Tiếp nhận ${formatCount(k.counts.received)}, đã giải quyết ${formatCount(k.counts.resolved)} (quá hạn ${formatCount(k.counts.resolvedLate)}), đang giải quyết ${formatCount(k.counts.inProgress)} (quá hạn ${formatCount(k.counts.inProgressOverdue)})`;
  const moverLine = (m: Mover) =>
    `${m.unitName} (${m.provinceName}): ${formatNumber(m.before)} → ${formatNumber(m.after)} điểm (${formatPointChange(m.delta)}) trên ${formatCount(m.available)} điểm có số liệu`;
  const sevSummary = SEVERITIES.filter((s) => d.alerts.bySeverity[s] > 0)
    .map((s) => `${SEVERITY_VI[s]} ${d.alerts.bySeverity[s]}`)
    .join(', ');
  const alertLine = (a: DigestAlert) => `[${SEVERITY_VI[a.severity]}] ${RULE_VI.get(a.ruleId) ?? a.ruleId} – ${unitLabel(a.unitCode)}, từ ${formatDateTime(a.firedAt.getTime())}`;
  const dossierLine = (x: DigestDossier) => `${x.dossierId} – ${unitLabel(x.unitCode)}${x.sector ? ` – ${x.sector}` : ''} – quá hạn từ ${time(x.overdueAt)}`;

  const t: string[] = [];
  t.push(`Kính gửi ${r.displayName},`, '', `Bản tin điều hành ngày ${formatDate(d.date)} của ${d.scopeName}: số liệu ngày ${day}.`, '');
  t.push('1. Chỉ số phục vụ người dân, doanh nghiệp (kpi-v2) ngày hôm qua', `- ${index?.summary ?? 'Chưa có số liệu.'}`);
  for (const l of groupLines) t.push(`- ${l}`);
  if (lostLines.length) t.push('Chỉ tiêu thành phần mất nhiều điểm nhất:', ...lostLines.map((l) => `- ${l.name}: ${l.value}; ${l.points}`));
  t.push(`- ${counts}`, '');
  let n = 2;
  if (d.movers) {
    t.push(`${n++}. Xã, phường thay đổi nhiều nhất (điểm kpi-v2 ngày ${day} so với ngày trước đó, trên cùng các chỉ tiêu có số liệu)`);
    if (!d.movers.up.length && !d.movers.down.length) t.push('- Không có xã, phường nào thay đổi.');
    if (d.movers.up.length) t.push('Tăng:', ...d.movers.up.map((m) => `- ${moverLine(m)}`));
    if (d.movers.down.length) t.push('Giảm:', ...d.movers.down.map((m) => `- ${moverLine(m)}`));
    t.push('');
  }
  t.push(`${n++}. Cảnh báo đang mở: ${formatCount(d.alerts.total)}${sevSummary ? ` (${sevSummary})` : ''}`);
  t.push(...d.alerts.items.map((a) => `- ${alertLine(a)}`));
  if (d.alerts.total > d.alerts.items.length) t.push(`- … và ${formatCount(d.alerts.total - d.alerts.items.length)} cảnh báo khác`);
  t.push('');
  t.push(`${n}. Hồ sơ sẽ quá hạn trong hôm nay: ${formatCount(d.dossiers.dueToday)} (đang quá hạn: ${formatCount(d.dossiers.overdueNow)})`);
  t.push(...d.dossiers.items.map((x) => `- ${dossierLine(x)}`));
  if (d.dossiers.dueToday > d.dossiers.items.length) t.push(`- … và ${formatCount(d.dossiers.dueToday - d.dossiers.items.length)} hồ sơ khác`);
  t.push('', `Số liệu đúng tại ${formatDateTime(Date.parse(k.asOf))}; đã tổng hợp nhật ký sự kiện đến vị trí ${formatCount(k.projection.watermark)}.`, 'Trung tâm điều hành IOC');

  const e = escapeHtml;
  const td = 'style="padding:3px 8px;border-bottom:1px solid #ddd"';
  const h: string[] = [];
  h.push(`<div style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1a1a1a">`);
  h.push(`<p>Kính gửi ${e(r.displayName)},</p><p>Bản tin điều hành ngày <b>${formatDate(d.date)}</b> của <b>${e(d.scopeName)}</b>: số liệu ngày ${day}.</p>`);
  h.push(`<h3>1. Chỉ số phục vụ người dân, doanh nghiệp (kpi-v2) ngày hôm qua</h3><p><b>${e(index?.summary ?? 'Chưa có số liệu.')}</b></p>`);
  if (groupLines.length) h.push(`<ul>${groupLines.map((l) => `<li>${e(l)}</li>`).join('')}</ul>`);
  if (lostLines.length) {
    h.push(`<p>Chỉ tiêu thành phần mất nhiều điểm nhất:</p>`);
    h.push(`<table style="border-collapse:collapse"><tr><th ${td} align="left">Chỉ tiêu</th><th ${td} align="right">Kết quả</th><th ${td} align="left">Điểm</th></tr>`);
    for (const l of lostLines) h.push(`<tr><td ${td}>${e(l.name)}</td><td ${td} align="right">${e(l.value)}</td><td ${td}>${e(l.points)}</td></tr>`);
    h.push('</table>');
  }
  h.push(`<p>${e(counts)}</p>`);
  n = 2;
  if (d.movers) {
    h.push(`<h3>${n++}. Xã, phường thay đổi nhiều nhất</h3>`);
    if (!d.movers.up.length && !d.movers.down.length) h.push('<p>Không có xã, phường nào thay đổi.</p>');
    if (d.movers.up.length) h.push(`<p>Tăng:</p><ul>${d.movers.up.map((m) => `<li>${e(moverLine(m))}</li>`).join('')}</ul>`);
    if (d.movers.down.length) h.push(`<p>Giảm:</p><ul>${d.movers.down.map((m) => `<li>${e(moverLine(m))}</li>`).join('')}</ul>`);
  }
  h.push(`<h3>${n++}. Cảnh báo đang mở: ${formatCount(d.alerts.total)}${sevSummary ? ` (${e(sevSummary)})` : ''}</h3>`);
  if (d.alerts.items.length) h.push(`<ul>${d.alerts.items.map((a) => `<li>${e(alertLine(a))}</li>`).join('')}</ul>`);
  h.push(`<h3>${n}. Hồ sơ sẽ quá hạn trong hôm nay: ${formatCount(d.dossiers.dueToday)} (đang quá hạn: ${formatCount(d.dossiers.overdueNow)})</h3>`);
  if (d.dossiers.items.length) h.push(`<ul>${d.dossiers.items.map((x) => `<li>${e(dossierLine(x))}</li>`).join('')}</ul>`);
  h.push(
    `<p style="color:#555;font-size:12px">Số liệu đúng tại ${formatDateTime(Date.parse(k.asOf))}; đã tổng hợp nhật ký sự kiện đến vị trí ${formatCount(k.projection.watermark)}.<br>Trung tâm điều hành IOC</p></div>`,
  );
  return { subject, text: t.join('\n'), html: h.join('\n') };
}
