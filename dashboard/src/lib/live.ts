import { useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  LIVE_NAMESPACE,
  type LiveClientToServer,
  type LiveServerToClient,
  type LiveSubscriptions,
  type TopicSpec,
  liveOverSocket,
  parseTopicSpec,
  topicKey,
} from '@ioc/shared';
import { type Socket, io } from 'socket.io-client';
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

/** One socket for the whole app; topics are shared by the components that hold them. */
class LiveClient {
  private readonly socket: LiveSocket;
  private readonly subs: LiveSubscriptions;
  private readonly held = new Map<string, Held>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  connection: ConnectionStatus = 'connecting';

  constructor() {
    this.socket = io(LIVE_NAMESPACE, { transports: ['websocket', 'polling'] });
    this.subs = liveOverSocket(this.socket, {
      onChange: (s) => this.update(s.topic, { state: s, staleSince: this.subs.staleSince(s.topic) }),
    });
    this.socket.on('connect', () => this.setConnection('connected'));
    this.socket.on('disconnect', () => this.setConnection('reconnecting'));
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
        this.update(key, { state: null, error: e instanceof Error ? e.message : String(e) });
        h.retry = setTimeout(() => this.subscribe(key, h), RETRY_MS);
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
  return (client ??= new LiveClient());
}

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
export function useLiveTopic(spec: TopicSpec | null): LiveTopicView {
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
  return useSyncExternalStore(listen, () => (key !== null && client ? client.view(key) : invalidView));
}

/** The app's live connection. */
export function useLiveConnection(): ConnectionStatus {
  return useSyncExternalStore(listen, () => client?.connection ?? 'connecting');
}

export type { ConnectionStatus, LiveTopicView } from './liveStatus';
