import { useCallback, useMemo } from 'react';
import type { AlertSummary } from '@ioc/shared';
import { useLiveConnection, useLiveTopic } from '../../lib/live';
import { liveIndicator, summarizeTopics } from '../../lib/liveStatus';
import { useApiQuery } from '../../lib/useApiQuery';
import type { LiveFeed } from '../overview/useOverviewData';
import { fetchAlerts } from './api';
import { compareAlerts } from './alertList';

/** While the live stream refuses or does not answer, the open alerts are fetched this often. */
export const FALLBACK_INTERVAL_MS = 15_000;

export interface AlertFeed {
  /** The scope's open alerts (active, or cleared and not yet acknowledged), in list order; null while they come. */
  alerts: AlertSummary[] | null;
  error: unknown;
  fetching: boolean;
  /** Set while the list comes from the live stream. */
  live: LiveFeed | null;
  updatedAt: number | null;
  refresh: () => void;
}

/**
 * The open alerts of a scope: pushed by the live `alerts` topic; fetched from
 * `GET /api/v1/alerts` (active, then cleared and unacknowledged) while the topic fails.
 */
export function useAlertFeed(scope: string): AlertFeed {
  const topic = useLiveTopic({ scope, view: 'alerts' });
  const connection = useLiveConnection();
  const liveOk = topic.error === null;

  const fetcher = useCallback(
    async (signal: AbortSignal): Promise<AlertSummary[]> => {
      const [active, cleared] = await Promise.all([
        fetchAlerts({ scope, status: 'active', pageSize: 200 }, signal),
        fetchAlerts({ scope, status: 'cleared', acknowledged: false, pageSize: 200 }, signal),
      ]);
      return [...active.items, ...cleared.items];
    },
    [scope],
  );
  const rest = useApiQuery(liveOk ? null : ['alerts', 'open', scope], fetcher, { refetchMs: FALLBACK_INTERVAL_MS });

  const liveAlerts = useMemo(() => {
    const data = topic.state?.data;
    return data ? Object.values(data).sort(compareAlerts) : null;
  }, [topic.state]);

  if (!liveOk) return { alerts: rest.data ? [...rest.data].sort(compareAlerts) : null, error: rest.error, fetching: rest.fetching, live: null, updatedAt: rest.updatedAt, refresh: rest.refresh };
  const s = summarizeTopics([topic]);
  return {
    alerts: liveAlerts,
    error: null,
    fetching: false,
    live: { indicator: liveIndicator(connection, s), asOf: s.asOf },
    updatedAt: null,
    refresh: rest.refresh,
  };
}
