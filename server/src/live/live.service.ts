import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AdvisoryLease } from '../database/advisory-lease.js';
import { DatabaseHealth, type DatabaseState } from '../database/database-health.service.js';
import { ChangeFeed } from '../ingest/change-feed.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { UnitsService } from '../units/units.service.js';
import { type LiveNamespace, heldTopics } from './live.types.js';
import { LivePublisher } from './publisher.js';
import { TopicData } from './topic-data.js';
import { databaseUrlOf } from '../database/data-source.js';

/** Advisory lock key of the publisher lease: one publisher at a time. */
const PUBLISHER_LEASE_KEY = '4840431902113021';
const LEASE_RETRY_MS = 1000;
const INTEREST_EVERY_MS = 2000;
const SWEEP_EVERY_MS = 1000;
/** A connection with more than this waiting to be written is too slow to keep. */
export const MAX_PENDING_BYTES = 8 * 1024 * 1024;

export interface LiveStats {
  node: string;
  adapter: 'postgres' | 'redis';
  publisher: boolean;
  connections: number;
  topics: number;
  slowDisconnects: number;
}

/**
 * Every server process's part of the live stream: forwards its ingest commits
 * and its clients' topics to the publisher (wherever it runs), competes for the
 * publisher lease, and drops connections that cannot keep up.
 */
@Injectable()
export class LiveService implements OnApplicationShutdown {
  private readonly log = new Logger('Live');
  readonly node = randomUUID().slice(0, 8);
  private nsp: LiveNamespace | null = null;
  private publisher: LivePublisher | null = null;
  private readonly lease: AdvisoryLease;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private slowDisconnects = 0;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly figures: TopicData,
    private readonly changes: ChangeFeed,
    private readonly units: UnitsService,
    db: DataSource,
    private readonly metrics: MetricsService,
    private readonly database: DatabaseHealth,
  ) {
    metrics.watchLive(() => this.stats());
    this.lease = new AdvisoryLease(databaseUrlOf(db), PUBLISHER_LEASE_KEY, 'ioc-live-lease', () => this.demote('the publisher lease was lost'));
  }

  attach(nsp: LiveNamespace): void {
    this.nsp = nsp;
    nsp.on('live:changed', (units) => this.publisher?.changed(units));
    nsp.on('live:interest', (_node, topics) => this.publisher?.interest(topics));
    nsp.on('live:snapshot', (topic, socketId) => this.publisher?.snapshotFor(topic, socketId));
    const unsubscribeChanges = this.changes.subscribe((units) => {
      this.publisher?.changed(units);
      nsp.serverSideEmit('live:changed', [...units]);
    });
    // Every node tells its own clients when figures cannot be confirmed, and when they can again.
    const unsubscribeDatabase = this.database.subscribe((state) => nsp.local.emit('status', statusOf(state)));
    nsp.on('connection', (socket) => {
      const state = this.database.current;
      if (!state.up) socket.emit('status', statusOf(state));
    });
    this.unsubscribe = () => {
      unsubscribeChanges();
      unsubscribeDatabase();
    };
    this.every(LEASE_RETRY_MS, () => void this.competeForLease());
    this.every(INTEREST_EVERY_MS, () => this.announceInterest());
    this.every(SWEEP_EVERY_MS, () => this.dropSlowConnections());
    void this.competeForLease();
  }

  /** Asks the publisher for a snapshot of `topic` for one socket. */
  requestSnapshot(topic: string, socketId: string): void {
    if (this.publisher) this.publisher.snapshotFor(topic, socketId);
    else this.nsp?.serverSideEmit('live:snapshot', topic, socketId);
  }

  stats(): LiveStats {
    const topics = this.nsp ? heldTopics(this.nsp).length : 0;
    return {
      node: this.node,
      adapter: this.config.redisUrl ? 'redis' : 'postgres',
      publisher: this.publisher !== null,
      connections: this.nsp?.sockets.size ?? 0,
      topics,
      slowDisconnects: this.slowDisconnects,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe?.();
    this.publisher?.stop();
    this.publisher = null;
    await this.lease.release();
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  private async competeForLease(): Promise<void> {
    if (this.stopped || !this.nsp || this.publisher) return;
    if (!(await this.lease.tryAcquire()) || this.stopped || this.publisher) return;
    this.publisher = new LivePublisher(
      this.nsp,
      this.figures,
      this.config.liveRefreshMs,
      (u) => this.units.provinceOfUnit(u),
      (s) => this.metrics.observeLiveDeltaLag(s),
    );
    this.publisher.start();
  }

  private demote(reason: string): void {
    if (!this.publisher) return;
    this.log.warn(`${reason}: this process stops publishing the live stream`);
    this.publisher.stop();
    this.publisher = null;
  }

  private announceInterest(): void {
    if (!this.nsp || this.publisher) return;
    const topics = heldTopics(this.nsp);
    if (topics.length) this.nsp.serverSideEmit('live:interest', this.node, topics);
  }

  /** A client that does not read its messages must not make the server hold them without bound. */
  private dropSlowConnections(): void {
    if (!this.nsp) return;
    for (const socket of this.nsp.sockets.values()) {
      const pending = pendingBytes(socket.conn as unknown as Parameters<typeof pendingBytes>[0]);
      if (pending > MAX_PENDING_BYTES) {
        this.slowDisconnects++;
        this.log.warn(`closing connection ${socket.id}: ${Math.round(pending / 1024)} KiB not yet delivered (the client is not reading); it will reconnect and resynchronise`);
        // Closing the transport (not a socket.io disconnect) lets the client reconnect by itself.
        socket.conn.close();
      }
    }
  }
}

function statusOf(state: DatabaseState): { database: 'up' | 'down'; since: string } {
  return { database: state.up ? 'up' : 'down', since: state.since.toISOString() };
}

/** Bytes queued for a connection: engine.io's write buffer plus the WebSocket's unsent bytes. */
export function pendingBytes(conn: { writeBuffer: { data?: unknown }[]; transport: unknown }): number {
  let n = 0;
  for (const p of conn.writeBuffer) n += typeof p.data === 'string' ? p.data.length : ((p.data as { byteLength?: number } | undefined)?.byteLength ?? 0);
  const ws = (conn.transport as { socket?: { bufferedAmount?: number } }).socket;
  return n + (typeof ws?.bufferedAmount === 'number' ? ws.bufferedAmount : 0);
}
