import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { guardPool, isDatabaseUnavailable } from './db-errors.js';

/** How often the database is probed. */
export const PROBE_EVERY_MS = 1000;
/** A probe that takes longer than this counts as a failure. */
const PROBE_TIMEOUT_MS = 3000;

export interface DatabaseState {
  up: boolean;
  /** When the current state began. */
  since: Date;
  /** Last probe's round trip, null while down. */
  latencyMs: number | null;
  /** What the last failed probe said. */
  error: string | null;
  /** Outages seen since the process started. */
  outages: number;
}

type Listener = (state: DatabaseState) => void;

/**
 * Watches the database: probes it every second and tells listeners when it goes
 * away and when it is back (health, the live stream, metrics). Nothing here stops
 * the process: requests fail with 503 while the database is down and work again
 * by themselves when it returns, through the same connection pool.
 */
@Injectable()
export class DatabaseHealth implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Database');
  private state: DatabaseState = { up: true, since: new Date(), latencyMs: null, error: null, outages: 0 };
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private probing = false;

  constructor(private readonly db: DataSource) {
    // TypeORM's pool (the driver's `master`): a connection lost while checked out must not end the process.
    const pool = (db.driver as unknown as { master?: Parameters<typeof guardPool>[0] }).master;
    if (pool) guardPool(pool, (e) => this.reportFailure(e));
  }

  get current(): DatabaseState {
    return this.state;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.probe(), PROBE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Probes now; returns the state after the probe. */
  async probe(): Promise<DatabaseState> {
    if (this.probing) return this.state;
    this.probing = true;
    const t0 = performance.now();
    try {
      await withTimeout(this.db.query('SELECT 1'), PROBE_TIMEOUT_MS);
      this.set(true, null, Math.round((performance.now() - t0) * 10) / 10);
    } catch (e) {
      this.set(false, (e as Error).message ?? String(e), null);
    } finally {
      this.probing = false;
    }
    return this.state;
  }

  /** A request saw the database fail: the next probe comes at once rather than within a second. */
  reportFailure(e: unknown): void {
    if (this.state.up && isDatabaseUnavailable(e)) void this.probe();
  }

  private set(up: boolean, error: string | null, latencyMs: number | null): void {
    const was = this.state;
    if (was.up === up) {
      this.state = { ...was, error, latencyMs };
      return;
    }
    const now = new Date();
    this.state = { up, since: now, latencyMs, error, outages: was.outages + (up ? 0 : 1) };
    if (up) this.log.log(`the database is back after ${Math.round((now.getTime() - was.since.getTime()) / 100) / 10} s`);
    else this.log.warn(`the database is unavailable (${error}); answering 503 until it is back`);
    for (const l of this.listeners) {
      try {
        l(this.state);
      } catch (err) {
        this.log.error(`a listener of database state failed: ${(err as Error).message}`);
      }
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
