import type { ClientConfig } from '@ioc/shared';
import { requestJson } from './http';

/** What the dashboard uses when the server's settings cannot be read: the built-in offline map. */
export const DEFAULT_CLIENT_CONFIG: ClientConfig = { mapStyleUrl: null };

let cached: Promise<ClientConfig> | null = null;

/**
 * The server's settings for the dashboard (`GET /api/v1/client-config`, public):
 * fetched once per page load, again after a failure.
 */
export function fetchClientConfig(): Promise<ClientConfig> {
  if (!cached) {
    const p = requestJson<ClientConfig>('/api/v1/client-config').then((c) => ({
      mapStyleUrl: typeof c.mapStyleUrl === 'string' && /^https?:\/\//.test(c.mapStyleUrl) ? c.mapStyleUrl : null,
    }));
    cached = p;
    p.catch(() => {
      if (cached === p) cached = null;
    });
  }
  return cached;
}
