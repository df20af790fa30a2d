import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlertSummary } from '@ioc/shared';
import { type AssignedWatch, watchAssigned } from './assignedToMe';

export interface AssignedToMe {
  /** Open alerts assigned to the signed-in person. */
  count: number | null;
  /** Assigned to them while the page was open and not yet dismissed (still assigned to them), newest first. */
  fresh: AlertSummary[];
  dismiss: () => void;
}

/** Watches the live list of open alerts for those assigned to `me`: how many there are, and which were just assigned. */
export function useAssignedToMe(alerts: readonly AlertSummary[] | null, me: string): AssignedToMe {
  const watch = useRef<AssignedWatch>(null);
  const [fresh, setFresh] = useState<AlertSummary[]>([]);
  useEffect(() => {
    if (alerts === null) return;
    const next = watchAssigned(watch.current, alerts, me);
    watch.current = next.watch;
    if (next.fresh.length) setFresh((old) => [...next.fresh, ...old.filter((o) => !next.fresh.some((f) => f.id === o.id))]);
  }, [alerts, me]);
  const current = alerts ? new Map(alerts.map((a) => [a.id, a])) : null;
  const shown = current ? fresh.flatMap((f) => (current.get(f.id)?.assignee === me ? [current.get(f.id)!] : [])) : fresh;
  const dismiss = useCallback(() => setFresh([]), []);
  return { count: alerts ? alerts.filter((a) => a.assignee === me).length : null, fresh: shown, dismiss };
}
