import type { ClientConfig } from '@ioc/shared';
import { requestJson } from './http';

/** What the dashboard uses when the server's settings cannot be read: the built-in offline map. */
export const DEFAULT_CLIENT_CONFIG: ClientConfig = { mapStyleUrl: null };

/**
 * The server's settings for the dashboard (`GET /api/v1/client-config`, public):
 * read once into the query cache, again after a failure.
 */
export const clientConfigQuery = {
  queryKey: ['client-config'],
  queryFn: async (): Promise<ClientConfig> => {
    const c = await requestJson<ClientConfig>('/api/v1/client-config');
    return { mapStyleUrl: typeof c.mapStyleUrl === 'string' && /^https?:\/\//.test(c.mapStyleUrl) ? c.mapStyleUrl : null };
  },
  staleTime: Infinity,
  gcTime: Infinity,
} as const;
