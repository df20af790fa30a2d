import type { Severity } from '@ioc/shared';
import { api } from '../../lib/api';

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
export function fetchAlerts(q: AlertListQuery, signal: AbortSignal) {
  const query = {
    status: q.status,
    acknowledged: q.acknowledged === undefined ? undefined : q.acknowledged ? ('true' as const) : ('false' as const),
    severity: q.severity?.length ? q.severity.join(',') : undefined,
    scope: q.scope || undefined,
    assignee: q.assignee || undefined,
    page: q.page ?? 1,
    pageSize: q.pageSize ?? 50,
  };
  return api.get('alerts.list', { query }, signal);
}

export function fetchAlert(id: string, signal: AbortSignal) {
  return api.get('alerts.detail', { params: { id } }, signal);
}

/** Acknowledges with an optional note; a 409 means someone acknowledged it first. */
export function acknowledgeAlert(id: string, note: string) {
  const trimmed = note.trim();
  return api.post('alerts.acknowledge', { params: { id }, body: trimmed ? { note: trimmed } : {} });
}

export function commentOnAlert(id: string, note: string) {
  return api.post('alerts.comment', { params: { id }, body: { note: note.trim() } });
}

/** A rule's province and commune overrides, on the units whose alerts the caller may read. */
export function fetchRuleOverrides(rule: string, signal: AbortSignal) {
  return api.get('alerts.overrides', { params: { rule } }, signal);
}

/** The people an alert may be assigned to (those who may act on its unit). */
export function fetchAssignees(id: string, signal: AbortSignal) {
  return api.get('alerts.assignees', { params: { id } }, signal);
}

/** Assigns an alert to a username from `fetchAssignees`; a 409 means it is already theirs. */
export function assignAlert(id: string, assignee: string, note: string) {
  const trimmed = note.trim();
  return api.post('alerts.assign', { params: { id }, body: trimmed ? { assignee, note: trimmed } : { assignee } });
}

/** When the alert engine last evaluated the rules (null before its first evaluation). */
export function fetchAlertEvaluation(signal: AbortSignal) {
  return api.get('alerts.evaluation', {}, signal);
}
