import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { REPO_ROOT, SERVER_ROOT } from '../src/config/config.js';
import { type EmbeddedDatabase, EmbeddedPostgresError, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

// Under the project folder: when running as root, every parent must be traversable by `postgres`.
mkdirSync(join(REPO_ROOT, '.data'), { recursive: true });
const base = mkdtempSync(join(REPO_ROOT, '.data', 'crash-'));
const built = join(SERVER_ROOT, 'dist', 'server', 'src', 'database', 'embedded-postgres.js');

afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Folders of the tests below, under the project (not /tmp, which one of them replaces). */
const scratch: string[] = [];
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(REPO_ROOT, '.data', prefix));
  scratch.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of scratch) {
    // Should a test have failed half-way, stop the postgres it left behind before deleting its folder.
    const pidFile = join(dir, 'data', 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGINT');
        for (let i = 0; i < 100; i++) {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        }
      } catch {
        // gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A private mount namespace lets a test give one process a /tmp that nobody can write to, leaving the
 * machine's /tmp alone. Only skipped when the kernel refuses the namespace (not root, or a container
 * that forbids unshare); any other failure of the probe fails the test.
 */
const nsProbe = spawnSync('unshare', ['--mount', '--propagation', 'private', 'true'], { encoding: 'utf8' });
const nsForbidden = !nsProbe.error && nsProbe.status !== 0 && /operation not permitted/i.test(nsProbe.stderr);
if (nsForbidden) {
  console.warn(`skipping the read-only /tmp test: the kernel does not allow this process a mount namespace ` + `(uid ${process.getuid?.()}; unshare said: ${nsProbe.stderr.trim()})`);
}

/**
 * Replaces /tmp with a read-only tmpfs (mode 0755) for one process. A checkout that itself lives
 * under /tmp stays reachable: it is held on a bind mount outside /tmp and mounted back in place.
 */
const HIDE_TMP = [
  'set -e',
  'HOLD=/var/tmp/ioc-notmp-hold',
  'mkdir -p "$HOLD"',
  'mount --bind "$REPO" "$HOLD"',
  'mount -t tmpfs -o mode=0755 tmpfs /tmp',
  'case "$REPO" in /tmp/*) mkdir -p "$REPO" && mount --bind "$HOLD" "$REPO" ;; esac',
  'mount -o remount,ro /tmp',
  'cd "$REPO/server"',
  'exec "$NODE" --input-type=module -e "$SCRIPT"',
].join('\n');

/** Run by node inside the namespace, after a read-only tmpfs (mode 0755) was mounted on /tmp. */
const NO_TMP_SCRIPT = `
import { accessSync, constants, statSync } from 'node:fs';
const { startEmbeddedPostgres } = await import(process.env.BUILT);
const { default: pg } = await import('pg');
const out = { tmpMode: (statSync('/tmp').mode & 0o777).toString(8) };
try { accessSync('/tmp', constants.W_OK); out.tmpWritable = true; } catch (e) { out.tmpWritable = false; out.tmpError = e.code; }
const db = await startEmbeddedPostgres(process.env.BASE, () => undefined);
try {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  out.row = (await client.query("SELECT 1 AS ok, current_setting('unix_socket_directories') AS sockets")).rows[0];
  await client.end();
} finally {
  await db.stop();
}
console.log('RESULT ' + JSON.stringify(out));
`;

/** Starts the embedded database in another Node process and waits until it is ready. */
function startInChild(): Promise<{ kill: () => void; pid: number }> {
  const code = `import(${JSON.stringify(built)}).then((m) => m.startEmbeddedPostgres(${JSON.stringify(base)}, () => {})).then(() => console.log('READY'))`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('READY') && resolve({ kill: () => child.kill('SIGKILL'), pid: child.pid! }));
    child.on('exit', (c) => reject(new Error(`child exited with ${c}`)));
  });
}

describe('embedded PostgreSQL', () => {
  it('recovers an instance left running by a process killed with SIGKILL', async () => {
    expect(existsSync(built)).toBe(true); // npm test builds the server first
    const child = await startInChild();
    const orphanPid = Number(readFileSync(join(base, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    child.kill();
    await new Promise((r) => setTimeout(r, 500));
    // The node process is gone, its postgres is still there holding the data folder.
    expect(() => process.kill(orphanPid, 0)).not.toThrow();

    let db: EmbeddedDatabase | null = null;
    try {
      db = await startEmbeddedPostgres(base, () => undefined);
      expect(db.owned).toBe(true);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      expect((await client.query('SELECT 1 AS ok')).rows[0]).toEqual({ ok: 1 });
      await client.end();
      expect(() => process.kill(orphanPid, 0)).toThrow();
    } finally {
      await db?.stop();
    }
    expect(existsSync(join(base, 'data', 'postmaster.pid'))).toBe(false);
  });

  (nsForbidden ? it.skip : it)('starts and answers a query when /tmp cannot be written to', async () => {
    expect(existsSync(built)).toBe(true); // npm test builds the server first
    if (nsProbe.error || nsProbe.status !== 0) {
      throw new Error(`cannot make a private mount namespace: ${nsProbe.error?.message ?? nsProbe.stderr}`);
    }
    const dir = scratchDir('pg-notmp-');
    const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', HIDE_TMP], {
      cwd: '/',
      env: { ...process.env, NODE: process.execPath, SCRIPT: NO_TMP_SCRIPT, BUILT: built, BASE: dir, REPO: join(SERVER_ROOT, '..') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (code !== 0 || !line) throw new Error(`the child exited with ${code}:\n${stdout}\n${stderr}`);
    const out = JSON.parse(line.slice('RESULT '.length)) as { tmpMode: string; tmpWritable: boolean; row: { ok: number; sockets: string } };
    // The condition under test: /tmp is there but nobody (neither root nor postgres) may write to it.
    expect(out.tmpMode).toBe('755');
    expect(out.tmpWritable).toBe(false);
    expect(out.row).toEqual({ ok: 1, sockets: '' }); // TCP only: no socket and no socket lock file anywhere
    // Stopped cleanly: nothing left holding the data folder.
    expect(existsSync(join(dir, 'data', 'postmaster.pid'))).toBe(false);
  });

  it('says what PostgreSQL logged, and what to do, when it cannot start', async () => {
    // A data folder PostgreSQL cannot use: a PG_VERSION (so no initdb) and nothing else.
    const dir = scratchDir('pg-broken-');
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'PG_VERSION'), 'not a version\n');

    const error = await startEmbeddedPostgres(dir, () => undefined).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    const { message, postgresLog } = error as EmbeddedPostgresError;
    expect(message).not.toMatch(/reading 'code'|undefined/);
    expect(message).toContain('could not start while starting postgres: postgres stopped before it was ready (exit code');
    // PostgreSQL's own words, quoted from its log.
    expect(postgresLog.join('\n')).toMatch(/postgresql\.conf/);
    expect(message).toContain(`  | ${postgresLog.at(-1)}`);
    expect(message).toContain('What to do:');
    expect(message).toContain('DATABASE_URL');
    expect(existsSync(join(dir, 'data', 'postmaster.pid'))).toBe(false);
  });
});
