import type { RuleParams, Severity } from '@ioc/shared';
import type { EntityManager } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { AlertRuleOverride } from './alert.entities.js';

/*
 * The alert tables as an evaluation (one tick of the engine) reads and writes them, on
 * its transaction. Set-based: each kind of change is one statement whatever the number
 * of units, its rows sent as one JSON value (json_to_recordset); the states and active
 * alerts, thousands of rows, are read as one JSON value each, parsed natively.
 */

/** A rule's state for a unit, as alert_state keeps it (times as ISO strings). */
export interface StateRecord {
  rule_id: string;
  unit_code: string;
  pending_since: string | null;
  clear_since: string | null;
  active: Severity | null;
  last_value: number | null;
}

/** An alert to fire; `params` is its parameters' position in the list sent with it. */
export interface FiredRecord {
  rule_id: string;
  unit_code: string;
  province_code: string;
  severity: Severity;
  fired_value: number | null;
  params: number;
  details: Record<string, unknown>;
}

/** An escalation, lowering or clearance of an active alert, and the event that records it. */
export interface TransitionRecord {
  id: string;
  cleared: boolean;
  /** The alert's severity after the transition (a clearance keeps it). */
  severity: Severity;
  value: number | null;
  action: 'escalated' | 'deescalated' | 'cleared';
  from_state: Record<string, unknown>;
  to_state: Record<string, unknown>;
  note: string | null;
  details: Record<string, unknown>;
}

/** The latest value of an active alert. */
export interface LastValueRecord {
  id: string;
  value: number;
}

/** A state that is not the initial one; times as epoch ms, as a Date read from the row holds them. */
export type StateTuple = [ruleId: string, unitCode: string, pendingSince: number | null, clearSince: number | null, active: Severity | null, lastValue: number | null];
export type ActiveAlertTuple = [id: string, ruleId: string, unitCode: string, severity: Severity, lastValue: number | null];

/** The evaluation's lock for this transaction; false while another process holds it. */
export async function tryEvaluationLock(q: Queryable, key: string): Promise<boolean> {
  const [row] = (await q.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [key])) as { ok: boolean }[];
  return row!.ok;
}

/** Every override of every rule. */
export function ruleOverrides(m: EntityManager): Promise<Pick<AlertRuleOverride, 'ruleId' | 'unitCode' | 'params'>[]> {
  return m.getRepository(AlertRuleOverride).find({ select: { ruleId: true, unitCode: true, params: true } });
}

/** The states that are not the initial one (the last value alone decides nothing). */
export async function ruleStates(q: Queryable): Promise<StateTuple[]> {
  const [{ rows }] = (await q.query(
    `SELECT coalesce(json_agg(json_build_array(rule_id, unit_code, floor(extract(epoch FROM pending_since) * 1000), floor(extract(epoch FROM clear_since) * 1000), active, last_value)), '[]') AS rows
       FROM alert_state WHERE pending_since IS NOT NULL OR clear_since IS NOT NULL OR active IS NOT NULL`,
  )) as { rows: StateTuple[] }[];
  return rows;
}

export async function activeAlerts(q: Queryable): Promise<ActiveAlertTuple[]> {
  const [{ rows }] = (await q.query(`SELECT coalesce(json_agg(json_build_array(id::text, rule_id, unit_code, severity, last_value)), '[]') AS rows FROM alert WHERE status = 'active'`)) as {
    rows: ActiveAlertTuple[];
  }[];
  return rows;
}

/** Inserts or replaces the states of `rows`. */
export async function saveStates(q: Queryable, rows: StateRecord[]): Promise<void> {
  await q.query(
    `INSERT INTO alert_state AS s (rule_id, unit_code, pending_since, clear_since, active, last_value)
     SELECT rule_id, unit_code, pending_since, clear_since, active, last_value
       FROM json_to_recordset($1::json) AS x(rule_id text, unit_code text, pending_since timestamptz, clear_since timestamptz, active text, last_value float8)
     ON CONFLICT (rule_id, unit_code) DO UPDATE SET pending_since = excluded.pending_since, clear_since = excluded.clear_since,
       active = excluded.active, last_value = excluded.last_value`,
    [JSON.stringify(rows)],
  );
}

/**
 * Fires the alerts of `rows` at `at`, each with its 'fired' event; `params` are the
 * parameters they name by position. The unique index on active alerts drops a second
 * one for the same rule and unit.
 */
export async function fireAlerts(q: Queryable, rows: FiredRecord[], at: string, params: RuleParams[]): Promise<void> {
  await q.query(
    `WITH f AS (
       INSERT INTO alert (rule_id, unit_code, province_code, severity, status, fired_at, updated_at, fired_value, last_value, params, details)
       SELECT rule_id, unit_code, province_code, severity, 'active', $2, $2, fired_value, fired_value, $3::jsonb -> params, details
         FROM json_to_recordset($1::json) AS x(rule_id text, unit_code text, province_code text, severity text, fired_value float8, params int, details jsonb)
       ON CONFLICT (rule_id, unit_code) WHERE status = 'active' DO NOTHING
       RETURNING id, severity, fired_value, details)
     INSERT INTO alert_event (alert_id, at, actor, action, from_state, to_state, details)
     SELECT id, $2, 'system', 'fired', NULL, jsonb_build_object('status', 'active', 'severity', severity, 'acknowledged', false),
            jsonb_build_object('value', fired_value) || details FROM f`,
    [JSON.stringify(rows), at, JSON.stringify(params)],
  );
}

/** Applies the transitions of `rows` at `at` to the alerts still active, then records their events: one statement each. */
export async function applyTransitions(q: Queryable, rows: TransitionRecord[], at: string): Promise<void> {
  await q.query(
    `UPDATE alert a SET severity = x.severity, last_value = x.value, updated_at = $2,
            status = CASE WHEN x.cleared THEN 'cleared' ELSE a.status END,
            cleared_at = CASE WHEN x.cleared THEN $2::timestamptz ELSE a.cleared_at END
       FROM json_to_recordset($1::json) AS x(id bigint, cleared boolean, severity text, value float8)
      WHERE a.id = x.id AND a.status = 'active'`,
    [JSON.stringify(rows), at],
  );
  await q.query(
    `INSERT INTO alert_event (alert_id, at, actor, action, from_state, to_state, note, details)
     SELECT id, $2, 'system', action, from_state, to_state, note, details
       FROM json_to_recordset($1::json) AS x(id bigint, action text, from_state jsonb, to_state jsonb, note text, details jsonb)`,
    [JSON.stringify(rows), at],
  );
}

/** Records when the rules were last evaluated, and how many rule × unit pairs. */
export async function recordEvaluation(q: Queryable, at: string, evaluated: number): Promise<void> {
  await q.query(
    `INSERT INTO alert_evaluation (id, evaluated_at, evaluated) VALUES (true, $1, $2)
     ON CONFLICT (id) DO UPDATE SET evaluated_at = excluded.evaluated_at, evaluated = excluded.evaluated`,
    [at, evaluated],
  );
}

export async function setLastValues(q: Queryable, rows: LastValueRecord[]): Promise<void> {
  await q.query(`UPDATE alert a SET last_value = x.value FROM json_to_recordset($1::json) AS x(id bigint, value float8) WHERE a.id = x.id`, [JSON.stringify(rows)]);
}
