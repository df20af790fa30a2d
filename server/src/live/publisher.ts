import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { LIVE_HEARTBEAT_MS, LIVE_MIN_DELTA_INTERVAL_MS, type LiveData, type LiveMeta, type HistoryLoading, type ProjectionMark, type Topic, parseTopicKey } from '@ioc/shared';
import { type LiveNamespace, heldTopics } from './live.types.js';
import type { TopicData, TopicFigures } from './topic-data.js';

const NOTHING_PROJECTED: ProjectionMark = { watermark: 0, projectedUpTo: null, pendingEvents: 0, lagSeconds: 0 };

/** How long a topic is kept after the last sign that some client holds it. */
export const INTEREST_TTL_MS = 7000;
const TICK_MS = 100;
/** Most topics read in one go: a client subscribing to many heavy topics must not hold back everyone else's deltas. */
const MAX_BATCH = 25;

interface TopicEntry {
  key: string;
  topic: Topic;
  seq: number;
  from: string;
  to: string;
  data: LiveData | null;
  /** JSON of each entry of `data`, to find what changed. */
  entryJson: Map<string, string>;
  /** When the current figures were read (ms). */
  computedAt: number;
  /** Up to which point of the event log the current figures count. */
  projection: ProjectionMark;
  loading: HistoryLoading | null;
  lastDeltaAt: number;
  lastHeartbeatAt: number;
  dirty: boolean;
  /** When it became dirty, or was created: topics are served oldest first. */
  dirtyAt: number;
  computing: boolean;
  /** After a failed read, not before this time. */
  retryAt: number;
  interestUntil: number;
  /** Sockets waiting for the topic's first figures. */
  waiting: Set<string>;
}

/**
 * The publisher of the live stream. Exactly one server process holds the
 * publisher lease at a time; it alone numbers and sends deltas, so every client
 * of a topic, on whichever node, sees one sequence. It keeps nothing that
 * cannot be rebuilt: figures are read from the rollups, and a new publisher
 * starts a new epoch, which makes every client take a fresh snapshot.
 */
export class LivePublisher {
  private readonly log = new Logger('LivePublisher');
  private readonly topics = new Map<string, TopicEntry>();
  private readonly epoch = `${randomUUID().slice(0, 8)}-${Date.now().toString(36)}`;
  private timer: NodeJS.Timeout | null = null;
  private batchRunning = false;
  private lastError = 0;

  constructor(
    private readonly nsp: LiveNamespace,
    private readonly figures: TopicData,
    private readonly refreshMs: number,
    private readonly provinceOf: (unit: string) => string | null,
    /** Seconds from a topic's figures changing (dirtyAt) to the delta carrying them being sent. */
    private readonly onDeltaLag?: (seconds: number) => void,
  ) {}

  start(): void {
    this.log.log(`this process now publishes the live stream (epoch ${this.epoch})`);
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.topics.clear();
  }

  /** Some node's clients hold these topics. */
  interest(keys: readonly string[], now = Date.now()): void {
    for (const key of keys) {
      const e = this.entry(key);
      if (e) e.interestUntil = now + INTEREST_TTL_MS;
    }
  }

  /** Figures of these units changed. */
  changed(units: readonly string[]): void {
    const communes = new Set<string>();
    const provinces = new Set<string>();
    for (const u of units) {
      if (u.length === 5) communes.add(u);
      const p = this.provinceOf(u);
      if (p) provinces.add(p);
    }
    for (const e of this.topics.values()) {
      const s = e.topic.scope;
      if (s.kind === 'nation' || (s.kind === 'province' && provinces.has(s.code)) || (s.kind === 'commune' && communes.has(s.code))) {
        if (!e.dirty) e.dirtyAt = Date.now();
        e.dirty = true;
      }
    }
  }

  /** A socket (on any node) needs a snapshot of the topic. */
  snapshotFor(key: string, socketId: string): void {
    const e = this.entry(key);
    if (!e) return;
    e.interestUntil = Math.max(e.interestUntil, Date.now() + INTEREST_TTL_MS);
    if (e.data) this.nsp.to(socketId).emit('snapshot', { ...this.meta(e), data: e.data });
    else {
      e.waiting.add(socketId);
      setImmediate(() => this.tick());
    }
  }

  private entry(key: string): TopicEntry | null {
    const existing = this.topics.get(key);
    if (existing) return existing;
    const parsed = parseTopicKey(key);
    if (!parsed.ok) return null;
    const e: TopicEntry = {
      key,
      topic: parsed.topic,
      seq: 0,
      from: '',
      to: '',
      data: null,
      entryJson: new Map(),
      computedAt: 0,
      projection: NOTHING_PROJECTED,
      loading: null,
      lastDeltaAt: 0,
      lastHeartbeatAt: 0,
      dirty: true,
      dirtyAt: Date.now(),
      computing: false,
      retryAt: 0,
      interestUntil: Date.now() + INTEREST_TTL_MS,
      waiting: new Set(),
    };
    this.topics.set(key, e);
    return e;
  }

  private tick(): void {
    const now = Date.now();
    // Topics held by this node's own clients.
    this.interest(heldTopics(this.nsp), now);

    const due: TopicEntry[] = [];
    for (const e of this.topics.values()) {
      if (e.computing || now < e.retryAt) continue;
      // No client anywhere holds it (a snapshot request counts as holding it for a while).
      if (e.interestUntil < now) {
        this.topics.delete(e.key);
        continue;
      }
      // A heartbeat says the figures were confirmed lately; when they cannot be read (the database
      // is down) heartbeats stop, and clients show the figures as stale.
      if (now - e.lastHeartbeatAt >= LIVE_HEARTBEAT_MS && now - e.computedAt < this.refreshMs + LIVE_HEARTBEAT_MS) this.heartbeat(e, now);
      const first = e.data === null;
      const stale = e.dirty || now - e.computedAt >= this.refreshMs;
      if (first || (stale && now - e.lastDeltaAt >= LIVE_MIN_DELTA_INTERVAL_MS)) due.push(e);
    }
    if (this.batchRunning || due.length === 0) return;
    // Changes on screens already showing a topic first, then first figures, then periodic refreshes;
    // within each, the longest-waiting first. A client subscribing to many heavy topics at once
    // delays nobody else's deltas.
    const rank = (e: TopicEntry) => (e.data === null ? 1 : e.dirty ? 0 : 2);
    const since = (e: TopicEntry) => (e.dirty ? e.dirtyAt : e.computedAt + this.refreshMs);
    due.sort((a, b) => rank(a) - rank(b) || since(a) - since(b));
    void this.recompute(due.slice(0, MAX_BATCH));
  }

  /** Reads the figures of a batch of topics together and sends what changed. */
  private async recompute(batch: TopicEntry[]): Promise<void> {
    this.batchRunning = true;
    const at = Date.now();
    // When each topic's figures changed (for the delta lag), before a change during the read re-marks it.
    const changedAt = new Map(batch.filter((e) => e.dirty).map((e) => [e, e.dirtyAt]));
    for (const e of batch) {
      e.computing = true;
      e.dirty = false;
    }
    try {
      const results = await this.figures.computeMany(
        batch.map((e) => e.topic),
        at,
      );
      if (!this.timer) return;
      for (const e of batch) {
        const r = results.get(e.key);
        if (!r || r instanceof Error) this.failed(e, r ?? new Error('no figures'));
        else this.publish(e, r, at, changedAt.get(e));
      }
    } catch (err) {
      for (const e of batch) this.failed(e, err as Error);
    } finally {
      for (const e of batch) e.computing = false;
      this.batchRunning = false;
    }
  }

  private publish(e: TopicEntry, f: TopicFigures, at: number, changedAt?: number): void {
    const set: Record<string, unknown> = {};
    const unset: string[] = [];
    let changes = 0;
    for (const [k, v] of Object.entries(f.data)) {
      const json = JSON.stringify(v);
      if (e.entryJson.get(k) !== json) {
        e.entryJson.set(k, json);
        set[k] = v;
        changes++;
      }
    }
    for (const k of e.entryJson.keys()) {
      if (!(k in f.data)) {
        e.entryJson.delete(k);
        unset.push(k);
        changes++;
      }
    }
    const periodMoved = e.from !== f.from || e.to !== f.to;
    const first = e.data === null;
    e.data = f.data;
    e.from = f.from;
    e.to = f.to;
    e.computedAt = at;
    e.projection = f.projection;
    // A load finishing changes no figure by itself, but the topic is then complete: say so.
    const loadingChanged = JSON.stringify(e.loading) !== JSON.stringify(f.loading);
    e.loading = f.loading;
    if (!first && (changes > 0 || periodMoved || loadingChanged)) {
      e.seq++;
      e.lastDeltaAt = Date.now();
      e.lastHeartbeatAt = e.lastDeltaAt;
      // Volatile: a client whose connection is still busy with earlier messages skips
      // this one, sees the gap in `seq` and takes a fresh snapshot once it has caught up.
      this.nsp.to(e.key).volatile.emit('delta', { ...this.meta(e), set, ...(unset.length ? { unset } : {}) });
      if (changedAt !== undefined) this.onDeltaLag?.((e.lastDeltaAt - changedAt) / 1000);
    }
    if (e.waiting.size > 0) {
      this.nsp.to([...e.waiting]).emit('snapshot', { ...this.meta(e), data: e.data });
      e.waiting.clear();
    }
  }

  /** Keeps the last figures (their asOf stops moving, which clients show) and tries again shortly. */
  private failed(e: TopicEntry, err: Error): void {
    if (!e.dirty) e.dirtyAt = Date.now();
    e.dirty = true;
    e.retryAt = Date.now() + 2000;
    if (Date.now() - this.lastError > 30_000) {
      this.lastError = Date.now();
      this.log.warn(`cannot read figures for ${e.key}: ${err.message}`);
    }
  }

  private heartbeat(e: TopicEntry, now: number): void {
    if (!e.data) return;
    e.lastHeartbeatAt = now;
    this.nsp.to(e.key).volatile.emit('heartbeat', this.meta(e));
  }

  private meta(e: TopicEntry): LiveMeta {
    return { topic: e.key, epoch: this.epoch, seq: e.seq, asOf: new Date(e.computedAt).toISOString(), projection: e.projection, loading: e.loading, sentAt: Date.now(), from: e.from, to: e.to };
  }
}
