import type { Severity } from '@ioc/shared';
import type { EntityManager } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { NotificationCursor } from './notification.entities.js';

/*
 * The alert trail as the dispatcher reads it: the transitions (the alerts module's
 * alert_event, with their alert) after the cursor (notification_cursor) of the
 * transitions already turned into messages.
 */

/** A transition of an alert, with what the alert says now. */
export interface AlertTransition {
  eventId: string;
  alertId: string;
  at: Date;
  action: 'fired' | 'escalated' | 'deescalated' | 'cleared' | 'assigned';
  actor: string;
  note: string | null;
  /** The alert's severity now (an assignment carries none of its own). */
  severity: Severity;
  fromState: { severity?: Severity } | null;
  toState: { severity?: Severity; assignee?: string } | null;
  details: { value?: number | null } | null;
  ruleId: string;
  unitCode: string;
  provinceCode: string;
  firedAt: Date;
  clearedAt: Date | null;
}

const cursors = (m: EntityManager) => m.getRepository(NotificationCursor);

/** The id of the last transition turned into messages, locked until the transaction ends; null while another process holds it. */
export async function dispatchCursor(m: EntityManager): Promise<string | null> {
  const row = await cursors(m).findOne({ select: { id: true, alertEventId: true }, where: { id: 1 }, lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' } });
  return row?.alertEventId ?? null;
}

export async function advanceDispatchCursor(m: EntityManager, eventId: string): Promise<void> {
  await cursors(m).update({ id: 1 }, { alertEventId: eventId });
}

/** Whether the demo's notifications were set up, locked until the transaction ends; null without a cursor row. */
export async function demoSeeded(m: EntityManager): Promise<boolean | null> {
  const row = await cursors(m).findOne({ select: { id: true, demoSeeded: true }, where: { id: 1 }, lock: { mode: 'pessimistic_write' } });
  return row?.demoSeeded ?? null;
}

export async function markDemoSeeded(m: EntityManager): Promise<void> {
  await cursors(m).update({ id: 1 }, { demoSeeded: true });
}

/** Up to `limit` transitions after `eventId` made by the engine ('system'), and every assignment, in order. */
export async function transitionsAfter(q: Queryable, eventId: string, limit: number): Promise<AlertTransition[]> {
  return (await q.query(
    `SELECT e.id AS "eventId", e.alert_id AS "alertId", e.at, e.action, e.actor, e.note, e.from_state AS "fromState", e.to_state AS "toState", e.details,
            a.rule_id AS "ruleId", a.unit_code AS "unitCode", a.province_code AS "provinceCode", a.fired_at AS "firedAt", a.cleared_at AS "clearedAt", a.severity
       FROM alert_event e JOIN alert a ON a.id = e.alert_id
      WHERE e.id > $1 AND (e.actor = 'system' OR e.action = 'assigned')
      ORDER BY e.id LIMIT ${Number(limit)}`,
    [eventId],
  )) as AlertTransition[];
}
