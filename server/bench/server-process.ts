import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SERVER_ROOT } from '../src/config/config.js';

const MAIN = join(SERVER_ROOT, 'dist', 'server', 'src', 'main.js');
/** The Node flags `npm start` runs the server with (server/package.json). */
const NODE_FLAGS = ['--max-semi-space-size=64'];

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * The built server (`npm start`'s entry point) as a separate process on `databaseUrl`
 * (null: its own embedded PostgreSQL, as `npm start` without DATABASE_URL), demo feed off.
 */
export async function spawnServer(databaseUrl: string | null, env: Record<string, string> = {}): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the server first (npm run build -w server)`);
  const port = await freePort();
  const { NODE_OPTIONS: _, DATABASE_URL: __, ...parentEnv } = process.env;
  const proc = spawn(process.execPath, [...NODE_FLAGS, MAIN], {
    env: { ...parentEnv, NODE_ENV: 'test', ...(databaseUrl === null ? {} : { DATABASE_URL: databaseUrl }), PORT: String(port), HOST: '127.0.0.1', DEMO_FEED: 'off', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${out}`)), 60_000);
    const check = () => {
      if (out.includes('dashboard ') || out.includes('API docs')) {
        clearTimeout(t);
        resolve();
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    proc,
    output: () => out,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill(signal);
      }),
  };
}
