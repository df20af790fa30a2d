import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { REPO_ROOT, SERVER_ROOT } from '../src/config/config.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

// Under the project folder: when running as root, every parent must be traversable by `postgres`.
const base = mkdtempSync(join(REPO_ROOT, '.data', 'crash-'));
const built = join(SERVER_ROOT, 'dist', 'server', 'src', 'database', 'embedded-postgres.js');

afterAll(() => rmSync(base, { recursive: true, force: true }));

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
});
