import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '../src/config/config.js';
import { type ServerProcess, spawnServer } from '../bench/server-process.js';

/**
 * `npm start`'s process as a person runs it: its own embedded PostgreSQL, info
 * logs, then Ctrl-C. It stops cleanly: exit code 0, the database stopped, and no
 * warning or error about connections that end because the server is stopping.
 */
const dir = join(REPO_ROOT, '.data', `pg-start-stop-${process.pid}`);
let server: ServerProcess | null = null;

afterAll(async () => {
  await server?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

interface LogLine {
  level: number;
  msg: string;
  context?: string;
}

function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

describe('a clean stop', () => {
  it('exits 0 on SIGINT with no warning, the embedded PostgreSQL stopped with it', async () => {
    server = await spawnServer(null, { EMBEDDED_PG_DIR: dir, LOG_LEVEL: 'info', NODE_ENV: 'development', ALERT_EVALUATE_SECONDS: '1' });
    const health = await fetch(`${server.url}/api/v1/health`);
    expect(health.status).toBe(200);
    // Let the background work (projector, live publisher, alert ticks, database probes) run a little.
    await new Promise((r) => setTimeout(r, 3000));
    const proc = server.proc;
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGINT');
    const code = await exited;
    const output = server.output();
    const after = output.slice(output.indexOf('SIGINT: shutting down'));
    expect(output).toContain('SIGINT: shutting down');
    expect(logLines(after).filter((l) => l.level >= 40)).toEqual([]);
    expect(code).toBe(0);
    // The server and its database are gone: the port answers no more and PostgreSQL removed its lock file as it stopped.
    await expect(fetch(`${server.url}/api/v1/health`)).rejects.toThrow();
    expect(existsSync(join(dir, 'data', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dir, 'data', 'postmaster.pid'))).toBe(false);
  }, 180_000);

  it("stops on SIGINT while the demo's history is loading, and goes on loading it at the next start", async () => {
    const env = { EMBEDDED_PG_DIR: dir, LOG_LEVEL: 'info', NODE_ENV: 'development', DEMO_FEED: 'on', DEMO_BACKFILL_DAYS: '3' };
    const historyLoading = async (s: ServerProcess) => {
      for (;;) {
        if (s.proc.exitCode !== null) throw new Error(`the server exited with ${s.proc.exitCode}:\n${s.output().slice(-3000)}`);
        const h = (await (await fetch(`${s.url}/api/v1/health`)).json()) as { demoFeed: { historyProgress: number | null } };
        if (h.demoFeed.historyProgress !== null) return h.demoFeed.historyProgress;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    server = await spawnServer(null, env);
    await historyLoading(server);
    const proc = server.proc;
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGINT');
    // Stopping mid-import is an orderly stop, not the forced one (which exits 1).
    expect(await exited).toBe(0);
    const after = server.output().slice(server.output().indexOf('SIGINT: shutting down'));
    expect(logLines(after).filter((l) => l.level >= 40)).toEqual([]);
    expect(after).not.toContain('history imported');

    // The next start picks the history up where it stopped.
    server = await spawnServer(null, env);
    expect(await historyLoading(server)).toBeLessThan(1);
    await server.kill('SIGINT');
  }, 300_000);
});
