import type { AlertSummary } from '@ioc/shared';

/** The alerts assigned to `me` in a list, and those among them that were not assigned to `me` in the list before. */
export interface AssignedWatch {
  ids: ReadonlySet<string>;
}

/**
 * Compares a new list of open alerts with the last one: the alerts assigned to
 * `me` now that were not before are fresh. The first list sets what is known
 * (nothing is fresh then), so alerts assigned before the page opened are not announced.
 */
export function watchAssigned(prev: AssignedWatch | null, alerts: readonly AlertSummary[], me: string): { watch: AssignedWatch; fresh: AlertSummary[] } {
  const mine = alerts.filter((a) => a.assignee === me);
  const ids = new Set(mine.map((a) => a.id));
  return { watch: { ids }, fresh: prev === null ? [] : mine.filter((a) => !prev.ids.has(a.id)) };
}
