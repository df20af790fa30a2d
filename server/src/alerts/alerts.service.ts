import { Inject, Injectable } from '@nestjs/common';
import {
  type AlertAssignee,
  type AlertDetail,
  type AlertEvaluationStatus,
  type AlertListResponse,
  type AlertSummary,
  DEFAULT_RULES,
  MAX_LIVE_ALERTS,
  type RuleDefinition,
  type RuleOverride,
  type RuleResponse,
  type Scope,
  SEVERITIES,
  type Severity,
  formatScope,
  isLocalDate,
  parseScope,
  startOfLocalDate,
  DAY_MS,
  alertAcknowledgeBodySchema,
  alertAssignBodySchema,
  alertCommentBodySchema,
  ruleOverrideBodySchema,
} from '@ioc/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { badRequest, conflict, notFound } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import { parseBody, positive } from '../common/validation.js';
import { AccessService } from '../auth/access.service.js';
import type { AuthedPrincipal, Client } from '../auth/auth.types.js';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ChangeFeed } from '../ingest/change-feed.js';
import { UnitsService } from '../units/units.service.js';
import type { Alert, AlertRuleOverride } from './alert.entities.js';
import {
  type AlertFilter,
  acknowledgeAlert,
  alertById,
  alertByIdForUpdate,
  alertHistory,
  alertPage,
  assignAlert,
  assignableAccounts,
  lastEvaluation,
  mergeOverride,
  openAlerts,
  overrideCounts,
  overridesOfRule,
  recordAlertEvent,
  removeOverride,
} from './alerts.repository.js';

const RULES = new Map(DEFAULT_RULES.map((r) => [r.id, r]));

export interface AlertQuery {
  status?: string;
  acknowledged?: string;
  severity?: string;
  scope?: string;
  rule?: string;
  /** `me` or a username. */
  assignee?: string;
  from?: string;
  to?: string;
  page?: string;
  pageSize?: string;
}

/** Alerts as operators see and handle them; every action lands in the audit trail. */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly changes: ChangeFeed,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** Alerts of the caller's scope (or of `q.scope`, which the caller must be allowed to read). */
  async list(q: AlertQuery, p: AuthedPrincipal): Promise<AlertListResponse> {
    const scopeText = q.scope ?? formatScope(p.scope);
    this.access.assertScope(p, 'alerts', scopeText);
    const f: AlertFilter = {};
    if (q.status !== undefined) {
      if (q.status !== 'active' && q.status !== 'cleared') throw badRequest(`status must be active or cleared, got "${q.status}"`);
      f.status = q.status;
    }
    if (q.acknowledged !== undefined) {
      if (q.acknowledged !== 'true' && q.acknowledged !== 'false') throw badRequest(`acknowledged must be true or false, got "${q.acknowledged}"`);
      f.acknowledged = q.acknowledged === 'true';
    }
    if (q.severity !== undefined) {
      const list = q.severity.split(',');
      const bad = list.filter((s) => !SEVERITIES.includes(s as Severity));
      if (bad.length) throw badRequest(`severity must be among ${SEVERITIES.join(', ')}, got "${bad.join(',')}"`);
      f.severities = SEVERITIES.filter((x) => list.includes(x));
    }
    const s = parseScope(scopeText)!;
    if (s.kind === 'province') f.provinceCode = s.code;
    else if (s.kind === 'commune') f.unitCode = s.code;
    if (q.rule !== undefined) {
      if (!RULES.has(q.rule)) throw badRequest(`rule must be one of ${[...RULES.keys()].join(', ')}, got "${q.rule}"`);
      f.ruleId = q.rule;
    }
    if (q.assignee !== undefined) {
      if (q.assignee.trim() === '') throw badRequest('assignee must be "me" or a username');
      f.assignee = q.assignee === 'me' ? p.username : q.assignee.trim();
    }
    for (const [name, v] of [
      ['from', q.from],
      ['to', q.to],
    ] as const) {
      if (v !== undefined && !isLocalDate(v)) throw badRequest(`${name} must be a date YYYY-MM-DD, got "${v}"`);
    }
    if (q.from) f.firedFrom = new Date(startOfLocalDate(q.from));
    if (q.to) f.firedBefore = new Date(startOfLocalDate(q.to) + DAY_MS);
    const page = positive(q.page, 'page', 1, 1_000_000);
    const pageSize = positive(q.pageSize, 'pageSize', 50, 200);
    const { total, rows } = await alertPage(this.db.manager, f, pageSize, (page - 1) * pageSize);
    return { total, page, pageSize, items: rows.map((r) => this.summary(r)) };
  }

  /** A scope's open alerts: active, or cleared and not yet acknowledged; most severe and newest first. */
  async open(scope: Scope, limit = MAX_LIVE_ALERTS): Promise<AlertSummary[]> {
    const rows = await openAlerts(this.db.manager, { provinceCode: scope.kind === 'province' ? scope.code : null, unitCode: scope.kind === 'commune' ? scope.code : null }, limit);
    return rows.map((r) => this.summary(r));
  }

  async detail(id: string, p: AuthedPrincipal): Promise<AlertDetail> {
    const row = await this.row(this.db.manager, id);
    this.access.assert(p, 'alerts', this.units.unitRef(row.unitCode));
    const events = await alertHistory(this.db.manager, row.id);
    const rule = RULES.get(row.ruleId);
    return {
      ...this.summary(row),
      rule: { id: row.ruleId, kind: rule?.kind ?? 'kpi', level: rule?.level ?? 'commune', kpi: rule?.kpi ?? null, windowDays: rule?.windowDays ?? null, params: row.params },
      firedDetails: row.details,
      history: events.map((e) => ({ id: String(e.id), at: e.at.toISOString(), actor: e.actor, action: e.action, from: e.fromState, to: e.toState, note: e.note, details: e.details })),
    };
  }

  acknowledge(id: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<AlertDetail> {
    const b = parseBody(alertAcknowledgeBodySchema, body);
    return this.act(id, p, client, async (m, row, at, actor) => {
      if (row.acknowledgedAt) throw conflict(`alert ${id} was already acknowledged by ${row.acknowledgedBy} at ${row.acknowledgedAt.toISOString()}`);
      await acknowledgeAlert(m, row.id, at, actor);
      return { action: 'acknowledged', note: b.note ?? null, from: { acknowledged: false }, to: { acknowledged: true } };
    });
  }

  /** Assigns an alert to one of the people who may act on its unit (see `assignees`). */
  assign(id: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<AlertDetail> {
    const b = parseBody(alertAssignBodySchema, body);
    return this.act(id, p, client, async (m, row, at) => {
      const who = (await this.assigneesOf(row.unitCode, m)).find((u) => u.username.toLowerCase() === b.assignee.toLowerCase());
      if (!who) throw badRequest(`assignee: ${b.assignee} is not an active account that may act on the alerts of ${this.units.scopeName(this.units.unitRef(row.unitCode))}`);
      if (row.assignee === who.username) throw conflict(`alert ${id} is already assigned to ${who.username}`);
      await assignAlert(m, row.id, who.username, at);
      return { action: 'assigned', note: b.note ?? null, from: { assignee: row.assignee }, to: { assignee: who.username, name: who.displayName } };
    });
  }

  /** The people an alert may be assigned to: the active accounts that may act on its unit (operators of its province, the commune's chair, administrators). */
  async assignees(id: string, p: AuthedPrincipal): Promise<AlertAssignee[]> {
    const row = await this.row(this.db.manager, id);
    this.access.assert(p, 'alerts.act', this.units.unitRef(row.unitCode));
    return this.assigneesOf(row.unitCode);
  }

  private async assigneesOf(unitCode: string, m: EntityManager = this.db.manager): Promise<AlertAssignee[]> {
    const unit = this.units.unitRef(unitCode);
    const rows = await assignableAccounts(m);
    return rows
      .filter((r) => {
        const s = parseScope(r.scope);
        const ref = s && this.units.ref(s);
        return ref ? this.access.can({ role: r.role, scope: ref } as AuthedPrincipal, 'alerts.act', unit) : false;
      })
      .map((r) => ({ username: r.username, displayName: r.displayName, role: r.role, scope: r.scope }));
  }

  /** When the engine last evaluated the rules (null before its first evaluation). */
  async evaluation(): Promise<AlertEvaluationStatus> {
    const row = await lastEvaluation(this.db.manager);
    const every = this.config.alerts.evaluateEveryMs;
    return { evaluatedAt: row?.evaluatedAt.toISOString() ?? null, evaluated: row?.evaluated ?? null, everySeconds: every > 0 ? every / 1000 : null };
  }

  comment(id: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<AlertDetail> {
    const b = parseBody(alertCommentBodySchema, body);
    return this.act(id, p, client, () => Promise.resolve({ action: 'commented', note: b.note, from: null, to: null }));
  }

  async rules(): Promise<RuleResponse[]> {
    const counts = await overrideCounts(this.db);
    return DEFAULT_RULES.map((r) => ({ ...r, overrides: counts.get(r.id) ?? 0 }));
  }

  /** A rule's overrides on the units whose alerts the caller may read. */
  async overrides(ruleId: string, p: AuthedPrincipal): Promise<RuleOverride[]> {
    this.rule(ruleId);
    const rows = await overridesOfRule(this.db.manager, ruleId);
    return rows.filter((r) => this.access.can(p, 'alerts', this.units.unitRef(r.unitCode))).map(overrideOf);
  }

  /** Sets a province's or a commune's parameters of a rule (they apply from the next evaluation). */
  async setOverride(ruleId: string, unitCode: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<RuleOverride> {
    const rule = this.rule(ruleId);
    const params = parseBody(ruleOverrideBodySchema, body);
    this.checkUnit(rule, unitCode);
    this.access.assert(p, 'rules.write', this.units.unitRef(unitCode));
    if (Object.keys(params).length === 0) throw badRequest('nothing to change: send thresholds, hysteresis, pendingMinutes, clearMinutes, minVolume or enabled');
    if (params.thresholds && Object.values(params.thresholds).every((v) => v === undefined)) throw badRequest('thresholds: give at least one severity');
    const row = await inTransaction(this.db, async (m) => {
      const r = await mergeOverride(m, ruleId, unitCode, params, actorName(p));
      await this.audit.record({ action: 'rule.override_set', actor: p.username, target: `rule:${ruleId}@${unitScope(unitCode)}`, ip: client.ip, details: { set: params, now: r.params } }, m);
      return r;
    });
    return overrideOf(row);
  }

  async deleteOverride(ruleId: string, unitCode: string, p: AuthedPrincipal, client: Client): Promise<void> {
    this.checkUnit(this.rule(ruleId), unitCode);
    this.access.assert(p, 'rules.write', this.units.unitRef(unitCode));
    await inTransaction(this.db, async (m) => {
      const removed = await removeOverride(m, ruleId, unitCode);
      if (!removed) throw notFound(`rule ${ruleId} has no override for ${unitCode}`);
      await this.audit.record({ action: 'rule.override_delete', actor: p.username, target: `rule:${ruleId}@${unitScope(unitCode)}`, ip: client.ip, details: { removed } }, m);
    });
  }

  private rule(id: string): RuleDefinition {
    const r = RULES.get(id);
    if (!r) throw notFound(`no alert rule "${id}"; rules: ${[...RULES.keys()].join(', ')}`);
    return r;
  }

  /** A province's override applies to its communes too; a commune's only to a commune rule. */
  private checkUnit(rule: RuleDefinition, unitCode: string): void {
    if (/^\d{2}$/.test(unitCode)) return void this.units.province(unitCode);
    if (/^\d{5}$/.test(unitCode) && rule.level === 'commune') return void this.units.commune(unitCode);
    throw badRequest(
      rule.level === 'commune'
        ? `unit must be a province (2 digits) or a commune (5 digits), got "${unitCode}"`
        : `rule ${rule.id} applies to provinces: unit must be a province code (2 digits), got "${unitCode}"`,
    );
  }

  private async act(
    id: string,
    p: AuthedPrincipal,
    client: Client,
    change: (
      m: EntityManager,
      row: Alert,
      at: Date,
      actor: string,
    ) => Promise<{ action: 'acknowledged' | 'assigned' | 'commented'; note: string | null; from: Record<string, unknown> | null; to: Record<string, unknown> | null }>,
  ): Promise<AlertDetail> {
    const actor = actorName(p);
    const unit = await inTransaction(this.db, async (m) => {
      const row = await this.row(m, id, true);
      this.access.assert(p, 'alerts.act', this.units.unitRef(row.unitCode));
      const at = new Date();
      const e = await change(m, row, at, actor);
      await this.audit.record(
        {
          action: e.action === 'acknowledged' ? 'alert.acknowledge' : e.action === 'assigned' ? 'alert.assign' : 'alert.comment',
          actor: p.username,
          target: `alert:${row.id}`,
          ip: client.ip,
          details: { rule: row.ruleId, unit: row.unitCode, ...(e.note ? { note: e.note } : {}), ...(e.to ? { to: e.to } : {}) },
        },
        m,
      );
      await recordAlertEvent(m, { alertId: row.id, at, actor, action: e.action, fromState: e.from, toState: e.to, note: e.note });
      return row.unitCode;
    });
    this.changes.publish([unit]);
    return this.detail(id, p);
  }

  private async row(m: EntityManager, id: string, lock = false): Promise<Alert> {
    if (!/^\d{1,18}$/.test(id)) throw badRequest(`alert id must be a number, got "${id}"`);
    const row = await (lock ? alertByIdForUpdate(m, id) : alertById(m, id));
    if (!row) throw notFound(`no alert ${id}`);
    return row;
  }

  private summary(r: Alert): AlertSummary {
    const rule = RULES.get(r.ruleId);
    const isProvince = r.unitCode.length === 2;
    return {
      id: String(r.id),
      ruleId: r.ruleId,
      ruleNameVi: rule?.nameVi ?? r.ruleId,
      ruleNameEn: rule?.nameEn ?? r.ruleId,
      scope: `${isProvince ? 'province' : 'commune'}:${r.unitCode}`,
      unitCode: r.unitCode,
      unitName: isProvince ? this.units.province(r.unitCode).name : this.units.commune(r.unitCode).name,
      provinceCode: r.provinceCode,
      severity: r.severity,
      status: r.status,
      acknowledged: r.acknowledgedAt !== null,
      acknowledgedBy: r.acknowledgedBy,
      acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
      assignee: r.assignee,
      assigneeName: r.assigneeName ?? null,
      firedAt: r.firedAt.toISOString(),
      clearedAt: r.clearedAt?.toISOString() ?? null,
      updatedAt: r.updatedAt.toISOString(),
      firedValue: r.firedValue,
      lastValue: r.lastValue,
      unit: rule?.unit ?? '%',
    };
  }
}

const overrideOf = (r: AlertRuleOverride): RuleOverride => ({ ruleId: r.ruleId, unitCode: r.unitCode, params: r.params, updatedBy: r.updatedBy, updatedAt: r.updatedAt.toISOString() });
const unitScope = (unitCode: string) => (unitCode.length === 2 ? `province:${unitCode}` : `commune:${unitCode}`);
/** How an alert names who acted: the person's name and account. */
const actorName = (p: AuthedPrincipal) => `${p.displayName} (${p.username})`;
