import { join } from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from '../src/config/config.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

/**
 * A database for a benchmark: on DATABASE_URL's server when set, else on an
 * embedded PostgreSQL kept in .data/pg-bench (so large data sets survive runs).
 */
export async function benchDatabase(name: string, fresh: boolean): Promise<{ url: string; stop: () => Promise<void> }> {
  let adminUrl = process.env.DATABASE_URL;
  let stop: () => Promise<void> = () => Promise.resolve();
  if (!adminUrl) {
    const db = await startEmbeddedPostgres(join(REPO_ROOT, '.data', 'pg-bench'), (m) => console.log(`[db] ${m}`));
    adminUrl = db.url;
    stop = () => db.stop();
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (fresh) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), stop };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
