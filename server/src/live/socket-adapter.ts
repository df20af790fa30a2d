import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config.js';
import { guardPool } from '../database/db-errors.js';

/** Largest message a client may send (subscriptions are small). */
const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

/**
 * socket.io for the whole application, with the adapter that carries
 * broadcasts and server-to-server messages between server processes:
 * Redis when REDIS_URL is set, else PostgreSQL (LISTEN/NOTIFY on the
 * application's own database, no extra infrastructure).
 */
export class ClusterIoAdapter extends IoAdapter {
  private adapterFactory: ServerOptions['adapter'] | null = null;
  private readonly closers: (() => Promise<unknown>)[] = [];
  private closed = false;
  /** `postgres` or `redis`, for health and logs. */
  kind: 'postgres' | 'redis' = 'postgres';

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly databaseUrl: string,
  ) {
    super(app);
  }

  async connect(): Promise<void> {
    if (this.config.redisUrl) {
      this.kind = 'redis';
      const pub = createClient({ url: this.config.redisUrl });
      const sub = pub.duplicate();
      pub.on('error', () => undefined);
      sub.on('error', () => undefined);
      await Promise.all([pub.connect(), sub.connect()]);
      this.closers.push(
        () => pub.quit(),
        () => sub.quit(),
      );
      // Processes sharing a database form one cluster; the key keeps other clusters on the same Redis apart.
      const db = new URL(this.databaseUrl).pathname.slice(1) || 'ioc';
      this.adapterFactory = createRedisAdapter(pub, sub, { key: `ioc:${db}` });
      return;
    }
    // Two connections: one holds LISTEN, the other sends. Messages over 8,000 bytes go through
    // the attachments table and may overtake or be overtaken by small ones; clients put them
    // back in order by their sequence numbers (or resync).
    const pool = new pg.Pool({ connectionString: this.databaseUrl, max: 2, application_name: 'ioc-socket.io' });
    // The adapter holds one connection for LISTEN for good; a lost connection must not end the process
    // (the adapter notices the connection's end and reconnects by itself).
    guardPool(pool, () => undefined);
    this.closers.push(() => pool.end());
    this.adapterFactory = createPostgresAdapter(pool, { channelPrefix: 'ioc', tableName: 'socket_io_attachments', heartbeatInterval: 2000, heartbeatTimeout: 5000 });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const origins = this.config.corsOrigins;
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
      serveClient: false,
      cors: origins.length > 0 ? { origin: origins, credentials: true } : undefined,
      // WebSockets ignore CORS: a browser page of another origin is refused here unless CORS_ORIGINS names it.
      allowRequest: (req, done) => {
        const origin = req.headers.origin;
        done(null, !origin || origins.includes(origin) || sameHost(origin, req.headers.host));
      },
    } as ServerOptions);
    if (this.adapterFactory) server.adapter(this.adapterFactory);
    return server;
  }

  override async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.closers.map((c) => c()));
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
