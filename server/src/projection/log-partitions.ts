import type { EntityManager } from 'typeorm';
import { DOSSIER_PROJECTION, readProjectionState } from '../ingest/projection-state.js';
import type { Queryable } from '../database/queryable.js';

/** Months of raw-log partitions kept ready ahead of the current one. */
const MONTHS_AHEAD = 2;

/** Creates the raw log's partitions of this month and the next ones (a no-op when they exist); returns the names created. */
export async function ensureLogPartitions(db: Queryable): Promise<string[]> {
  const rows = (await db.query(
    `SELECT to_char(m, 'YYYY_MM') AS month, ioc_ensure_log_partition(m::date) AS created
     FROM generate_series(date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh'),
                          date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') + make_interval(months => $1), interval '1 month') m`,
    [MONTHS_AHEAD],
  )) as { month: string; created: boolean }[];
  return rows.filter((r) => r.created).map((r) => `ingest_event_${r.month}`);
}

export interface LogPartition {
  name: string;
  /** Local month, YYYY-MM. */
  month: string;
  rows: number;
  maxSeq: number | null;
}

/** The month partitions of the raw log, oldest first, with their size. */
export async function logPartitions(db: Queryable): Promise<LogPartition[]> {
  const names = (await db.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'ingest_event'::regclass AND c.relname ~ '^ingest_event_[0-9]{4}_[0-9]{2}$' ORDER BY c.relname`,
  )) as { name: string }[];
  const out: LogPartition[] = [];
  for (const { name } of names) {
    const [r] = (await db.query(`SELECT count(*)::bigint AS n, max(seq) AS s FROM ${name}`)) as { n: string; s: string | null }[];
    out.push({ name, month: `${name.slice(13, 17)}-${name.slice(18, 20)}`, rows: Number(r!.n), maxSeq: r!.s === null ? null : Number(r!.s) });
  }
  return out;
}

/**
 * Drops the raw log's months older than `retentionMonths` (counted back from the
 * current local month), but only those the projector has folded entirely: their
 * effect stays in dossiers and rollups, and their event ids stay in
 * ingest_event_key, so a source resending one is still answered "duplicate".
 * Records from when on the log is incomplete, which a rebuild then refuses.
 * Returns the months dropped.
 */
export async function dropExpiredLogPartitions(m: EntityManager, retentionMonths: number): Promise<string[]> {
  if (retentionMonths <= 0) return [];
  const { watermark } = await readProjectionState(m);
  const [{ first }] = (await m.query(`SELECT to_char(date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') - make_interval(months => $1), 'YYYY-MM') AS first`, [retentionMonths])) as [
    { first: string },
  ];
  const dropped: string[] = [];
  for (const p of await logPartitions(m)) {
    if (p.month >= first) break;
    if (p.maxSeq !== null && p.maxSeq > watermark) break; // not folded yet: never drop what the figures lack
    await m.query(`DROP TABLE ${p.name}`);
    await m.query(
      `UPDATE projection_state SET log_dropped_before = greatest(log_dropped_before, (($1 || '-01')::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') WHERE name = $2`,
      [p.month, DOSSIER_PROJECTION],
    );
    dropped.push(p.month);
  }
  return dropped;
}
