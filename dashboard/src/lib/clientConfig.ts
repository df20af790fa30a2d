import { type ClientConfig, type LocalDate, hourlyKeptFrom, localDateOf } from '@ioc/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from './api';

/** What the dashboard uses when the server's settings cannot be read: the built-in offline map, the server's default hourly retention. */
export const DEFAULT_CLIENT_CONFIG: ClientConfig = { mapStyleUrl: null, hourlyRetentionDays: 35 };

/**
 * The server's settings for the dashboard (`GET /api/v1/client-config`, public):
 * read once into the query cache, again after a failure.
 */
export const clientConfigQuery = {
  queryKey: ['client-config'],
  queryFn: async (): Promise<ClientConfig> => {
    const c = await api.get('operations.clientConfig', {});
    const days = c.hourlyRetentionDays;
    return {
      mapStyleUrl: typeof c.mapStyleUrl === 'string' && /^https?:\/\//.test(c.mapStyleUrl) ? c.mapStyleUrl : null,
      hourlyRetentionDays: Number.isInteger(days) && days >= 0 ? days : DEFAULT_CLIENT_CONFIG.hourlyRetentionDays,
    };
  },
  staleTime: Infinity,
  gcTime: Infinity,
} as const;

/** The first local day with hour-by-hour figures on the server (null: all days have them); earlier periods are charted by day. */
export function hourlyKeptFromDate(config: ClientConfig, now: number): LocalDate | null {
  return config.hourlyRetentionDays > 0 ? localDateOf(hourlyKeptFrom(now, config.hourlyRetentionDays)) : null;
}

/** hourlyKeptFromDate for now, from the server's settings (the default retention until they are read). */
export function useHourlyKeptFrom(): LocalDate | null {
  const config = useQuery({ ...clientConfigQuery, retry: 1 });
  return hourlyKeptFromDate(config.data ?? DEFAULT_CLIENT_CONFIG, Date.now());
}
