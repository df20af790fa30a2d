import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { REPO_ROOT } from '../src/config/config.js';

/**
 * One real PostgreSQL for the whole test run: DATABASE_URL when set, else an
 * embedded instance in .data/pg-test. Each test file creates its own database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const db = await startEmbeddedPostgres(join(REPO_ROOT, '.data', 'pg-test'), (m) => process.stderr.write(`[test-db] ${m}\n`));
  process.env.TEST_ADMIN_DATABASE_URL = db.url;
  (globalThis as { __testDb?: typeof db }).__testDb = db;
}
