import type { ProjectionMark } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/*
 * Reads of `projection_state`: how far the projector (projection/, which writes the
 * table) has folded this log, as a position in it. They live beside the log, below
 * projection/, because ingest waits for the watermark (`?wait=projected`); the KPI
 * and live answers carry the mark read here too.
 */

/** The projection that folds the raw log into dossiers, rollups and unit activity (its row in projection_state). */
export const DOSSIER_PROJECTION = 'dossiers';

interface MarkRow {
  watermark: string;
  at: Date | null;
  head: string | null;
  oldest: Date | null;
}

/** The projection's row: the last log seq it folded, and from when on the log is incomplete (months dropped by retention), if it is. */
export interface ProjectionState {
  watermark: number;
  logDroppedBefore: Date | null;
}

/** The projection's row; `lock` holds it until the transaction ends (the projector and a rebuild take turns on it). */
export async function readProjectionState(db: Queryable, opts: { lock?: boolean } = {}): Promise<ProjectionState> {
  const rows = (await db.query(`SELECT watermark, log_dropped_before FROM projection_state WHERE name = $1${opts.lock ? ' FOR UPDATE' : ''}`, [DOSSIER_PROJECTION])) as {
    watermark: string;
    log_dropped_before: Date | null;
  }[];
  const r = rows[0];
  if (!r) throw new Error(`projection_state has no row '${DOSSIER_PROJECTION}': run the migrations`);
  return { watermark: Number(r.watermark), logDroppedBefore: r.log_dropped_before };
}

/**
 * How far the projection has folded the log: its watermark, the ingest time of
 * the last folded event, how many log rows wait, and since when the oldest of
 * them waits. One small query: the row after the watermark is found by the seq index.
 */
export async function readProjectionMark(db: Queryable, now = Date.now()): Promise<ProjectionMark> {
  const rows = (await db.query(
    `SELECT s.watermark, s.watermark_ingested_at AS at,
            (SELECT max(seq) FROM ingest_event) AS head,
            (SELECT e.ingested_at FROM ingest_event e WHERE e.seq > s.watermark ORDER BY e.seq LIMIT 1) AS oldest
     FROM projection_state s WHERE s.name = $1`,
    [DOSSIER_PROJECTION],
  )) as MarkRow[];
  const r = rows[0];
  const watermark = Number(r?.watermark ?? 0);
  const head = Number(r?.head ?? 0);
  const pending = Math.max(0, head - watermark);
  return {
    watermark,
    projectedUpTo: r?.at ? r.at.toISOString() : null,
    pendingEvents: pending,
    lagSeconds: pending === 0 || !r?.oldest ? 0 : Math.max(0, (now - r.oldest.getTime()) / 1000),
  };
}

/** Waits until the projection has folded the log up to `position` (a log seq); false on timeout. */
export async function waitForProjection(db: Queryable, position: number, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if ((await readProjectionState(db)).watermark >= position) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
