import type { HistoryLoading, LocalDate } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/**
 * History being loaded into the log (the demo's backfill, a bulk import). While a
 * load runs, and until the projector has folded its last row, figures of the days
 * it covers are incomplete: answers for periods that overlap them say so.
 */
export async function beginHistoryLoad(db: Queryable, name: string, from: LocalDate, to: LocalDate): Promise<void> {
  await db.query(
    `INSERT INTO history_load (name, covers_from, covers_to, progress, started_at) VALUES ($1, $2, $3, 0, now())
     ON CONFLICT (name) DO UPDATE SET covers_from = excluded.covers_from, covers_to = excluded.covers_to, progress = 0,
       last_position = NULL, started_at = now(), finished_at = NULL`,
    [name, from, to],
  );
}

/**
 * A load that learns its days as it goes (an import): widens the days it covers
 * to include [from, to] and records its progress (null: unknown), starting it if new.
 */
export async function extendHistoryLoad(db: Queryable, name: string, from: LocalDate, to: LocalDate, progress: number | null): Promise<void> {
  await db.query(
    `INSERT INTO history_load AS h (name, covers_from, covers_to, progress) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET covers_from = least(h.covers_from, excluded.covers_from), covers_to = greatest(h.covers_to, excluded.covers_to),
       progress = excluded.progress, finished_at = NULL, last_position = NULL`,
    [name, from, to, progress === null ? null : Math.max(0, Math.min(1, progress))],
  );
}

/** How far the load is, 0–1. */
export async function reportHistoryLoad(db: Queryable, name: string, progress: number): Promise<void> {
  await db.query(`UPDATE history_load SET progress = $2 WHERE name = $1`, [name, Math.max(0, Math.min(1, progress))]);
}

/** The load appended its last row; it stays "loading" until the projector has folded up to the log's head now. */
export async function finishHistoryLoad(db: Queryable, name: string): Promise<void> {
  await db.query(`UPDATE history_load SET progress = 1, finished_at = now(), last_position = (SELECT coalesce(max(seq), 0) FROM ingest_event) WHERE name = $1`, [name]);
}

/**
 * The history still loading that overlaps the local days [from, to]: the union of
 * the overlapping loads' days and the least progress among them; null when the
 * figures of the period are complete.
 */
export async function historyLoading(db: Queryable, from: LocalDate, to: LocalDate): Promise<HistoryLoading | null> {
  const rows = (await db.query(
    `SELECT to_char(min(h.covers_from), 'YYYY-MM-DD') AS f, to_char(max(h.covers_to), 'YYYY-MM-DD') AS t, min(h.progress) AS p, count(*)::int AS n
     FROM history_load h, projection_state s
     WHERE s.name = 'dossiers' AND (h.finished_at IS NULL OR h.last_position > s.watermark)
       AND h.covers_from <= $2::date AND h.covers_to >= $1::date`,
    [from, to],
  )) as { f: string | null; t: string | null; p: number | null; n: number }[];
  const r = rows[0];
  if (!r || r.n === 0 || r.f === null || r.t === null) return null;
  return { from: r.f, to: r.t, progress: r.p === null ? null : Math.round(r.p * 1000) / 1000 };
}
