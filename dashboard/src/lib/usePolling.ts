import { useCallback, useEffect, useRef, useState } from 'react';

export interface PollingState<T> {
  /** Last successful result for the current key (kept while a refresh fails). */
  data: T | null;
  /** Error of the last attempt, null after a success. */
  error: unknown;
  /** True while a request is in flight. */
  fetching: boolean;
  /** When `data` was last fetched, epoch ms. */
  updatedAt: number | null;
  /** Fetch now and restart the interval. */
  refresh: () => void;
}

interface Snapshot<T> {
  key: string | null;
  data: T | null;
  error: unknown;
  fetching: boolean;
  updatedAt: number | null;
}

/**
 * Fetches `fetcher` now and then every `intervalMs` after the previous attempt
 * ends (so slow answers never pile up). A new `key` drops the old data and
 * aborts the request in flight; a failed refresh keeps the last good data.
 * A null `key` fetches nothing.
 */
export function usePolling<T>(key: string | null, fetcher: (signal: AbortSignal) => Promise<T>, intervalMs: number): PollingState<T> {
  const [snap, setSnap] = useState<Snapshot<T>>({ key, data: null, error: null, fetching: key !== null, updatedAt: null });
  const [nonce, setNonce] = useState(0);
  const fetcherRef = useRef(fetcher);
  useEffect(() => {
    fetcherRef.current = fetcher;
  }, [fetcher]);

  useEffect(() => {
    if (key === null) {
      // Forget the last key's data, so it does not come back stale if that key returns.
      setSnap((s) => (s.key === null ? s : { key, data: null, error: null, fetching: false, updatedAt: null }));
      return;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;

    const run = async (): Promise<void> => {
      setSnap((s) =>
        s.key === key
          ? { ...s, fetching: true }
          : { key, data: null, error: null, fetching: true, updatedAt: null },
      );
      try {
        const data = await fetcherRef.current(controller.signal);
        if (controller.signal.aborted) return;
        setSnap({ key, data, error: null, fetching: false, updatedAt: Date.now() });
      } catch (error) {
        if (controller.signal.aborted) return;
        setSnap((s) => (s.key === key ? { ...s, error, fetching: false } : { key, data: null, error, fetching: false, updatedAt: null }));
      }
      timer = setTimeout(() => void run(), intervalMs);
    };
    void run();

    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key, intervalMs, nonce]);

  const refresh = useCallback(() => setNonce((n) => n + 1), []);

  // Until the effect for a new key has run, do not show the previous key's data.
  if (snap.key !== key || key === null) return { data: null, error: null, fetching: key !== null, updatedAt: null, refresh };
  return { data: snap.data, error: snap.error, fetching: snap.fetching, updatedAt: snap.updatedAt, refresh };
}
