import 'reflect-metadata';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { activeAdmins } from './auth/users.repository.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './auth/users.service.js';
import { ConfigError, loadConfig } from './config/config.js';
import { DemoFeedService } from './demo/demo-feed.service.js';
import { AppLogger } from './common/logging.js';
import { DataSource } from 'typeorm';
import { type EmbeddedDatabase, EmbeddedPostgresError, startEmbeddedPostgres } from './database/embedded-postgres.js';

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
    AppLogger.shuttingDown();
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
  // The embedded-postgres package stops its databases on these signals by itself and exits with 128 + the signal,
  // racing the orderly stop here (the server first, the database last): the server owns its database's stop.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
  // A promise that failed with nobody waiting for it (a background read while the database is down) is
  // logged; it must not end a process that recovers by itself once the database is back.
  process.on('unhandledRejection', (e: unknown) => say(`background task failed: ${e instanceof Error ? e.message : String(e)}`));

  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.embeddedPgDir, say);
    url = embedded.url;
  }
  try {
    app = await createApp(config, url);
    await app.listen(config.port, config.host);
  } catch (e) {
    // Leave nothing running behind a failed start (a port in use, a database that refuses the migrations).
    await app?.close().catch(() => undefined);
    await embedded?.stop();
    throw e;
  }
  const addr = (app.getHttpServer() as Server).address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const base = `http://localhost:${port}`;
  const lines: [string, string][] = [
    ['dashboard', `${base}/`],
    ['API docs', `${base}/api/docs   health ${base}/api/v1/health`],
    ['database', embedded ? `embedded PostgreSQL in ${config.embeddedPgDir} (${hostOf(url)})` : `external PostgreSQL ${hostOf(url)} (DATABASE_URL)`],
    ['demo feed', config.demo.enabled ? `on, speed ×${config.demo.speed}, ${config.demo.backfillDays} days of history (DEMO_FEED=off to stop it)` : 'off'],
  ];
  if (config.auth.demoAccounts) {
    lines.push(['sign in', `${DEMO_ACCOUNTS.map((a) => a.username).join(', ')}   password ${DEMO_PASSWORD}   (demo accounts)`]);
  } else {
    const n = await activeAdmins(app.get(DataSource).manager);
    lines.push(['sign in', n === 0 ? 'no administrator yet: create one with  npm run create-admin -- --username <name>' : 'with your account']);
  }
  if (config.demo.enabled) lines.push(['ingest key', `X-Api-Key: ${app.get(DemoFeedService).demoKey('01')}   (the demo source system of Hà Nội)`]);
  // One summary instead of a line per step: what to open, what runs, how to sign in.
  process.stdout.write(`[ioc] ready\n${lines.map(([k, v]) => `      ${k.padEnd(11)}${v}`).join('\n')}\n`);
}

/** `postgres://user:secret@127.0.0.1:5432/ioc` → `postgres@127.0.0.1:5432/ioc`: where, never the password. */
function hostOf(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'the configured database';
  }
}

main().catch((e: unknown) => {
  const err = e as (NodeJS.ErrnoException & { port?: number }) | undefined;
  const message =
    err?.code === 'EADDRINUSE'
      ? `port ${err?.port ?? ''} is already in use; stop what uses it or start with another PORT (e.g. PORT=3001 npm start)`
      : e instanceof EmbeddedPostgresError
        ? e.message // PostgreSQL's own log lines and what to do; a stack would only hide them
        : e instanceof Error
          ? (e.stack ?? e.message)
          : `${String(e)} (not an Error; nothing more is known)`;
  process.stderr.write(`[ioc] failed to start: ${message}\n`);
  process.exit(1);
});
