import type { ConnectivityResponse, ConnectivityTimeline, ReadinessDetail, ReadinessListResponse } from '@ioc/shared';
import { getAuthorized, query } from '../../lib/api';

export function fetchReadinessList(scope: string, signal: AbortSignal): Promise<ReadinessListResponse> {
  return getAuthorized<ReadinessListResponse>(`/api/v1/readiness?${query({ scope })}`, signal);
}

export function fetchReadiness(code: string, signal: AbortSignal): Promise<ReadinessDetail> {
  return getAuthorized<ReadinessDetail>(`/api/v1/readiness/${code}`, signal);
}

/** The link state now of every commune of a scope (`province:04`, `commune:01234`). */
export function fetchConnectivity(scope: string, signal: AbortSignal): Promise<ConnectivityResponse> {
  return getAuthorized<ConnectivityResponse>(`/api/v1/connectivity?${query({ scope })}`, signal);
}

export function fetchLink(code: string, signal: AbortSignal): Promise<ConnectivityResponse> {
  return fetchConnectivity(`commune:${code}`, signal);
}

export function fetchLinkTimeline(code: string, from: string, to: string, signal: AbortSignal): Promise<ConnectivityTimeline> {
  return getAuthorized<ConnectivityTimeline>(`/api/v1/connectivity/${code}/timeline?${query({ from, to })}`, signal);
}
