import { hourlyKeptFrom } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/** Rows deleted per statement: a first purge of a large history goes in steps, each a short transaction. */
const PURGE_CHUNK = 50_000;

/**
 * Deletes the hour-by-hour rollups older than the retention (KPI_HOURLY_RETENTION_DAYS
 * before today's local day; 0 keeps all). The projector writes no hour rows before
 * that instant either, so the hourly table is the same whether it was folded
 * incrementally or rebuilt. Day and month rollups, which every longer period is
 * read from, are kept. Returns the rows deleted.
 */
export async function purgeExpiredHourlyRollups(db: Queryable, days: number, now = Date.now()): Promise<number> {
  const from = hourlyKeptFrom(now, days);
  if (from === Number.NEGATIVE_INFINITY) return 0;
  let deleted = 0;
  for (;;) {
    const rows = (await db.query(
      `WITH gone AS (
         DELETE FROM kpi_hourly WHERE ctid IN (SELECT ctid FROM kpi_hourly WHERE bucket < $1 LIMIT ${PURGE_CHUNK}) RETURNING 1
       ) SELECT count(*)::int AS n FROM gone`,
      [new Date(from).toISOString()],
    )) as { n: number }[];
    const n = rows[0]?.n ?? 0;
    deleted += n;
    if (n < PURGE_CHUNK) return deleted;
  }
}
