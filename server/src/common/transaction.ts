import type { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['40P01', '40001']); // deadlock, serialization failure

/** Runs `work` in a transaction, retrying when PostgreSQL aborted it for a deadlock. */
export async function inTransaction<T>(db: DataSource, work: (m: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await db.transaction(work);
    } catch (e) {
      const code = (e as { driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
      if (i >= attempts || !code || !RETRYABLE.has(code)) throw e;
      await new Promise((r) => setTimeout(r, 10 * i + Math.random() * 20));
    }
  }
}
