import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlertSummary } from '@ioc/shared';
import { type CriticalWatch, watchCritical } from './newCritical';
import { playAlertTone, soundEnabled } from './sound';

export interface NewCriticals {
  /** Critical alerts that arrived while the page was open and were not dismissed, newest first. */
  alerts: AlertSummary[];
  ids: ReadonlySet<string>;
  dismiss: () => void;
}

/**
 * Watches a list of open alerts for critical ones that were not there (or not
 * critical) before; those already open when the page opened do not count.
 * Each arrival rings once when sound is on.
 */
export function useNewCriticals(alerts: readonly AlertSummary[] | null, onArrival?: (fresh: AlertSummary[]) => void): NewCriticals {
  const watch = useRef<CriticalWatch>(null);
  const [fresh, setFresh] = useState<AlertSummary[]>([]);
  const arrival = useRef(onArrival);
  useEffect(() => {
    arrival.current = onArrival;
  }, [onArrival]);

  useEffect(() => {
    if (alerts === null) return;
    const next = watchCritical(watch.current, alerts);
    watch.current = next.watch;
    if (next.fresh.length === 0) return;
    setFresh((old) => [...next.fresh, ...old.filter((o) => !next.fresh.some((f) => f.id === o.id))]);
    if (soundEnabled()) playAlertTone();
    arrival.current?.(next.fresh);
  }, [alerts]);

  // Drop those acknowledged, lowered or cleared since; show the others as they are now.
  const current = alerts ? new Map(alerts.map((a) => [a.id, a])) : null;
  const shown = current
    ? fresh.flatMap((f) => {
        const a = current.get(f.id);
        return a && a.severity === 'critical' && a.status === 'active' && !a.acknowledged ? [a] : [];
      })
    : fresh;
  const dismiss = useCallback(() => setFresh([]), []);
  return { alerts: shown, ids: new Set(shown.map((a) => a.id)), dismiss };
}
