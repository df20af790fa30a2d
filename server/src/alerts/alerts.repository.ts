import { type AlertStatus, type RuleParams, SEVERITIES, type Severity } from '@ioc/shared';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { User } from '../auth/user.entity.js';
import { activeAccountsOfRoles } from '../auth/users.repository.js';
import type { Queryable } from '../database/queryable.js';
import { Alert, AlertEvaluation, AlertEvent, AlertRuleOverride } from './alert.entities.js';

/*
 * Alerts (table alert), their history (alert_event), the rules' overrides
 * (alert_rule_override) and the last evaluation (alert_evaluation) as operators read
 * and handle them. Every function takes the EntityManager to run on: the DataSource's,
 * or a transaction's, so a change, its event and its audit entry commit together.
 */

/** Which alerts a page holds: every condition given must hold. */
export interface AlertFilter {
  status?: AlertStatus;
  acknowledged?: boolean;
  severities?: Severity[];
  provinceCode?: string;
  unitCode?: string;
  ruleId?: string;
  assignee?: string;
  /** Fired at or after. */
  firedFrom?: Date;
  /** Fired before. */
  firedBefore?: Date;
}

/** An entry of an alert's history, as the API shows it. */
export type AlertHistoryEntry = Pick<AlertEvent, 'id' | 'at' | 'actor' | 'action' | 'fromState' | 'toState' | 'note' | 'details'>;
/** The roles whose accounts may be given alerts. */
const ASSIGNABLE_ROLES = ['admin', 'operator', 'commune_chair'] as const;
/** An account an alert may be assigned to. */
export type AssignableAccount = Pick<User, 'username' | 'displayName' | 'scope'> & { role: (typeof ASSIGNABLE_ROLES)[number] };

const alerts = (m: EntityManager) => m.getRepository(Alert);
const events = (m: EntityManager) => m.getRepository(AlertEvent);
const overrides = (m: EntityManager) => m.getRepository(AlertRuleOverride);

/** Every column of `alert_rule_override`, named as AlertRuleOverride's properties. */
const OVERRIDE_COLUMNS = `rule_id AS "ruleId", unit_code AS "unitCode", params, updated_by AS "updatedBy", updated_at AS "updatedAt"`;

/** Active first, most severe first, newest first. */
function openFirst(q: SelectQueryBuilder<Alert>): SelectQueryBuilder<Alert> {
  return q
    .orderBy(`a.status = 'active'`, 'DESC')
    .addOrderBy(`array_position(ARRAY[${SEVERITIES.map((x) => `'${x}'`).join(', ')}], a.severity)`, 'ASC')
    .addOrderBy('a.firedAt', 'DESC')
    .addOrderBy('a.id', 'DESC');
}

/** A page of the alerts that match `f`, open first (see openFirst), and how many match in all. */
export async function alertPage(m: EntityManager, f: AlertFilter, limit: number, offset: number): Promise<{ total: number; rows: Alert[] }> {
  const q = alerts(m).createQueryBuilder('a');
  if (f.status !== undefined) q.andWhere('a.status = :status', { status: f.status });
  if (f.acknowledged !== undefined) q.andWhere(`a.acknowledgedAt IS ${f.acknowledged ? 'NOT ' : ''}NULL`);
  if (f.severities !== undefined) q.andWhere('a.severity = ANY(:severities)', { severities: f.severities });
  if (f.provinceCode !== undefined) q.andWhere('a.provinceCode = :province', { province: f.provinceCode });
  if (f.unitCode !== undefined) q.andWhere('a.unitCode = :unit', { unit: f.unitCode });
  if (f.ruleId !== undefined) q.andWhere('a.ruleId = :rule', { rule: f.ruleId });
  if (f.assignee !== undefined) q.andWhere('a.assignee = :assignee', { assignee: f.assignee });
  if (f.firedFrom !== undefined) q.andWhere('a.firedAt >= :from', { from: f.firedFrom });
  if (f.firedBefore !== undefined) q.andWhere('a.firedAt < :before', { before: f.firedBefore });
  const total = await q.getCount();
  const rows = await openFirst(q).limit(limit).offset(offset).getMany();
  return { total, rows };
}

/** Up to `limit` open alerts (active, or cleared and not yet acknowledged) of a province or a commune (null: any), open first (see openFirst). */
export function openAlerts(m: EntityManager, within: { provinceCode: string | null; unitCode: string | null }, limit: number): Promise<Alert[]> {
  const q = alerts(m).createQueryBuilder('a').where(`(a.status = 'active' OR a.acknowledgedAt IS NULL)`);
  if (within.provinceCode !== null) q.andWhere('a.provinceCode = :province', { province: within.provinceCode });
  if (within.unitCode !== null) q.andWhere('a.unitCode = :unit', { unit: within.unitCode });
  return openFirst(q).limit(limit).getMany();
}

export function alertById(m: EntityManager, id: string): Promise<Alert | null> {
  return alerts(m).findOneBy({ id });
}

/** The alert, locked until the transaction ends. */
export function alertByIdForUpdate(m: EntityManager, id: string): Promise<Alert | null> {
  return alerts(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

export async function acknowledgeAlert(m: EntityManager, id: string, at: Date, by: string): Promise<void> {
  await alerts(m).update({ id }, { acknowledgedAt: at, acknowledgedBy: by, updatedAt: at });
}

export async function assignAlert(m: EntityManager, id: string, assignee: string, at: Date): Promise<void> {
  await alerts(m).update({ id }, { assignee, updatedAt: at });
}

/** An alert's history, oldest first. */
export function alertHistory(m: EntityManager, alertId: string): Promise<AlertHistoryEntry[]> {
  return events(m).find({
    select: { id: true, at: true, actor: true, action: true, fromState: true, toState: true, note: true, details: true },
    where: { alertId },
    order: { id: 'ASC' },
  });
}

/** Adds what a person did to an alert's history. */
export async function recordAlertEvent(q: Queryable, e: Pick<AlertEvent, 'alertId' | 'at' | 'actor' | 'action' | 'fromState' | 'toState' | 'note'>): Promise<void> {
  await q.query('INSERT INTO alert_event (alert_id, at, actor, action, from_state, to_state, note) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    e.alertId,
    e.at,
    e.actor,
    e.action,
    e.fromState === null ? null : JSON.stringify(e.fromState),
    e.toState === null ? null : JSON.stringify(e.toState),
    e.note,
  ]);
}

/** When the engine last evaluated the rules; null before its first evaluation. */
export function lastEvaluation(m: EntityManager): Promise<AlertEvaluation | null> {
  return m.getRepository(AlertEvaluation).findOneBy({ id: true });
}

/** The active accounts that may be given alerts: administrators last, then by role, name and username. */
export function assignableAccounts(m: EntityManager): Promise<AssignableAccount[]> {
  return activeAccountsOfRoles(m, ASSIGNABLE_ROLES);
}

/** How many overrides each rule has (rules without any are absent). */
export async function overrideCounts(q: Queryable): Promise<Map<string, number>> {
  const rows = (await q.query('SELECT rule_id AS "ruleId", count(*)::int AS n FROM alert_rule_override GROUP BY rule_id')) as { ruleId: string; n: number }[];
  return new Map(rows.map((r) => [r.ruleId, r.n]));
}

/** A rule's overrides, by unit code. */
export function overridesOfRule(m: EntityManager, ruleId: string): Promise<AlertRuleOverride[]> {
  return overrides(m).find({ where: { ruleId }, order: { unitCode: 'ASC' } });
}

/** Merges `params` into a unit's override of a rule (creating it), by `by` now; answers the override as it now is. */
export async function mergeOverride(q: Queryable, ruleId: string, unitCode: string, params: Partial<RuleParams>, by: string): Promise<AlertRuleOverride> {
  const [row] = (await q.query(
    `INSERT INTO alert_rule_override (rule_id, unit_code, params, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (rule_id, unit_code) DO UPDATE SET params = alert_rule_override.params || excluded.params, updated_by = excluded.updated_by, updated_at = now()
     RETURNING ${OVERRIDE_COLUMNS}`,
    [ruleId, unitCode, JSON.stringify(params), by],
  )) as AlertRuleOverride[];
  return row!;
}

/** Deletes a unit's override of a rule; answers the parameters it set, or null when there was none. */
export async function removeOverride(q: Queryable, ruleId: string, unitCode: string): Promise<Partial<RuleParams> | null> {
  // Selected from a WITH: TypeORM answers a DELETE with [rows, count], a SELECT with its rows.
  const [gone] = (await q.query('WITH d AS (DELETE FROM alert_rule_override WHERE rule_id = $1 AND unit_code = $2 RETURNING params) SELECT params FROM d', [ruleId, unitCode])) as Pick<
    AlertRuleOverride,
    'params'
  >[];
  return gone?.params ?? null;
}
