import type { Severity } from '@ioc/shared';
import type { EntityManager } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { EscalationPolicyRow } from './notification.entities.js';

/*
 * The escalation policy (notification_escalation_policy, one row) and each alert's
 * escalation (notification_escalation, keyed by the alert; the alert itself is read
 * from the alerts module's `alert` table).
 */

/** An escalation still running, with what its alert says now. */
export interface OpenEscalation {
  alertId: string;
  startedAt: Date;
  ruleId: string;
  unitCode: string;
  provinceCode: string;
  severity: Severity;
  status: 'active' | 'cleared';
  firedAt: Date;
  clearedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  lastValue: number | null;
  firedValue: number;
}

const policies = (m: EntityManager) => m.getRepository(EscalationPolicyRow);

export function escalationPolicyRow(m: EntityManager): Promise<EscalationPolicyRow | null> {
  return policies(m).findOneBy({ id: 1 });
}

/** Sets the policy, by `updatedBy` now. */
export async function saveEscalationPolicy(m: EntityManager, p: Pick<EscalationPolicyRow, 'afterMinutes' | 'channelIds' | 'updatedBy'>): Promise<void> {
  await policies(m)
    .createQueryBuilder()
    .insert()
    .values({ id: 1, ...p, updatedAt: () => 'now()' })
    .orUpdate(['after_minutes', 'channel_ids', 'updated_by', 'updated_at'], ['id'])
    .execute();
}

/** The policy no longer escalates through a (deleted) channel. */
export async function dropChannelFromPolicy(q: Queryable, channelId: string): Promise<void> {
  await q.query('UPDATE notification_escalation_policy SET channel_ids = array_remove(channel_ids, $1::bigint)', [channelId]);
}

/** The policy escalates through this one channel (the demo's). */
export async function setPolicyChannel(q: Queryable, channelId: string, by: string): Promise<void> {
  await q.query('UPDATE notification_escalation_policy SET channel_ids = ARRAY[$1::bigint], updated_by = $2, updated_at = now() WHERE id = 1', [channelId, by]);
}

/** Starts tracking the escalation of alerts that fired (an alert already tracked is left as it is). */
export async function startEscalations(q: Queryable, fired: { alertId: string; startedAt: Date }[]): Promise<void> {
  await q.query(
    `INSERT INTO notification_escalation (alert_id, started_at)
     SELECT alert_id, started_at FROM json_to_recordset($1::json) AS x(alert_id bigint, started_at timestamptz)
     ON CONFLICT (alert_id) DO NOTHING`,
    [JSON.stringify(fired.map((f) => ({ alert_id: f.alertId, started_at: f.startedAt.toISOString() })))],
  );
}

/** The escalations still running, by alert, locked until the transaction ends (those another process holds are skipped). */
export async function openEscalations(q: Queryable): Promise<OpenEscalation[]> {
  return (await q.query(
    `SELECT e.alert_id AS "alertId", e.started_at AS "startedAt", a.rule_id AS "ruleId", a.unit_code AS "unitCode", a.province_code AS "provinceCode",
            a.severity, a.status, a.fired_at AS "firedAt", a.cleared_at AS "clearedAt", a.acknowledged_at AS "acknowledgedAt",
            a.acknowledged_by AS "acknowledgedBy", a.last_value AS "lastValue", a.fired_value AS "firedValue"
       FROM notification_escalation e JOIN alert a ON a.id = e.alert_id
      WHERE e.stopped_at IS NULL
      ORDER BY e.alert_id
      FOR UPDATE OF e SKIP LOCKED`,
  )) as OpenEscalation[];
}

/** Ends an escalation at level 0 (acknowledged or cleared before it escalated). */
export async function stopEscalation(q: Queryable, alertId: string, at: Date, reason: string): Promise<void> {
  await q.query('UPDATE notification_escalation SET stopped_at = $2, stop_reason = $3 WHERE alert_id = $1', [alertId, at, reason]);
}

/** An escalation went to level 1, the last one: it ends there. */
export async function escalatedToLastLevel(q: Queryable, alertId: string, at: Date): Promise<void> {
  await q.query('UPDATE notification_escalation SET level = 1, escalated_at = $2, stopped_at = $2, stop_reason = $3 WHERE alert_id = $1', [alertId, at, 'last_level']);
}
