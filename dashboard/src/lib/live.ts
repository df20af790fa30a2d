import { useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  LIVE_NAMESPACE,
  type LiveClientToServer,
  type LiveDataByView,
  type LiveView,
  type LiveServerToClient,
  type LiveSubscriptions,
  SubscriptionRefused,
  type TopicSpec,
  liveOverSocket,
  parseTopicSpec,
  topicKey,
} from '@ioc/shared';
import { type Socket, io } from 'socket.io-client';
import { auth } from './auth';
import type { ConnectionStatus, LiveTopicView } from './liveStatus';

export type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;

/** How often unanswered snapshot requests are retried and staleness is re-checked. */
const TICK_MS = 2000;
/** Wait before subscribing again after the server refused or did not answer. */
const RETRY_MS = 5000;

const IDLE: LiveTopicView = { state: null, error: null, staleSince: null };

interface Held {
  spec: TopicSpec;
  /** Components holding the topic. */
  refs: number;
  view: LiveTopicView;
  /** Increases with each subscription attempt, so a late answer to an old one is ignored. */
  attempt: number;
  release?: ReturnType<typeof setTimeout>;
  retry?: ReturnType<typeof setTimeout>;
}

/**
 * One socket for the whole app, for one sign-in; topics are shared by the
 * components that hold them. The server checks the access token at every
 * handshake and socket.io does not retry a refused one, nor a connection the
 * server closed (sign-in ended or changed): both are retried here after a refresh.
 */
class LiveClient {
  private readonly socket: LiveSocket;
  private readonly subs: LiveSubscriptions;
  private readonly held = new Map<string, Held>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private reauthorizing = false;
  private reauthorizedAt = 0;
  private reauthorizeTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  connection: ConnectionStatus = 'connecting';

  constructor(readonly sessionKey: number | null) {
    this.socket = io(LIVE_NAMESPACE, {
      transports: ['websocket', 'polling'],
      // A function, so every reconnection carries the token current at that moment.
      auth: (cb) => cb({ token: auth.accessToken() ?? '' }),
    });
    this.subs = liveOverSocket(this.socket, {
      onChange: (s) => this.update(s.topic, { state: s, staleSince: this.subs.staleSince(s.topic) }),
    });
    this.socket.on('connect', () => this.setConnection('connected'));
    this.socket.on('disconnect', (reason) => {
      this.setConnection('reconnecting');
      if (reason === 'io server disconnect') this.reauthorize();
    });
    this.socket.on('connect_error', (err) => {
      if (this.connection === 'connected') this.setConnection('reconnecting');
      // Transport errors are retried by socket.io itself.
      if (err.message === 'unauthorized') this.reauthorize();
    });
  }

  /** Refreshes the token, then connects again; a refusal soon after the last attempt waits a little, so a lasting refusal does not loop. */
  private reauthorize(): void {
    if (this.closed || this.reauthorizing) return;
    this.reauthorizing = true;
    const wait = Math.max(0, this.reauthorizedAt + RETRY_MS - Date.now());
    this.reauthorizeTimer = setTimeout(() => {
      this.reauthorizedAt = Date.now();
      void auth.refresh().then((token) => {
        this.reauthorizing = false;
        if (this.closed) return;
        // No token and still signed in: the server did not answer; try again later. Signed out: this client is closed.
        if (token === null) {
          if (auth.sessionKey() === this.sessionKey) this.reauthorize();
          return;
        }
        this.socket.connect();
      });
    }, wait);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.ticker);
    clearTimeout(this.reauthorizeTimer);
    for (const h of this.held.values()) {
      clearTimeout(h.retry);
      clearTimeout(h.release);
    }
    this.held.clear();
    this.socket.disconnect();
  }

  view(key: string): LiveTopicView {
    return this.held.get(key)?.view ?? IDLE;
  }

  /** Subscribes (or joins the holders of) a topic; the returned function lets go of it. */
  hold(key: string, spec: TopicSpec): () => void {
    const existing = this.held.get(key);
    const h = existing ?? { spec, refs: 0, view: IDLE, attempt: 0 };
    h.refs++;
    clearTimeout(h.release);
    if (!existing) {
      this.held.set(key, h);
      this.subscribe(key, h);
      this.ticker ??= setInterval(() => this.tick(), TICK_MS);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Let go on the next turn: a component mounted again at once (StrictMode, a quick switch back) keeps the subscription.
      if (--h.refs === 0) h.release = setTimeout(() => this.drop(key, h), 0);
    };
  }

  private subscribe(key: string, h: Held): void {
    const attempt = ++h.attempt;
    const current = () => this.held.get(key) === h && h.attempt === attempt;
    this.subs.add(h.spec).then(
      () => {
        if (current()) this.update(key, { state: this.subs.get(key) ?? null, error: null });
      },
      (e: unknown) => {
        if (!current()) return;
        const reason = e instanceof Error ? e.message : String(e);
        this.update(key, { state: null, error: reason });
        // A refusal by the access rules holds for the whole sign-in; anything else may pass.
        if (!(e instanceof SubscriptionRefused && e.code === 'FORBIDDEN')) h.retry = setTimeout(() => this.subscribe(key, h), RETRY_MS);
      },
    );
  }

  private drop(key: string, h: Held): void {
    if (h.refs > 0 || this.held.get(key) !== h) return;
    this.held.delete(key);
    clearTimeout(h.retry);
    this.subs.remove(key);
    if (this.held.size === 0) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
    notify();
  }

  private tick(): void {
    this.subs.tick();
    // Staleness comes from the clock, not from a message: look again.
    for (const key of this.held.keys()) this.update(key, { staleSince: this.subs.staleSince(key) });
  }

  private update(key: string, patch: Partial<LiveTopicView>): void {
    const h = this.held.get(key);
    if (!h) return;
    const next = { ...h.view, ...patch };
    if (next.state === h.view.state && next.error === h.view.error && next.staleSince === h.view.staleSince) return;
    h.view = next;
    notify();
  }

  private setConnection(c: ConnectionStatus): void {
    if (this.connection === c) return;
    this.connection = c;
    notify();
  }
}

let client: LiveClient | null = null;
const listeners = new Set<() => void>();

/** Created when a first topic is held, so a page without live figures opens no socket. */
function liveClient(): LiveClient {
  if (client && client.sessionKey !== auth.sessionKey()) closeLive();
  return (client ??= new LiveClient(auth.sessionKey()));
}

/** Closes the app's socket; the next topic held opens a new one with the token of that moment. */
export function closeLive(): void {
  if (!client) return;
  client.close();
  client = null;
  notify();
}

// A socket belongs to one sign-in: it closes when that sign-in ends, and the next one opens its own.
auth.subscribe(() => {
  if (client && client.sessionKey !== auth.sessionKey()) closeLive();
});

function listen(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const l of listeners) l();
}

/**
 * A live topic's state, kept from snapshot and deltas; the component re-renders
 * on every change of it. `null` holds nothing (e.g. a period the stream does
 * not serve). Unsubscribes on unmount or when the spec changes.
 */
export function useLiveTopic<V extends LiveView>(spec: (TopicSpec & { view: V }) | null): LiveTopicView<LiveDataByView[V]> {
  const parsed = spec ? parseTopicSpec(spec) : null;
  const key = parsed?.ok ? topicKey(parsed.topic) : null;
  const invalid = parsed && !parsed.ok ? parsed.reason : null;

  useEffect(() => {
    if (key === null) return;
    const [view, scope, period] = key.split('|') as [TopicSpec['view'], string, TopicSpec['period']];
    // Rebuilt from the key so that a new spec object with the same meaning changes nothing.
    return liveClient().hold(key, { scope, view, period });
  }, [key]);

  const invalidView = useMemo<LiveTopicView>(() => (invalid === null ? IDLE : { ...IDLE, error: invalid }), [invalid]);
  // The topic's key names its view, so its data is that view's (the one place the live data is narrowed).
  return useSyncExternalStore(listen, () => (key !== null && client ? client.view(key) : invalidView)) as LiveTopicView<LiveDataByView[V]>;
}

/** The app's live connection. */
export function useLiveConnection(): ConnectionStatus {
  return useSyncExternalStore(listen, () => client?.connection ?? 'connecting');
}

export type { ConnectionStatus, LiveTopicView } from './liveStatus';
