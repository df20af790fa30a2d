import type { AlertEventEntry, AlertStatus, RuleParams, Severity } from '@ioc/shared';
import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, VirtualColumn } from 'typeorm';
import { displayNameOfUsernameSql } from '../auth/users.repository.js';

/*
 * The alert tables as migrations 1763884800000-alerts and 1765526400000-alert-evaluation
 * made them (they own the schema; these map it). Ids of bigserial columns are read as
 * strings. The engine's set-based reads and writes of a tick are in alert-store.ts, the
 * service's in alerts.repository.ts.
 */

/** A province's or a commune's parameters of a rule, merged over the rule's defaults. */
@Entity('alert_rule_override')
export class AlertRuleOverride {
  @PrimaryColumn('text', { name: 'rule_id', primaryKeyConstraintName: 'alert_rule_override_pkey' })
  ruleId!: string;

  /** A province (2 digits) or a commune (5 digits). */
  @PrimaryColumn('text', { name: 'unit_code', primaryKeyConstraintName: 'alert_rule_override_pkey' })
  unitCode!: string;

  @Column('jsonb')
  params!: Partial<RuleParams>;

  @Column('text', { name: 'updated_by' })
  updatedBy!: string;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}

/** Where a rule stands for a unit between evaluations (pending, active, clearing); units in the initial state may have no row. */
@Entity('alert_state')
export class AlertState {
  @PrimaryColumn('text', { name: 'rule_id', primaryKeyConstraintName: 'alert_state_pkey' })
  ruleId!: string;

  @PrimaryColumn('text', { name: 'unit_code', primaryKeyConstraintName: 'alert_state_pkey' })
  unitCode!: string;

  @Column('timestamptz', { name: 'pending_since', nullable: true })
  pendingSince!: Date | null;

  @Column('timestamptz', { name: 'clear_since', nullable: true })
  clearSince!: Date | null;

  /** The severity of the active alert, if any. */
  @Column('text', { nullable: true })
  active!: Severity | null;

  @Column('double precision', { name: 'last_value', nullable: true })
  lastValue!: number | null;
}

/** An alert: fired by the engine for a rule and a unit, at most one active per rule and unit. */
@Entity('alert')
@Check('alert_severity_check', `severity IN ('critical', 'major', 'minor', 'warning')`)
@Check('alert_status_check', `status IN ('active', 'cleared')`)
// Indexes: the unique (rule_id, unit_code) of active alerts, (fired_at DESC) and (province_code, fired_at DESC): the migration's, which TypeORM leaves alone.
@Index('alert_one_active', { synchronize: false })
@Index('alert_fired_idx', { synchronize: false })
@Index('alert_province_idx', { synchronize: false })
export class Alert {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'alert_pkey' })
  id!: string;

  @Column('text', { name: 'rule_id' })
  ruleId!: string;

  @Column('text', { name: 'unit_code' })
  unitCode!: string;

  @Column('char', { name: 'province_code', length: 2 })
  provinceCode!: string;

  @Column('text')
  severity!: Severity;

  @Column('text')
  status!: AlertStatus;

  @Column('timestamptz', { name: 'fired_at' })
  firedAt!: Date;

  @Column('timestamptz', { name: 'cleared_at', nullable: true })
  clearedAt!: Date | null;

  @Column('timestamptz', { name: 'acknowledged_at', nullable: true })
  acknowledgedAt!: Date | null;

  /** Who acknowledged it: the person's name and account. */
  @Column('text', { name: 'acknowledged_by', nullable: true })
  acknowledgedBy!: string | null;

  /** The username of the person it is assigned to. */
  @Column('text', { nullable: true })
  assignee!: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('double precision', { name: 'fired_value' })
  firedValue!: number;

  @Column('double precision', { name: 'last_value', nullable: true })
  lastValue!: number | null;

  /** The rule's parameters as evaluated when it fired (defaults with the overrides). */
  @Column('jsonb')
  params!: RuleParams;

  /** What was measured when it fired. */
  @Column('jsonb')
  details!: Record<string, unknown>;

  /** The full name of the person it is assigned to (auth's account), read with the alert; no column. */
  @VirtualColumn('text', { query: (alias) => displayNameOfUsernameSql(`${alias}.assignee`) })
  assigneeName!: string | null;
}

/** One entry of an alert's history: a transition of the engine, or what a person did. */
@Entity('alert_event')
// Index (alert_id, id): the migration's, which TypeORM leaves alone.
@Index('alert_event_alert_idx', { synchronize: false })
export class AlertEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'alert_event_pkey' })
  id!: string;

  @Column('bigint', { name: 'alert_id' })
  @ForeignKey(() => Alert, { name: 'alert_event_alert_id_fkey' })
  alertId!: string;

  @Column('timestamptz')
  at!: Date;

  /** `system` or the person who acted (name and account). */
  @Column('text')
  actor!: string;

  @Column('text')
  action!: AlertEventEntry['action'];

  @Column('jsonb', { name: 'from_state', nullable: true })
  fromState!: Record<string, unknown> | null;

  @Column('jsonb', { name: 'to_state', nullable: true })
  toState!: Record<string, unknown> | null;

  @Column('text', { nullable: true })
  note!: string | null;

  @Column('jsonb', { nullable: true })
  details!: Record<string, unknown> | null;
}

/** When the engine last evaluated every rule: one row (id true), written in each evaluation's transaction. */
@Entity('alert_evaluation')
@Check('alert_evaluation_id_check', 'id')
export class AlertEvaluation {
  @PrimaryColumn('boolean', { default: true, primaryKeyConstraintName: 'alert_evaluation_pkey' })
  id!: boolean;

  @Column('timestamptz', { name: 'evaluated_at' })
  evaluatedAt!: Date;

  /** Rule × unit pairs evaluated. */
  @Column('int')
  evaluated!: number;
}
