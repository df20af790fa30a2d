import type { RuleDefinition, RuleParams, Severity } from './rules.js';

/** REST contract of `/api/v1/alerts` and `/api/v1/alert-rules`. */
export type AlertStatus = 'active' | 'cleared';

export interface AlertSummary {
  id: string;
  ruleId: string;
  ruleNameVi: string;
  ruleNameEn: string;
  /** `commune:<code>` or `province:<code>`. */
  scope: string;
  unitCode: string;
  unitName: string;
  provinceCode: string;
  severity: Severity;
  status: AlertStatus;
  acknowledged: boolean;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  /** The username of the person the alert is assigned to, and their full name. */
  assignee: string | null;
  assigneeName: string | null;
  firedAt: string;
  clearedAt: string | null;
  updatedAt: string;
  /** The value that made it fire, and the latest one, in the rule's unit. */
  firedValue: number;
  lastValue: number | null;
  unit: RuleDefinition['unit'];
}

export interface AlertEventEntry {
  id: string;
  at: string;
  /** `system` or the person who acted. */
  actor: string;
  action: 'fired' | 'escalated' | 'deescalated' | 'cleared' | 'acknowledged' | 'assigned' | 'commented';
  from: Record<string, unknown> | null;
  to: Record<string, unknown> | null;
  note: string | null;
  details: Record<string, unknown> | null;
}

export interface AlertDetail extends AlertSummary {
  /** The rule as it was evaluated when the alert fired (defaults with the province's and commune's overrides). */
  rule: { id: string; kind: RuleDefinition['kind']; level: RuleDefinition['level']; kpi: string | null; windowDays: number | null; params: RuleParams };
  /** What was measured when it fired (numerator, denominator, baseline…). */
  firedDetails: Record<string, unknown>;
  history: AlertEventEntry[];
}

export interface AlertListResponse {
  total: number;
  page: number;
  pageSize: number;
  items: AlertSummary[];
}

export interface RuleOverride {
  ruleId: string;
  /** Province (2 digits) or commune (5 digits) the override applies to. */
  unitCode: string;
  params: Partial<RuleParams>;
  updatedBy: string;
  updatedAt: string;
}

export interface RuleResponse extends Omit<RuleDefinition, 'defaults'> {
  defaults: RuleParams;
  overrides: number;
}

/** `GET /api/v1/alerts/{id}/assignees`: the people who may act on the alert's unit, whom it may be assigned to. */
export interface AlertAssignee {
  username: string;
  displayName: string;
  role: 'admin' | 'operator' | 'commune_chair';
  /** `nation`, `province:<code>` or `commune:<code>`. */
  scope: string;
}

/**
 * `GET /api/v1/alerts/evaluation`: when the alert engine last evaluated every rule. Until the first
 * evaluation (`evaluatedAt` null) an empty alert list says nothing about the thresholds.
 */
export interface AlertEvaluationStatus {
  evaluatedAt: string | null;
  /** Rule × unit pairs of that evaluation. */
  evaluated: number | null;
  /** How often the engine evaluates, in seconds; null when this server does not evaluate on a timer. */
  everySeconds: number | null;
}
