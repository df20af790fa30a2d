import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ProjectionMark } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AdvisoryLease } from '../database/advisory-lease.js';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import { ChangeFeed } from '../ingest/change-feed.js';
import { readProjectionMark } from '../ingest/projection-state.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { UnitsService } from '../units/units.service.js';
import { type BatchHook, projectPipelined } from './projector.js';
import { dropExpiredLogPartitions, ensureLogPartitions } from './log-partitions.js';
import { purgeExpiredHourlyRollups } from './hourly-retention.js';
import { RunningStocks } from './running-stocks.js';
import { databaseUrlOf } from '../database/data-source.js';

/** Session advisory lock of the projector lease: one projector at a time. */
const PROJECTOR_LEASE_KEY = '4840431902113023';

/** With nothing new in the log, it is looked at this often (ingest in this process wakes the projector at once). */
const IDLE_POLL_MS = 50;
/** A process without the lease tries to take it this often. */
const LEASE_RETRY_MS = 1000;
/** The raw log's partitions are looked after this often (new months ahead, retention) by the process that projects. */
const MAINTENANCE_EVERY_MS = 3_600_000;
/** After a failed batch, the next try waits this long. */
const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * Runs the projector: the one process holding the projector lease folds the
 * raw log into dossiers, rollups and unit activity, batch after batch, and
 * announces the units whose figures changed. Every process competes for the
 * lease; when the holder dies, another takes over within about a second and
 * continues from the watermark.
 */
@Injectable()
export class ProjectionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Projector');
  private readonly lease: AdvisoryLease;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** Until start(): a process with PROJECTOR=off never folds, however often ingest wakes it. */
  private stopped = true;
  private nextLeaseTry = 0;
  private failingSince: number | null = null;
  private nextMaintenance = 0;
  private readonly hooks: BatchHook[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly changes: ChangeFeed,
    private readonly metrics: MetricsService,
    stocks: RunningStocks,
  ) {
    this.lease = new AdvisoryLease(databaseUrlOf(db), PROJECTOR_LEASE_KEY, 'ioc-projector-lease', () => this.log.warn('the projector lease was lost; another process continues from the watermark'));
    this.changes.onAppended(() => this.wake());
    metrics.watchProjection(() => this.mark());
    // The alert engine's running stocks move with the dossiers, in the same transaction.
    this.addHook((m, changes) => stocks.apply(m, changes, (u) => this.provinceOf(u)));
  }

  /** Adds work done in each batch's transaction (state derived from the same dossier changes). */
  addHook(hook: BatchHook): void {
    this.hooks.push(hook);
  }

  get isProjector(): boolean {
    return this.lease.isHeld;
  }

  onApplicationBootstrap(): void {
    if (this.config.projector) this.start();
    else this.log.log('PROJECTOR=off: this process serves requests; another process folds the event log into the figures');
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Competes for the projector lease and folds the log while it holds it. */
  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.nextLeaseTry = 0;
    this.timer = setInterval(() => this.wake(), IDLE_POLL_MS);
    this.timer.unref();
    this.wake();
  }

  /** Stops folding after the current batch and gives up the lease (another process takes over). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.lease.release();
  }

  /** How far the figures have folded the log (read from the database, whichever process projects). */
  mark(): Promise<ProjectionMark> {
    return readProjectionMark(this.db);
  }

  /** Something may have been appended: fold it now (a no-op unless this process holds the lease). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((e: unknown) => this.failed(e))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    if (this.failingSince !== null && Date.now() - this.failingSince < RETRY_AFTER_FAILURE_MS) return;
    if (!this.lease.isHeld) {
      if (Date.now() < this.nextLeaseTry) return;
      this.nextLeaseTry = Date.now() + LEASE_RETRY_MS;
      if (!(await this.lease.tryAcquire())) return;
      this.log.log('this process now runs the projector');
      this.nextMaintenance = 0;
    }
    if (Date.now() >= this.nextMaintenance) {
      this.nextMaintenance = Date.now() + MAINTENANCE_EVERY_MS;
      await this.maintainLog();
    }
    const provinceOf = (u: string) => this.provinceOf(u);
    const hook: BatchHook | undefined =
      this.hooks.length === 0
        ? undefined
        : async (m, changes) => {
            for (const h of this.hooks) await h(m, changes);
          };
    await projectPipelined(this.db, provinceOf, {
      hook,
      hourlyDays: this.config.hourlyRetentionDays,
      proceed: () => !this.stopped && this.lease.isHeld,
      onBatch: (batch, ms) => {
        this.failingSince = null;
        this.metrics.observeProjectionBatch(batch.events, ms / 1000);
        this.changes.publish(batch.units);
      },
    });
    this.failingSince = null;
  }

  /** New months' partitions ahead of time; months past RAW_LOG_RETENTION_MONTHS dropped once folded; hourly rollups past KPI_HOURLY_RETENTION_DAYS deleted. */
  private async maintainLog(): Promise<void> {
    const purged = await purgeExpiredHourlyRollups(this.db, this.config.hourlyRetentionDays);
    if (purged > 0) this.log.log(`hourly rollups older than ${this.config.hourlyRetentionDays} days deleted (KPI_HOURLY_RETENTION_DAYS): ${purged} rows; day and month rollups keep their figures`);
    const created = await ensureLogPartitions(this.db);
    if (created.length > 0) this.log.log(`raw log partitions created: ${created.join(', ')}`);
    const dropped = await this.db.transaction((m) => dropExpiredLogPartitions(m, this.config.rawLogRetentionMonths));
    if (dropped.length > 0) this.log.log(`raw log months dropped (RAW_LOG_RETENTION_MONTHS=${this.config.rawLogRetentionMonths}): ${dropped.join(', ')}; their figures stay`);
  }

  private failed(e: unknown): void {
    const first = this.failingSince === null;
    this.failingSince = Date.now();
    if (isDatabaseUnavailable(e)) {
      if (first) this.log.warn('the database is unavailable: projection pauses and resumes from the watermark when it is back');
      return;
    }
    this.log.error(`a projection batch failed and will be retried: ${(e as Error).stack ?? String(e)}`);
  }

  // Units are validated at ingest; an unknown one in the log is a bug, not a default.
  private provinceOf(unit: string): string {
    const p = this.units.provinceOfUnit(unit);
    if (p === null) throw new Error(`the event log names unit ${unit}, which is not a known unit`);
    return p;
  }
}
