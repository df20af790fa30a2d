import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { databaseUrlOf } from '../database/data-source.js';

/** The table of rate-limiter-flexible's PostgreSQL store, created by migration 1764144000000. */
export const RATE_LIMIT_TABLE = 'rate_limit';
/** How long start-up waits for Redis before counting in memory until it answers. */
const REDIS_CONNECT_WAIT_MS = 2000;
/** Counters an hour past their window are deleted this often (PostgreSQL store). */
const CLEAR_EVERY_MS = 5 * 60_000;

export type RateLimitStore = 'redis' | 'postgres';

/** A limiter whose `consume` answers a RateLimiterRes, or rejects with one past the limit. */
export interface RateLimit {
  readonly points: number;
  consume(key: string): Promise<RateLimiterRes>;
}

/**
 * Rate limits shared by every server process on one database: sign-in attempts
 * per client address and ingest requests per key. The counters live in Redis
 * when REDIS_URL is set, else in the application's own PostgreSQL (table
 * `rate_limit`, through the TypeORM pool), so N processes allow what one does.
 *
 * When the store cannot be reached (database or Redis down), each limiter falls
 * back to an in-memory counter with the same limit (rate-limiter-flexible's
 * insuranceLimiter): a request is never answered 500 because of the limiter,
 * and sign-in is never left without a limit; at worst each process counts alone.
 */
@Injectable()
export class RateLimitsService implements OnModuleDestroy {
  private readonly logger = new Logger('RateLimits');
  readonly store: RateLimitStore;
  private readonly redis: ReturnType<typeof createClient> | null = null;
  private readonly prefix: string;
  private readonly postgres: { clearExpired(expire: number): Promise<void> }[] = [];
  private clearTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {
    // Processes sharing a database share their limits; another database on the same Redis counts apart.
    const database = new URL(databaseUrlOf(db)).pathname.slice(1);
    this.prefix = `ioc:${database || 'ioc'}:rl`;
    if (config.redisUrl) {
      this.store = 'redis';
      this.redis = createClient({ url: config.redisUrl });
      this.redis.on('error', () => undefined);
      const connected = this.redis.connect().then(
        () => true,
        () => false,
      );
      // node-redis keeps retrying while Redis is down: do not wait for it at start; the in-memory fallback counts meanwhile.
      void Promise.race([connected, new Promise((r) => setTimeout(r, REDIS_CONNECT_WAIT_MS).unref())]).then((ok) => {
        if (ok !== true) this.logger.warn(`Redis (${redactUrl(config.redisUrl!)}) is not answering: rate limits count per process until it does`);
      });
    } else {
      this.store = 'postgres';
      this.clearTimer = setInterval(() => {
        for (const l of this.postgres) void l.clearExpired(Date.now() - 3_600_000);
      }, CLEAR_EVERY_MS);
      this.clearTimer.unref();
    }
  }

  /** Sign-in attempts per client address per minute. */
  readonly signInPerAddress = (): RateLimit => this.limiter('signin-ip', this.config.auth.signInPerMinute, 60);

  /** Ingest requests per key per minute; null when unlimited. */
  readonly ingestPerKey = (): RateLimit | null => (this.config.auth.ingestPerMinute > 0 ? this.limiter('ingest-key', this.config.auth.ingestPerMinute, 60) : null);

  private limiter(name: string, points: number, duration: number): RateLimit {
    const insuranceLimiter = new RateLimiterMemory({ points, duration });
    const keyPrefix = `${this.prefix}:${name}`;
    let l: RateLimiterStoreAbstract;
    if (this.redis) {
      // node-redis v4+ ("useRedisPackage"); refuse at once while Redis is not connected rather than queue the command.
      l = new RateLimiterRedis({ storeClient: this.redis, useRedisPackage: true, rejectIfRedisNotReady: true, keyPrefix, points, duration, insuranceLimiter });
    } else {
      const pool = (this.db.driver as PostgresDriver).master as pg.Pool;
      const pgl = new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix,
        points,
        duration,
        insuranceLimiter,
      });
      this.postgres.push(pgl as unknown as { clearExpired(expire: number): Promise<void> });
      l = pgl;
    }
    return {
      points,
      consume: async (key: string) => {
        try {
          return await l.consume(key);
        } catch (e) {
          if (e instanceof RateLimiterRes) throw e;
          // Not expected (the insurance limiter answers when the store fails); never fail the request for it.
          this.logger.warn(`rate limit ${name} could not be counted: ${e instanceof Error ? e.message : String(e)}`);
          return insuranceLimiter.consume(key);
        }
      },
    };
  }

  onModuleDestroy(): void {
    clearInterval(this.clearTimer);
    // Counters need no flushing: drop the connection (and its reconnect attempts) at once.
    if (this.redis) this.redis.destroy();
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}
