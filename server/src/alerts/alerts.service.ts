import { Inject, Injectable } from '@nestjs/common';
import {
  type AlertAssignee,
  type AlertDetail,
  type AlertEvaluationStatus,
  type AlertEventEntry,
  type AlertListResponse,
  type AlertSummary,
  DEFAULT_RULES,
  MAX_LIVE_ALERTS,
  type RuleDefinition,
  type RuleOverride,
  type RuleParams,
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
import type { AlertRow } from './alert-row.js';

const RULES = new Map(DEFAULT_RULES.map((r) => [r.id, r]));
/** Active first, most severe first, newest first. */
/** An alert row with the full name of the person it is assigned to. */
const ALERT = `SELECT alert.*, (SELECT display_name FROM app_user WHERE username = alert.assignee) AS assignee_name FROM alert`;
const OPEN_FIRST = `ORDER BY status = 'active' DESC, array_position(ARRAY[${SEVERITIES.map((x) => `'${x}'`).join(', ')}], severity), fired_at DESC, id DESC`;

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
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => `$${args.push(v)}`;
    if (q.status !== undefined) {
      if (q.status !== 'active' && q.status !== 'cleared') throw badRequest(`status must be active or cleared, got "${q.status}"`);
      where.push(`status = ${arg(q.status)}`);
    }
    if (q.acknowledged !== undefined) {
      if (q.acknowledged !== 'true' && q.acknowledged !== 'false') throw badRequest(`acknowledged must be true or false, got "${q.acknowledged}"`);
      where.push(`acknowledged_at IS ${q.acknowledged === 'true' ? 'NOT ' : ''}NULL`);
    }
    if (q.severity !== undefined) {
      const list = q.severity.split(',');
      const bad = list.filter((s) => !SEVERITIES.includes(s as Severity));
      if (bad.length) throw badRequest(`severity must be among ${SEVERITIES.join(', ')}, got "${bad.join(',')}"`);
      where.push(`severity = ANY(${arg(list)})`);
    }
    const s = parseScope(scopeText)!;
    if (s.kind === 'province') where.push(`province_code = ${arg(s.code)}`);
    else if (s.kind === 'commune') where.push(`unit_code = ${arg(s.code)}`);
    if (q.rule !== undefined) {
      if (!RULES.has(q.rule)) throw badRequest(`rule must be one of ${[...RULES.keys()].join(', ')}, got "${q.rule}"`);
      where.push(`rule_id = ${arg(q.rule)}`);
    }
    if (q.assignee !== undefined) {
      if (q.assignee.trim() === '') throw badRequest('assignee must be "me" or a username');
      where.push(`assignee = ${arg(q.assignee === 'me' ? p.username : q.assignee.trim())}`);
    }
    for (const [name, v] of [['from', q.from], ['to', q.to]] as const) {
      if (v !== undefined && !isLocalDate(v)) throw badRequest(`${name} must be a date YYYY-MM-DD, got "${v}"`);
    }
    if (q.from) where.push(`fired_at >= ${arg(new Date(startOfLocalDate(q.from)))}`);
    if (q.to) where.push(`fired_at < ${arg(new Date(startOfLocalDate(q.to) + DAY_MS))}`);
    const page = positive(q.page, 'page', 1, 1_000_000);
    const pageSize = positive(q.pageSize, 'pageSize', 50, 200);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = (await this.db.query(`SELECT count(*)::int AS total FROM alert ${filter}`, args)) as { total: number }[];
    const rows = (await this.db.query(
      `${ALERT} ${filter}
        ${OPEN_FIRST}
        LIMIT ${arg(pageSize)} OFFSET ${arg((page - 1) * pageSize)}`,
      args,
    )) as AlertRow[];
    return { total, page, pageSize, items: rows.map((r) => this.summary(r)) };
  }

  /** A scope's open alerts: active, or cleared and not yet acknowledged; most severe and newest first. */
  async open(scope: Scope, limit = MAX_LIVE_ALERTS): Promise<AlertSummary[]> {
    const rows = (await this.db.query(
      `${ALERT}
        WHERE (status = 'active' OR acknowledged_at IS NULL)
          AND ($1::text IS NULL OR province_code = $1) AND ($2::text IS NULL OR unit_code = $2)
        ${OPEN_FIRST}
        LIMIT $3`,
      [scope.kind === 'province' ? scope.code : null, scope.kind === 'commune' ? scope.code : null, limit],
    )) as AlertRow[];
    return rows.map((r) => this.summary(r));
  }

  async detail(id: string, p: AuthedPrincipal): Promise<AlertDetail> {
    const row = await this.row(this.db.manager, id);
    this.access.assert(p, 'alerts', this.units.unitRef(row.unit_code));
    const events = (await this.db.query('SELECT * FROM alert_event WHERE alert_id = $1 ORDER BY id', [row.id])) as {
      id: string;
      at: Date;
      actor: string;
      action: AlertEventEntry['action'];
      from_state: Record<string, unknown> | null;
      to_state: Record<string, unknown> | null;
      note: string | null;
      details: Record<string, unknown> | null;
    }[];
    const rule = RULES.get(row.rule_id);
    return {
      ...this.summary(row),
      rule: { id: row.rule_id, kind: rule?.kind ?? 'kpi', level: rule?.level ?? 'commune', kpi: rule?.kpi ?? null, windowDays: rule?.windowDays ?? null, params: row.params },
      firedDetails: row.details,
      history: events.map((e) => ({ id: String(e.id), at: e.at.toISOString(), actor: e.actor, action: e.action, from: e.from_state, to: e.to_state, note: e.note, details: e.details })),
    };
  }

  acknowledge(id: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<AlertDetail> {
    const b = parseBody(alertAcknowledgeBodySchema, body);
    return this.act(id, p, client, async (m, row, at, actor) => {
      if (row.acknowledged_at) throw conflict(`alert ${id} was already acknowledged by ${row.acknowledged_by} at ${row.acknowledged_at.toISOString()}`);
      await m.query('UPDATE alert SET acknowledged_at = $2, acknowledged_by = $3, updated_at = $2 WHERE id = $1', [row.id, at, actor]);
      return { action: 'acknowledged', note: b.note ?? null, from: { acknowledged: false }, to: { acknowledged: true } };
    });
  }

  /** Assigns an alert to one of the people who may act on its unit (see `assignees`). */
  assign(id: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<AlertDetail> {
    const b = parseBody(alertAssignBodySchema, body);
    return this.act(id, p, client, async (m, row, at) => {
      const who = (await this.assigneesOf(row.unit_code, m)).find((u) => u.username.toLowerCase() === b.assignee.toLowerCase());
      if (!who) throw badRequest(`assignee: ${b.assignee} is not an active account that may act on the alerts of ${this.units.scopeName(this.units.unitRef(row.unit_code))}`);
      if (row.assignee === who.username) throw conflict(`alert ${id} is already assigned to ${who.username}`);
      await m.query('UPDATE alert SET assignee = $2, updated_at = $3 WHERE id = $1', [row.id, who.username, at]);
      return { action: 'assigned', note: b.note ?? null, from: { assignee: row.assignee }, to: { assignee: who.username, name: who.displayName } };
    });
  }

  /** The people an alert may be assigned to: the active accounts that may act on its unit (operators of its province, the commune's chair, administrators). */
  async assignees(id: string, p: AuthedPrincipal): Promise<AlertAssignee[]> {
    const row = await this.row(this.db.manager, id);
    this.access.assert(p, 'alerts.act', this.units.unitRef(row.unit_code));
    return this.assigneesOf(row.unit_code);
  }

  private async assigneesOf(unitCode: string, m: EntityManager = this.db.manager): Promise<AlertAssignee[]> {
    const unit = this.units.unitRef(unitCode);
    const rows = (await m.query(
      `SELECT username, display_name, role, scope FROM app_user WHERE active AND role IN ('admin', 'operator', 'commune_chair') ORDER BY role = 'admin', role, display_name, username`,
    )) as { username: string; display_name: string; role: AlertAssignee['role']; scope: string }[];
    return rows
      .filter((r) => {
        const s = parseScope(r.scope);
        const ref = s && this.units.ref(s);
        return ref ? this.access.can({ role: r.role, scope: ref } as AuthedPrincipal, 'alerts.act', unit) : false;
      })
      .map((r) => ({ username: r.username, displayName: r.display_name, role: r.role, scope: r.scope }));
  }

  /** When the engine last evaluated the rules (null before its first evaluation). */
  async evaluation(): Promise<AlertEvaluationStatus> {
    const [row] = (await this.db.query('SELECT evaluated_at, evaluated FROM alert_evaluation')) as { evaluated_at: Date; evaluated: number }[];
    const every = this.config.alerts.evaluateEveryMs;
    return { evaluatedAt: row?.evaluated_at.toISOString() ?? null, evaluated: row?.evaluated ?? null, everySeconds: every > 0 ? every / 1000 : null };
  }

  comment(id: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<AlertDetail> {
    const b = parseBody(alertCommentBodySchema, body);
    return this.act(id, p, client, () => Promise.resolve({ action: 'commented', note: b.note, from: null, to: null }));
  }

  async rules(): Promise<RuleResponse[]> {
    const counts = new Map(
      ((await this.db.query('SELECT rule_id, count(*)::int AS n FROM alert_rule_override GROUP BY rule_id')) as { rule_id: string; n: number }[]).map((r) => [r.rule_id, r.n]),
    );
    return DEFAULT_RULES.map((r) => ({ ...r, overrides: counts.get(r.id) ?? 0 }));
  }

  /** A rule's overrides on the units whose alerts the caller may read. */
  async overrides(ruleId: string, p: AuthedPrincipal): Promise<RuleOverride[]> {
    this.rule(ruleId);
    const rows = (await this.db.query('SELECT * FROM alert_rule_override WHERE rule_id = $1 ORDER BY unit_code', [ruleId])) as {
      rule_id: string;
      unit_code: string;
      params: Partial<RuleParams>;
      updated_by: string;
      updated_at: Date;
    }[];
    return rows
      .filter((r) => this.access.can(p, 'alerts', this.units.unitRef(r.unit_code)))
      .map((r) => ({ ruleId: r.rule_id, unitCode: r.unit_code, params: r.params, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString() }));
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
      const [r] = (await m.query(
        `INSERT INTO alert_rule_override (rule_id, unit_code, params, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (rule_id, unit_code) DO UPDATE SET params = alert_rule_override.params || excluded.params, updated_by = excluded.updated_by, updated_at = now()
         RETURNING *`,
        [ruleId, unitCode, JSON.stringify(params), actorName(p)],
      )) as { rule_id: string; unit_code: string; params: Partial<RuleParams>; updated_by: string; updated_at: Date }[];
      await this.audit.record({ action: 'rule.override_set', actor: p.username, target: `rule:${ruleId}@${unitScope(unitCode)}`, ip: client.ip, details: { set: params, now: r!.params } }, m);
      return r;
    });
    return { ruleId: row!.rule_id, unitCode: row!.unit_code, params: row!.params, updatedBy: row!.updated_by, updatedAt: row!.updated_at.toISOString() };
  }

  async deleteOverride(ruleId: string, unitCode: string, p: AuthedPrincipal, client: Client): Promise<void> {
    this.checkUnit(this.rule(ruleId), unitCode);
    this.access.assert(p, 'rules.write', this.units.unitRef(unitCode));
    await inTransaction(this.db, async (m) => {
      const [gone] = (await m.query('WITH d AS (DELETE FROM alert_rule_override WHERE rule_id = $1 AND unit_code = $2 RETURNING params) SELECT params FROM d', [ruleId, unitCode])) as {
        params: Partial<RuleParams>;
      }[];
      if (!gone) throw notFound(`rule ${ruleId} has no override for ${unitCode}`);
      await this.audit.record({ action: 'rule.override_delete', actor: p.username, target: `rule:${ruleId}@${unitScope(unitCode)}`, ip: client.ip, details: { removed: gone.params } }, m);
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
    throw badRequest(rule.level === 'commune' ? `unit must be a province (2 digits) or a commune (5 digits), got "${unitCode}"` : `rule ${rule.id} applies to provinces: unit must be a province code (2 digits), got "${unitCode}"`);
  }

  private async act(
    id: string,
    p: AuthedPrincipal,
    client: Client,
    change: (m: EntityManager, row: AlertRow, at: string, actor: string) => Promise<{ action: 'acknowledged' | 'assigned' | 'commented'; note: string | null; from: unknown; to: unknown }>,
  ): Promise<AlertDetail> {
    const actor = actorName(p);
    const unit = await inTransaction(this.db, async (m) => {
      const row = await this.row(m, id, true);
      this.access.assert(p, 'alerts.act', this.units.unitRef(row.unit_code));
      const at = new Date().toISOString();
      const e = await change(m, row, at, actor);
      await this.audit.record(
        {
          action: e.action === 'acknowledged' ? 'alert.acknowledge' : e.action === 'assigned' ? 'alert.assign' : 'alert.comment',
          actor: p.username,
          target: `alert:${row.id}`,
          ip: client.ip,
          details: { rule: row.rule_id, unit: row.unit_code, ...(e.note ? { note: e.note } : {}), ...(e.to ? { to: e.to } : {}) },
        },
        m,
      );
      await m.query('INSERT INTO alert_event (alert_id, at, actor, action, from_state, to_state, note) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        row.id,
        at,
        actor,
        e.action,
        e.from === null ? null : JSON.stringify(e.from),
        e.to === null ? null : JSON.stringify(e.to),
        e.note,
      ]);
      return row.unit_code;
    });
    this.changes.publish([unit]);
    return this.detail(id, p);
  }

  private async row(m: EntityManager, id: string, lock = false): Promise<AlertRow> {
    if (!/^\d{1,18}$/.test(id)) throw badRequest(`alert id must be a number, got "${id}"`);
    const [row] = (await m.query(`${ALERT} WHERE id = $1${lock ? ' FOR UPDATE OF alert' : ''}`, [id])) as AlertRow[];
    if (!row) throw notFound(`no alert ${id}`);
    return row;
  }

  private summary(r: AlertRow): AlertSummary {
    const rule = RULES.get(r.rule_id);
    const isProvince = r.unit_code.length === 2;
    return {
      id: String(r.id),
      ruleId: r.rule_id,
      ruleNameVi: rule?.nameVi ?? r.rule_id,
      ruleNameEn: rule?.nameEn ?? r.rule_id,
      scope: `${isProvince ? 'province' : 'commune'}:${r.unit_code}`,
      unitCode: r.unit_code,
      unitName: isProvince ? this.units.province(r.unit_code).name : this.units.commune(r.unit_code).name,
      provinceCode: r.province_code,
      severity: r.severity,
      status: r.status,
      acknowledged: r.acknowledged_at !== null,
      acknowledgedBy: r.acknowledged_by,
      acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
      assignee: r.assignee,
      assigneeName: r.assignee_name ?? null,
      firedAt: r.fired_at.toISOString(),
      clearedAt: r.cleared_at?.toISOString() ?? null,
      updatedAt: r.updated_at.toISOString(),
      firedValue: r.fired_value,
      lastValue: r.last_value,
      unit: rule?.unit ?? '%',
    };
  }
}

const unitScope = (unitCode: string) => (unitCode.length === 2 ? `province:${unitCode}` : `commune:${unitCode}`);
/** How an alert names who acted: the person's name and account. */
const actorName = (p: AuthedPrincipal) => `${p.displayName} (${p.username})`;
