import type { HistoryLoading, ProjectionMark } from '../api.js';
import {
  LIVE_HEARTBEAT_MS,
  type LiveData,
  type LiveDelta,
  type LiveHeartbeat,
  type LiveServerStatus,
  type LiveSnapshot,
  type SubscribeAck,
  type SubscribeRefusal,
  type TopicSpec,
  parseTopicSpec,
  topicKey,
} from './contract.js';

/** A topic the server (or the spec's own check) refused, with the refusal's code. */
export class SubscriptionRefused extends Error {
  constructor(
    readonly code: SubscribeRefusal,
    reason: string,
  ) {
    super(reason);
    this.name = 'SubscriptionRefused';
  }
}

/**
 * The client side of the live contract, shared by the dashboard, the tests and
 * the benchmark: keeps each topic's state from snapshot + deltas, asks for a
 * fresh snapshot on any gap, epoch change, missed heartbeat or reconnect, and
 * says when a topic has gone quiet for longer than its heartbeat allows.
 */
export type TopicStatus = 'syncing' | 'live' | 'reconnecting';

export interface TopicState<D extends LiveData = LiveData> {
  topic: string;
  status: TopicStatus;
  epoch: string | null;
  seq: number;
  data: D | null;
  from: string | null;
  to: string | null;
  asOf: string | null;
  /** Up to which point of the event log the figures count (null before the first snapshot). */
  projection: ProjectionMark | null;
  /** History still loading on the topic's days: the figures are incomplete. */
  loading: HistoryLoading | null;
  /** Local clock (ms) of the last message for the topic. */
  lastMessageAt: number | null;
  /** Snapshots received so far (the first one included). */
  snapshots: number;
}

/** What the subscriptions need from a connection. */
export interface LiveTransport {
  subscribe(topics: TopicSpec[]): Promise<SubscribeAck>;
  unsubscribe(topics: string[]): void;
  resync(topic: string): void;
}

export interface LiveSubscriptionsOptions {
  /** Called after every change of a topic's state. */
  onChange?: (state: TopicState) => void;
  now?: () => number;
  /** Ask again when a requested snapshot has not come within this time. */
  snapshotTimeoutMs?: number;
  /** A topic with no message for this long is stale. */
  staleAfterMs?: number;
}

const MAX_BUFFERED = 64;

interface Entry {
  spec: TopicSpec;
  state: TopicState;
  buffered: LiveDelta[];
  requestedAt: number | null;
}

export class LiveSubscriptions {
  private readonly topics = new Map<string, Entry>();
  /** Set while the server says its figures cannot be confirmed (the database is down): when it said so. */
  private serverStaleSince: number | null = null;
  private readonly now: () => number;
  private readonly snapshotTimeoutMs: number;
  readonly staleAfterMs: number;

  constructor(
    private readonly transport: LiveTransport,
    private readonly options: LiveSubscriptionsOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 10_000;
    this.staleAfterMs = options.staleAfterMs ?? 3 * LIVE_HEARTBEAT_MS;
  }

  /** Subscribes; resolves to the topic name, or rejects with the server's reason (a SubscriptionRefused when the server refused it). */
  async add(spec: TopicSpec): Promise<string> {
    const parsed = parseTopicSpec(spec);
    if (!parsed.ok) throw new SubscriptionRefused('BAD_REQUEST', parsed.reason);
    const key = topicKey(parsed.topic);
    if (!this.topics.has(key)) {
      this.topics.set(key, { spec, buffered: [], requestedAt: this.now(), state: emptyState(key) });
    }
    const ack = await this.transport.subscribe([spec]);
    const r = ack.topics[0];
    if (!r || !r.ok) {
      this.topics.delete(key);
      if (r && !r.ok) throw new SubscriptionRefused(r.code, r.reason);
      throw new Error('the server did not answer the subscription');
    }
    return key;
  }

  remove(topic: string): void {
    if (this.topics.delete(topic)) this.transport.unsubscribe([topic]);
  }

  get(topic: string): TopicState | undefined {
    return this.topics.get(topic)?.state;
  }

  all(): TopicState[] {
    return [...this.topics.values()].map((e) => e.state);
  }

  /** Since when the topic has had no message (local ms), or null while it is current. */
  staleSince(topic: string): number | null {
    const s = this.topics.get(topic)?.state;
    if (!s || s.lastMessageAt === null) return null;
    // The server said its figures cannot be confirmed: they are stale from the last message received.
    if (this.serverStaleSince !== null) return Math.min(s.lastMessageAt, this.serverStaleSince);
    return this.now() - s.lastMessageAt > this.staleAfterMs ? s.lastMessageAt : null;
  }

  /** The server's word on whether it can confirm figures; when it can again, every topic takes a fresh snapshot. */
  onStatus(status: LiveServerStatus): void {
    if (status.database === 'down') {
      if (this.serverStaleSince === null) this.serverStaleSince = this.now();
    } else if (this.serverStaleSince !== null) {
      this.serverStaleSince = null;
      for (const key of this.topics.keys()) this.transport.resync(key);
    }
    for (const e of this.topics.values()) this.changed(e);
  }

  /** The connection is up (again): every topic is subscribed afresh and gets a new snapshot. */
  onConnect(): void {
    const specs = [...this.topics.values()].map((e) => {
      e.state = { ...e.state, status: 'syncing' };
      e.requestedAt = this.now();
      e.buffered = [];
      this.changed(e);
      return e.spec;
    });
    if (specs.length) void this.transport.subscribe(specs).catch(() => undefined);
  }

  onDisconnect(): void {
    for (const e of this.topics.values()) {
      e.state = { ...e.state, status: 'reconnecting' };
      this.changed(e);
    }
  }

  onSnapshot(s: LiveSnapshot): void {
    const e = this.topics.get(s.topic);
    if (!e) return;
    const st = e.state;
    // An older snapshot of the current sequence adds nothing.
    if (st.status === 'live' && st.epoch === s.epoch && s.seq <= st.seq) return;
    e.state = {
      ...st,
      status: 'live',
      epoch: s.epoch,
      seq: s.seq,
      data: s.data,
      from: s.from,
      to: s.to,
      asOf: s.asOf,
      projection: s.projection,
      loading: s.loading,
      lastMessageAt: this.now(),
      snapshots: st.snapshots + 1,
    };
    e.requestedAt = null;
    const buffered = e.buffered.filter((d) => d.epoch === s.epoch && d.seq > s.seq).sort((a, b) => a.seq - b.seq);
    e.buffered = [];
    for (const d of buffered) {
      if (d.seq !== e.state.seq + 1) {
        this.requestSnapshot(e);
        break;
      }
      this.apply(e, d);
    }
    this.changed(e);
  }

  onDelta(d: LiveDelta): void {
    const e = this.topics.get(d.topic);
    if (!e) return;
    const st = e.state;
    if (st.status !== 'live') {
      if (e.buffered.length < MAX_BUFFERED) e.buffered.push(d);
      return;
    }
    if (d.epoch !== st.epoch) return this.requestSnapshot(e);
    if (d.seq <= st.seq) return;
    if (d.seq !== st.seq + 1) {
      e.buffered.push(d);
      return this.requestSnapshot(e);
    }
    this.apply(e, d);
    this.changed(e);
  }

  onHeartbeat(h: LiveHeartbeat): void {
    const e = this.topics.get(h.topic);
    if (!e || e.state.status !== 'live') return;
    // A heartbeat ahead of us means a delta never arrived.
    if (h.epoch !== e.state.epoch || h.seq > e.state.seq) return this.requestSnapshot(e);
    if (h.seq === e.state.seq) e.state = { ...e.state, asOf: h.asOf, projection: h.projection, loading: h.loading, from: h.from, to: h.to };
    e.state = { ...e.state, lastMessageAt: this.now() };
    this.changed(e);
  }

  /** Call every few seconds: asks again for snapshots that did not come. */
  tick(): void {
    const now = this.now();
    for (const e of this.topics.values()) {
      if (e.state.status === 'syncing' && e.requestedAt !== null && now - e.requestedAt > this.snapshotTimeoutMs) {
        e.requestedAt = now;
        this.transport.resync(e.state.topic);
      }
    }
  }

  private apply(e: Entry, d: LiveDelta): void {
    const data = { ...(e.state.data as Record<string, unknown>), ...(d.set as Record<string, unknown>) };
    for (const k of d.unset ?? []) delete data[k];
    e.state = {
      ...e.state,
      seq: d.seq,
      data: data as LiveData,
      from: d.from,
      to: d.to,
      asOf: d.asOf,
      projection: d.projection,
      loading: d.loading,
      lastMessageAt: this.now(),
    };
  }

  private requestSnapshot(e: Entry): void {
    e.state = { ...e.state, status: 'syncing' };
    this.changed(e);
    if (e.requestedAt !== null && this.now() - e.requestedAt < this.snapshotTimeoutMs) return;
    e.requestedAt = this.now();
    this.transport.resync(e.state.topic);
  }

  private changed(e: Entry): void {
    this.options.onChange?.(e.state);
  }
}

function emptyState(topic: string): TopicState {
  return { topic, status: 'syncing', epoch: null, seq: 0, data: null, from: null, to: null, asOf: null, projection: null, loading: null, lastMessageAt: null, snapshots: 0 };
}

/** The part of a socket.io client socket the subscriptions use. */
export interface LiveSocketLike {
  connected: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
}

/** Subscriptions over a socket.io client socket connected to the `/live` namespace. */
export function liveOverSocket(socket: LiveSocketLike, options: LiveSubscriptionsOptions = {}): LiveSubscriptions {
  const subs = new LiveSubscriptions(
    {
      subscribe: async (topics) => (await socket.timeout(10_000).emitWithAck('subscribe', { topics })) as SubscribeAck,
      unsubscribe: (topics) => socket.emit('unsubscribe', { topics }),
      resync: (topic) => socket.emit('resync', { topic }),
    },
    options,
  );
  let connectedOnce = socket.connected;
  socket.on('connect', () => {
    // The first connection's subscriptions are sent by add(); later ones are reconnects.
    if (connectedOnce) subs.onConnect();
    connectedOnce = true;
  });
  socket.on('disconnect', () => subs.onDisconnect());
  socket.on('snapshot', (s: LiveSnapshot) => subs.onSnapshot(s));
  socket.on('delta', (d: LiveDelta) => subs.onDelta(d));
  socket.on('heartbeat', (h: LiveHeartbeat) => subs.onHeartbeat(h));
  socket.on('status', (st: LiveServerStatus) => subs.onStatus(st));
  return subs;
}
