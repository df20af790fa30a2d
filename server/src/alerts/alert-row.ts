import type { RuleParams, Severity } from '@ioc/shared';

/** A row of the `alert` table as the alert and notification modules read it (with the assignee's name where joined). */
export interface AlertRow {
  id: string;
  rule_id: string;
  unit_code: string;
  province_code: string;
  severity: Severity;
  status: 'active' | 'cleared';
  fired_at: Date;
  cleared_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  assignee: string | null;
  assignee_name: string | null;
  updated_at: Date;
  fired_value: number;
  last_value: number | null;
  params: RuleParams;
  details: Record<string, unknown>;
}
