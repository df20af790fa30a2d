import type { AlertAssignee, AlertDetail, AlertEvaluationStatus, AlertListResponse, RuleOverride, Severity } from '@ioc/shared';
import { getAuthorized, postAuthorized } from '../../lib/api';

export interface AlertListQuery {
  status?: 'active' | 'cleared';
  acknowledged?: boolean;
  severity?: readonly Severity[];
  scope?: string;
  /** `me` or a username. */
  assignee?: string;
  page?: number;
  pageSize?: number;
}

/** `GET /api/v1/alerts`: the caller's alerts, active first, most severe first, newest first. */
export function fetchAlerts(q: AlertListQuery, signal: AbortSignal): Promise<AlertListResponse> {
  const params = new URLSearchParams();
  if (q.status) params.set('status', q.status);
  if (q.acknowledged !== undefined) params.set('acknowledged', String(q.acknowledged));
  if (q.severity && q.severity.length) params.set('severity', q.severity.join(','));
  if (q.scope) params.set('scope', q.scope);
  if (q.assignee) params.set('assignee', q.assignee);
  params.set('page', String(q.page ?? 1));
  params.set('pageSize', String(q.pageSize ?? 50));
  return getAuthorized<AlertListResponse>(`/api/v1/alerts?${params.toString()}`, signal);
}

export function fetchAlert(id: string, signal: AbortSignal): Promise<AlertDetail> {
  return getAuthorized<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}`, signal);
}

/** Acknowledges with an optional note; a 409 means someone acknowledged it first. */
export function acknowledgeAlert(id: string, note: string): Promise<AlertDetail> {
  const trimmed = note.trim();
  return postAuthorized<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}/acknowledge`, trimmed ? { note: trimmed } : {});
}

export function commentOnAlert(id: string, note: string): Promise<AlertDetail> {
  return postAuthorized<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}/comments`, { note: note.trim() });
}

/** A rule's province and commune overrides, on the units whose alerts the caller may read. */
export function fetchRuleOverrides(ruleId: string, signal: AbortSignal): Promise<RuleOverride[]> {
  return getAuthorized<RuleOverride[]>(`/api/v1/alert-rules/${encodeURIComponent(ruleId)}/overrides`, signal);
}

/** The people an alert may be assigned to (those who may act on its unit). */
export function fetchAssignees(id: string, signal: AbortSignal): Promise<AlertAssignee[]> {
  return getAuthorized<AlertAssignee[]>(`/api/v1/alerts/${encodeURIComponent(id)}/assignees`, signal);
}

/** Assigns an alert to a username from `fetchAssignees`; a 409 means it is already theirs. */
export function assignAlert(id: string, assignee: string, note: string): Promise<AlertDetail> {
  const trimmed = note.trim();
  return postAuthorized<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}/assign`, trimmed ? { assignee, note: trimmed } : { assignee });
}

/** When the alert engine last evaluated the rules (null before its first evaluation). */
export function fetchAlertEvaluation(signal: AbortSignal): Promise<AlertEvaluationStatus> {
  return getAuthorized<AlertEvaluationStatus>('/api/v1/alerts/evaluation', signal);
}
