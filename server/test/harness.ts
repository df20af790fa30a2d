import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { type AppConfig, loadConfig } from '../src/config/config.js';

export const TEST_API_KEY = 'test-ingest-key-0123';

/** A fresh database on the test server (embedded PostgreSQL, or DATABASE_URL). */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_ADMIN_DATABASE_URL;
  if (!admin) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (global setup starts PostgreSQL)');
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

/** The whole application on port 0 against a fresh database, demo feed off unless asked. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn', DEMO_FEED: 'off', INGEST_API_KEYS: TEST_API_KEY, ...env });
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
