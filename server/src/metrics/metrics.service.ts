import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { DatabaseHealth } from '../database/database-health.service.js';

/** Every metric of this server starts with it (the default process metrics too). */
export const METRIC_PREFIX = 'ioc_';

/** Outcomes of ingested events, as POST /api/v1/events reports them. */
export interface IngestCounts {
  accepted: number;
  duplicates: number;
  rejected: number;
  conflicts: number;
}

/** What the live stream reports at scrape time (LiveService.stats()). */
export type LiveStatsSource = () => { connections: number };

/**
 * The Prometheus metrics of one application instance. It owns its own
 * Registry (never prom-client's global one): several instances run in one test
 * process, and each must count only its own work. Gauges that describe a
 * state (pool, live connections) are read when scraped, not kept up to date.
 */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly ingestEvents: Counter<'result'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly projectionBatch: Histogram;
  private projectionSource: (() => Promise<{ lagSeconds: number; pendingEvents: number }>) | null = null;
  private readonly liveDeltaLag: Histogram;
  private readonly alertTick: Histogram;
  private readonly dbUp: Gauge;
  private readonly dbOutages: Counter;
  private liveStats: LiveStatsSource | null = null;
  private up = true;

  constructor(
    private readonly db: DataSource,
    database: DatabaseHealth,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });

    this.ingestEvents = new Counter({
      name: `${METRIC_PREFIX}ingest_events_total`,
      help: 'Events received on POST /api/v1/events, by outcome (accepted, duplicate, rejected, conflict).',
      labelNames: ['result'],
      registers,
    });
    // Every outcome is exposed from the start, so rate() has a series before the first one occurs.
    for (const result of ['accepted', 'duplicate', 'rejected', 'conflict']) this.ingestEvents.inc({ result }, 0);

    this.httpDuration = new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: 'HTTP requests answered, by method, matched route pattern ("unmatched" when none matched) and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });

    const projection = () => this.projectionSource;
    new Gauge({
      name: `${METRIC_PREFIX}projection_lag_seconds`,
      help: 'How long the oldest accepted event not yet in the KPI figures has waited for the projector (0 when none waits).',
      registers,
      async collect() {
        const read = projection();
        this.set(read ? ((await read().catch(() => null))?.lagSeconds ?? 0) : 0);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}projection_pending_events`,
      help: 'About how many accepted events are not yet in the KPI figures.',
      registers,
      async collect() {
        const read = projection();
        this.set(read ? ((await read().catch(() => null))?.pendingEvents ?? 0) : 0);
      },
    });
    this.projectionBatch = new Histogram({
      name: `${METRIC_PREFIX}projection_batch_duration_seconds`,
      help: 'Duration of one projector batch (folding log rows into dossiers and rollups), on the process running the projector.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });

    const live = () => this.liveStats;
    new Gauge({
      name: `${METRIC_PREFIX}live_connections`,
      help: 'Live-stream (socket.io) connections open on this process.',
      registers,
      collect() {
        this.set(live()?.().connections ?? 0);
      },
    });
    this.liveDeltaLag = new Histogram({
      name: `${METRIC_PREFIX}live_delta_lag_seconds`,
      help: "Time from a unit's figures changing to the live delta carrying them being sent (on the process publishing the live stream).",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30],
      registers,
    });

    this.alertTick = new Histogram({
      name: `${METRIC_PREFIX}alert_tick_duration_seconds`,
      help: 'Duration of one evaluation of every alert rule for every unit.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });

    const pool = () => this.pool();
    new Gauge({
      name: `${METRIC_PREFIX}db_pool_connections`,
      help: "This process's database connection pool: connections open (total), of them idle, and queries waiting for one.",
      labelNames: ['state'],
      registers,
      collect() {
        const p = pool();
        this.set({ state: 'total' }, p?.totalCount ?? 0);
        this.set({ state: 'idle' }, p?.idleCount ?? 0);
        this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
      },
    });

    this.dbUp = new Gauge({ name: `${METRIC_PREFIX}db_up`, help: 'Whether the database answers (1) or not (0), as the database-health monitor last saw it.', registers });
    this.dbUp.set(1);
    this.dbOutages = new Counter({ name: `${METRIC_PREFIX}db_outages_total`, help: 'Times the database went from answering to not answering.', registers });
    // Metrics listen to the database monitor (it tells of transitions only), so database/ does not depend on metrics/.
    database.subscribe((state) => (state.up ? this.databaseUp() : this.databaseDown()));
  }

  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Counts one ingest request's events by outcome. */
  countIngest(counts: IngestCounts): void {
    if (counts.accepted > 0) this.ingestEvents.inc({ result: 'accepted' }, counts.accepted);
    if (counts.duplicates > 0) this.ingestEvents.inc({ result: 'duplicate' }, counts.duplicates);
    if (counts.rejected > 0) this.ingestEvents.inc({ result: 'rejected' }, counts.rejected);
    if (counts.conflicts > 0) this.ingestEvents.inc({ result: 'conflict' }, counts.conflicts);
  }

  /** Where the projection lag is read at each scrape (the projection state in the database, whichever process projects). */
  watchProjection(source: () => Promise<{ lagSeconds: number; pendingEvents: number }>): void {
    this.projectionSource = source;
  }

  /** One projector batch of `events` log rows took `seconds`. */
  observeProjectionBatch(events: number, seconds: number): void {
    if (events > 0) this.projectionBatch.observe(Math.max(0, seconds));
  }

  /** The live stream's statistics, read at every scrape (LiveService registers itself). */
  watchLive(source: LiveStatsSource): void {
    this.liveStats = source;
  }

  /** One live delta sent `seconds` after its topic's figures changed. */
  observeLiveDeltaLag(seconds: number): void {
    this.liveDeltaLag.observe(Math.max(0, seconds));
  }

  /** One alert evaluation took `seconds`. */
  observeAlertTick(seconds: number): void {
    this.alertTick.observe(Math.max(0, seconds));
  }

  /** The database stopped answering; counts an outage only on the transition from up. */
  databaseDown(): void {
    if (this.up) this.dbOutages.inc();
    this.up = false;
    this.dbUp.set(0);
  }

  /** The database answers again. */
  databaseUp(): void {
    this.up = true;
    this.dbUp.set(1);
  }

  /**
   * Express middleware timing every request from its arrival to the end of its
   * answer, errors included (guards, the exception filter, body-parser failures,
   * 404s). The route label is the matched pattern (`/api/v1/kpis/:scope`), read
   * once the answer is finished; never the raw URL.
   */
  httpMiddleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
      next();
    };
  }

  onApplicationShutdown(): void {
    this.liveStats = null;
  }

  /** The pg Pool behind TypeORM's PostgreSQL driver (absent before connecting and after closing). */
  private pool(): Pool | null {
    if (!this.db.isInitialized) return null;
    return ((this.db.driver as PostgresDriver).master as Pool | undefined) ?? null;
  }
}

/**
 * The matched route pattern of a request, or "unmatched". Nest registers
 * middleware bound to paths (the request logger's `/api*path`) as `all`
 * routes ahead of the controllers; a request no controller matched is left
 * with one of those in req.route, so an `all` route counts as no match (no
 * controller here uses @All()).
 */
export function routeOf(req: Request): string {
  const route = req.route as { path?: unknown; methods?: Record<string, boolean> } | undefined;
  const path = route?.path;
  if (path === undefined || route?.methods?._all) return 'unmatched';
  return `${req.baseUrl ?? ''}${typeof path === 'string' ? path : JSON.stringify(path)}`;
}
