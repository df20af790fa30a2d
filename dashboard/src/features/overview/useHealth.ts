import type { HealthResponse } from '@ioc/shared';
import { fetchHealth } from '../../lib/api';
import { usePolling, type PollingState } from '../../lib/usePolling';
import { REFRESH_INTERVAL_MS } from './useOverviewData';

export function useHealth(): PollingState<HealthResponse> {
  return usePolling('health', fetchHealth, REFRESH_INTERVAL_MS);
}
