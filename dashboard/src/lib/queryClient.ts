import { QueryClient } from '@tanstack/react-query';
import { httpStatusOf } from './http';

/** Client errors other than a rate limit answer the same however often they are asked. */
export function shouldRetry(failures: number, error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) return false;
  return failures < 2;
}

/** 1 s, then 4 s: a restarting server or a dropped Wi-Fi gets time to come back before the page says so. */
export function retryDelay(attempt: number): number {
  return Math.min(1000 * 4 ** attempt, 15_000);
}

/**
 * The dashboard's one cache of API reads (TanStack Query): two panels asking for
 * the same figures share one request, reads are retried on network and server
 * errors, and fetched again when the tab is shown again or the network returns.
 * It is emptied at every sign-in change (App), so one person's figures never
 * show to the next on a shared screen.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: shouldRetry,
      retryDelay,
      refetchOnWindowFocus: true,
      refetchOnReconnect: true,
      // A page opened again within half a minute shows what it had at once, and refreshes behind it.
      staleTime: 10_000,
      gcTime: 5 * 60_000,
    },
  },
});
