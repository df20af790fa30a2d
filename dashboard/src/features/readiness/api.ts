import { api } from '../../lib/api';

export function fetchReadinessList(scope: string, signal: AbortSignal) {
  return api.get('readiness.list', { query: { scope } }, signal);
}

export function fetchReadiness(code: string, signal: AbortSignal) {
  return api.get('readiness.detail', { params: { communeCode: code } }, signal);
}

/** The link state now of every commune of a scope (`province:04`, `commune:01234`). */
export function fetchConnectivity(scope: string, signal: AbortSignal) {
  return api.get('connectivity.current', { query: { scope } }, signal);
}

export function fetchLink(code: string, signal: AbortSignal) {
  return fetchConnectivity(`commune:${code}`, signal);
}

export function fetchLinkTimeline(code: string, from: string, to: string, signal: AbortSignal) {
  return api.get('connectivity.timeline', { params: { communeCode: code }, query: { from, to } }, signal);
}
