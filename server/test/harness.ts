import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { type AppConfig, REPO_ROOT, loadConfig } from '../src/config/config.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

export const TEST_API_KEY = 'test-ingest-key-0123';

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
  close(): Promise<void>;
}

/** The whole application on port 0 against a fresh database (or `databaseUrl`); demo feed and timed alert evaluation off unless asked. */
export async function startTestApp(env: Record<string, string> = {}, databaseUrl?: string): Promise<TestApp> {
  const database = databaseUrl ? { url: databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn', DEMO_FEED: 'off', ALERT_EVALUATE_SECONDS: '0', INGEST_API_KEYS: TEST_API_KEY, ...env });
  const app = await createApp(config, database.url);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    db: app.get(DataSource),
    url: database.url,
    config,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
