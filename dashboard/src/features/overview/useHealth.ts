import type { HealthResponse } from '@ioc/shared';
import { fetchHealth } from '../../lib/api';
import { type QueryState, useApiQuery } from '../../lib/useApiQuery';
import { REFRESH_INTERVAL_MS } from './useOverviewData';

export function useHealth(): QueryState<HealthResponse> {
  return useApiQuery(['health'], fetchHealth, { refetchMs: REFRESH_INTERVAL_MS });
}
