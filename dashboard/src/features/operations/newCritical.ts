import type { AlertSummary } from '@ioc/shared';

/**
 * Which critical alerts are new to the person watching: the ids that were
 * critical in the last list seen. `null` until the first list (the snapshot
 * that was open when the page opened), which never counts as new.
 */
export type CriticalWatch = ReadonlySet<string> | null;

/**
 * The next watch, and the alerts that became critical since the last list:
 * alerts that fired as critical, and open alerts escalated to critical.
 * A list seen again (a resync, the fallback list after the live one) rings
 * for nothing already known to be critical.
 */
export function watchCritical(prev: CriticalWatch, alerts: readonly AlertSummary[]): { watch: ReadonlySet<string>; fresh: AlertSummary[] } {
  const critical = alerts.filter((a) => a.severity === 'critical' && a.status === 'active');
  const watch = new Set(critical.map((a) => a.id));
  if (prev === null) return { watch, fresh: [] };
  const fresh = critical.filter((a) => !prev.has(a.id)).sort((a, b) => Date.parse(b.firedAt) - Date.parse(a.firedAt));
  return { watch, fresh };
}
