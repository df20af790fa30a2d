import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role, TokenResponse } from '@ioc/shared';
import { insertAccount, registerIngestKey } from '../src/auth/provision.js';
import { createApp } from '../src/app.factory.js';
import { type AppConfig, REPO_ROOT, loadConfig } from '../src/config/config.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { waitForProjection } from '../src/ingest/projection-state.js';

/** A national ingest key (every province), registered in every test database. */
export const TEST_API_KEY = 'test-ingest-key-0123';
/** The test administrator, created in every test database. */
export const TEST_ADMIN = { username: 'test-admin', password: 'test-admin-password' };

/** Writes the test key and administrator into a migrated database. */
export async function provisionTestDatabase(db: { query: (sql: string, args: unknown[]) => Promise<unknown> }): Promise<void> {
  await registerIngestKey(db, TEST_API_KEY, 'nation', 'Tests');
  await insertAccount(db, { ...TEST_ADMIN, role: 'admin', scope: 'nation', displayName: 'Quản trị kiểm thử' });
}

/**
 * The test server: DATABASE_URL when set, else an embedded PostgreSQL kept in
 * .data/pg-test, started once per test file and stopped with its last database.
 */
let server: Promise<{ admin: string; embedded: EmbeddedDatabase | null }> | null = null;
let open = 0;
async function testServer(): Promise<{ admin: string; embedded: EmbeddedDatabase | null }> {
  server ??= (async () => {
    if (process.env.DATABASE_URL) return { admin: process.env.DATABASE_URL, embedded: null };
    const embedded = await startEmbeddedPostgres(join(REPO_ROOT, '.data', 'pg-test'), () => undefined);
    return { admin: embedded.url, embedded };
  })();
  return server;
}

/** A fresh database on the test server. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { admin, embedded } = await testServer();
  open++;
  const name = `ioc_test_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      if (--open === 0 && embedded) {
        server = null;
        await embedded.stop();
      }
    },
  };
}

export interface TestApp {
  app: INestApplication;
  db: DataSource;
  url: string;
  config: AppConfig;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The test administrator's access token. */
  token: string;
  /** HTTP requests as the test administrator. */
  http: ReturnType<typeof request.agent>;
  /** Creates an account (if new) and signs it in. */
  signIn(account: TestAccount): Promise<TokenResponse>;
  /** HTTP requests with another access token. */
  as(token: string): ReturnType<typeof request.agent>;
  /** Waits until the projector has folded everything in the log into the figures. */
  projected(): Promise<void>;
  /** Waits until the demo's history load begun by this app (DEMO_FEED=on) is imported and folded. */
  demoHistoryLoaded(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface TestAccount {
  username: string;
  role: Role;
  scope: string;
  password?: string;
  displayName?: string;
}

/** The whole application on port 0 against a fresh database (or `databaseUrl`); demo feed and timed alert evaluation off unless asked. */
export async function startTestApp(env: Record<string, string> = {}, databaseUrl?: string): Promise<TestApp> {
  const database = databaseUrl ? { url: databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const startedAt = new Date();
  // Hourly rollups are kept for ever: tests pin their instants, often months back (hourly-retention.spec covers the retention).
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DEMO_FEED: 'off',
    ALERT_EVALUATE_SECONDS: '0',
    INGEST_RATE_LIMIT_PER_MINUTE: '0',
    REPORTS_SCHEDULE_SECONDS: '0',
    KPI_HOURLY_RETENTION_DAYS: '0',
    ...env,
  });
  const app = await createApp(config, database.url);
  await app.listen(0, '127.0.0.1');
  const db = app.get(DataSource);
  await provisionTestDatabase(db);
  const server = app.getHttpServer();
  const signIn = async (a: TestAccount): Promise<TokenResponse> => {
    const password = a.password ?? `${a.username}-password`;
    await insertAccount(db, { username: a.username, password, role: a.role, scope: a.scope, displayName: a.displayName ?? a.username });
    const res = await request(server).post('/api/v1/auth/sign-in').send({ username: a.username, password });
    if (res.status !== 200) throw new Error(`sign-in of ${a.username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as TokenResponse;
  };
  const token = (await signIn({ ...TEST_ADMIN, role: 'admin', scope: 'nation' })).accessToken;
  return {
    app,
    db,
    url: database.url,
    config,
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    token,
    http: request.agent(server).set('Authorization', `Bearer ${token}`),
    signIn,
    as: (tok: string) => request.agent(server).set('Authorization', `Bearer ${tok}`),
    projected: () => waitUntilProjected(db),
    demoHistoryLoaded: async (timeoutMs = 240_000) => {
      await waitForDemoHistory(db, startedAt, timeoutMs);
      await waitUntilProjected(db);
    },
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** Waits until the demo's history load begun at or after `since` is finished (fails after `timeoutMs`). */
async function waitForDemoHistory(db: DataSource, since: Date, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = (await db.query(`SELECT finished_at IS NOT NULL AND started_at >= $1 AS done FROM history_load WHERE name = 'demo-history'`, [since])) as { done: boolean }[];
    if (row?.done) return;
    if (Date.now() > deadline) throw new Error(`the demo history did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until the projection has folded the whole log (fails after 30 s). */
export async function waitUntilProjected(db: DataSource, timeoutMs = 30_000): Promise<void> {
  const [{ head }] = (await db.query(`SELECT coalesce(max(seq), 0)::bigint AS head FROM ingest_event`)) as [{ head: string }];
  if (!(await waitForProjection(db, Number(head), timeoutMs))) throw new Error(`the projector did not reach log position ${head} within ${timeoutMs} ms`);
}
