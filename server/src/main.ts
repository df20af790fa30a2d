import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, DEMO_INGEST_KEY, loadConfig } from './config/config.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres.js';

const say = (msg: string) => process.stdout.write(`[ioc] ${msg}\n`);

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }

  let embedded: EmbeddedDatabase | null = null;
  let app: INestApplication | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    try {
      await app?.close();
      await embedded?.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.embeddedPgDir, say);
    url = embedded.url;
  } else {
    say('using the external PostgreSQL from DATABASE_URL');
  }
  app = await createApp(config, url);
  await app.listen(config.port, config.host);
  const addr = app.getHttpServer().address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  say(`dashboard      http://localhost:${port}/`);
  say(`API docs       http://localhost:${port}/api/docs`);
  say(`health         http://localhost:${port}/api/v1/health`);
  if (config.ingestApiKeys.includes(DEMO_INGEST_KEY)) {
    say(`ingest key     X-Api-Key: ${DEMO_INGEST_KEY}   (demo key: set INGEST_API_KEYS for real sources)`);
  }
  say(config.demo.enabled ? `demo feed      on (speed ×${config.demo.speed}, ${config.demo.backfillDays} days of history; DEMO_FEED=off to stop it)` : 'demo feed      off');
}

main().catch((e: unknown) => {
  process.stderr.write(`[ioc] failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
