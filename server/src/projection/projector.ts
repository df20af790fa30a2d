import type { DataSource, EntityManager } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { RECORD_TYPE, eventFromLog, ingestEventFromLog, isFeedbackRow, logRowsAfter, recordAtMsFromLog } from '../ingest/event-log.js';
import { DOSSIER_PROJECTION, readProjectionState } from '../ingest/projection-state.js';
import { type DossierChange, type FeedbackEvent, hourlyKeptFrom, recordEventSpan } from '@ioc/shared';
import { type LoggedFeedbackEvent, applyFeedback } from './feedback-store.js';
import { type FoldedDossiers, type LogEntry, type StoredDossier, foldDossiers, loadDossiers } from './dossier-store.js';
import { foldFeeProcedures } from './fee-procedures.js';
import { RollupAccumulator, type RollupWrite, writeRollups, yieldToLoop } from './rollup-accumulator.js';

/** Log rows folded per batch: large enough that a batch is a few statements for thousands of events. */
export const PROJECTION_BATCH = 20_000;

/**
 * The largest batch of a catch-up (an import, the demo's history, a backlog): each full
 * batch doubles the next one up to this. A batch's rollup rows are the (unit, bucket)
 * pairs it touches, whatever the number of dossiers behind them, so fewer, larger
 * batches write each pair fewer times; a batch that is not full goes back to
 * PROJECTION_BATCH, so an event arriving on a quiet log waits for a small batch only.
 */
export const PROJECTION_MAX_BATCH = 80_000;

export interface ProjectedBatch {
  /** The new watermark (log seq of the batch's last row). */
  watermark: number;
  events: number;
  dossiers: number;
  /** Units whose figures changed. */
  units: string[];
  /** Ingest time of the batch's last row (epoch ms). */
  lastIngestedAt: number;
  changes: DossierChange[];
}

/** Called inside a batch's transaction with its dossier changes, for state derived alongside (e.g. running stocks). */
export type BatchHook = (m: EntityManager, changes: readonly DossierChange[]) => Promise<void>;

/** A log row's part in its unit's activity: when it was ingested, the latest instant among its events and how many it stands for. */
interface Delivered {
  unit: string;
  at: number;
  ingestedAt: number;
  count: number;
}

/** A batch folded in memory and not written yet: what `writeBatch` commits. */
export interface PreparedBatch {
  /** The watermark the batch continues from (it is written only if the watermark is still there). */
  from: number;
  /** Log rows read (the batch is full when this is the limit asked for). */
  rows: number;
  last: { seq: number; ingestedAt: Date };
  entries: LogEntry[];
  feedback: (LoggedFeedbackEvent & { ingestedAt: number })[];
  /** What each unit delivered: one line per log row, with the events it stands for. */
  activity: Delivered[];
  /** `synced` events (a record's included), by unit. */
  synced: { unit: string; at: number }[];
  dossiers: FoldedDossiers;
  rollups: RollupWrite[];
}

/** How a batch is folded: how many log rows, from which dossier states, how many days of hourly rollups. */
export interface PrepareOptions {
  limit?: number;
  /** Dossier states newer than the database's (a batch being written meanwhile). */
  overlay?: ReadonlyMap<string, StoredDossier>;
  /** Days of hour-by-hour rollups kept before today (KPI_HOURLY_RETENTION_DAYS; 0 or absent: all): older hours get no rows. */
  hourlyDays?: number;
}

/**
 * Reads up to `limit` log rows after `from` and folds them in memory: the dossiers'
 * new state, their rollup changes and the statements that write them. Nothing is
 * written. `overlay` holds dossier states newer than the database's (a batch being
 * written meanwhile): this batch starts from them. Null when the log has nothing
 * after `from`.
 */
export async function prepareBatch(db: Queryable, from: number, provinceOf: (unit: string) => string, opts: PrepareOptions = {}): Promise<PreparedBatch | null> {
  const { limit = PROJECTION_BATCH, overlay } = opts;
  const rows = await logRowsAfter(db, from, limit);
  if (rows.length === 0) return null;
  const entries: LogEntry[] = [];
  const feedback: (LoggedFeedbackEvent & { ingestedAt: number })[] = [];
  const activity: Delivered[] = [];
  const synced: { unit: string; at: number }[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    if (i % 2_000 === 1_999) await yieldToLoop();
    const r = rows[i]!;
    const unit = r.unit_code;
    const ingestedAt = r.ingested_at.getTime();
    // Feedback events (contract v1.1) go to the feedback records, dossier events and records to the dossiers.
    if (isFeedbackRow(r)) {
      const at = r.occurred_at.getTime();
      feedback.push({ event: ingestEventFromLog(r) as FeedbackEvent, at, unit, ingestedAt });
      activity.push({ unit, at, ingestedAt, count: 1 });
    } else if (r.type === RECORD_TYPE) {
      const record = recordAtMsFromLog(r);
      entries.push({ record, unit, ingestedAt });
      const span = recordEventSpan(record);
      activity.push({ unit, at: span.latest, ingestedAt, count: span.events });
      if (record.syncedAt !== undefined) synced.push({ unit, at: record.syncedAt });
      ids.add(r.dossier_id);
    } else {
      const event = eventFromLog(r);
      const at = r.occurred_at.getTime();
      entries.push({ event, at, unit, ingestedAt });
      activity.push({ unit, at, ingestedAt, count: 1 });
      if (event.type === 'synced') synced.push({ unit, at });
      ids.add(r.dossier_id);
    }
  }
  const existing = await loadDossiers(db, overlay ? [...ids].filter((id) => !overlay.has(id)) : [...ids]);
  if (overlay) for (const id of ids) if (overlay.has(id)) existing.set(id, overlay.get(id)!);
  const acc = new RollupAccumulator(provinceOf, hourlyKeptFrom(Date.now(), opts.hourlyDays ?? 0));
  const dossiers = await foldDossiers(entries, existing, provinceOf, acc);
  const last = rows[rows.length - 1]!;
  return { from, rows: rows.length, last: { seq: Number(last.seq), ingestedAt: last.ingested_at }, entries, feedback, activity, synced, dossiers, rollups: await acc.writes() };
}

/**
 * Writes a prepared batch and moves the watermark, inside the caller's transaction:
 * the batch and its watermark commit together or not at all, so each log row is
 * folded exactly once whatever dies when. The watermark row is locked first, so two
 * projectors that both think they lead still fold one after the other; if the
 * watermark is no longer the one the batch continues from (another projector moved
 * it), nothing is written and the answer is null.
 */
export async function writeBatch(m: EntityManager, p: PreparedBatch, provinceOf: (unit: string) => string, hook?: BatchHook): Promise<ProjectedBatch | null> {
  if ((await readProjectionState(m, { lock: true })).watermark !== p.from) return null;
  const { changes } = p.dossiers;
  await p.dossiers.write(m);
  await writeRollups(m, p.rollups);
  await foldFeeProcedures(m, changes, provinceOf);
  const feedbackUnits = await applyFeedback(m, p.feedback, provinceOf);
  await touchActivity(m, p.activity, provinceOf);
  await touchSync(m, p.synced, provinceOf);
  await hook?.(m, changes);
  await m.query(`UPDATE projection_state SET watermark = $2, watermark_ingested_at = $3, events_projected = events_projected + $4, updated_at = now() WHERE name = $1`, [
    DOSSIER_PROJECTION,
    p.last.seq,
    p.last.ingestedAt.toISOString(),
    p.rows,
  ]);
  // A dossier moved by a receipt changes the figures of the unit it left, too.
  const units = new Set([...p.activity.map((e) => e.unit), ...feedbackUnits]);
  for (const c of changes) {
    units.add(c.after.unitCode);
    if (c.before) units.add(c.before.unitCode);
  }
  return {
    watermark: p.last.seq,
    events: p.rows,
    dossiers: changes.length,
    units: [...units],
    lastIngestedAt: p.last.ingestedAt.getTime(),
    changes,
  };
}

/**
 * Folds the next log rows after the watermark into dossiers, rollups and unit
 * activity, and moves the watermark, all inside the caller's transaction (see
 * `writeBatch`). Returns null when there is nothing after the watermark.
 */
export async function projectBatch(m: EntityManager, provinceOf: (unit: string) => string, opts: { limit?: number; hook?: BatchHook; hourlyDays?: number } = {}): Promise<ProjectedBatch | null> {
  const prepared = await prepareBatch(m, (await readProjectionState(m, { lock: true })).watermark, provinceOf, opts);
  return prepared && writeBatch(m, prepared, provinceOf, opts.hook);
}

/**
 * Folds the log from the watermark until it is caught up (or `proceed` says stop),
 * one committed transaction per batch, building each batch in memory while the one
 * before is being written: the JavaScript of one batch and the database work of the
 * other run at the same time. A batch is built from the state the batch before it
 * leaves, which is committed before the next one is written. Stops (answering
 * normally) when another projector moved the watermark.
 */
export async function projectPipelined(
  db: DataSource,
  provinceOf: (unit: string) => string,
  opts: { limit?: number; maxLimit?: number; hook?: BatchHook; hourlyDays?: number; proceed?: () => boolean; onBatch?: (batch: ProjectedBatch, ms: number) => void } = {},
): Promise<void> {
  const first = opts.limit ?? PROJECTION_BATCH;
  const maxLimit = Math.max(first, opts.maxLimit ?? PROJECTION_MAX_BATCH);
  const { hourlyDays } = opts;
  const proceed = opts.proceed ?? (() => true);
  let limit = first;
  let next: Promise<PreparedBatch | null> = prepareBatch(db, (await readProjectionState(db)).watermark, provinceOf, { limit, hourlyDays });
  while (proceed()) {
    const t0 = performance.now();
    const prepared = await next;
    if (!prepared) return;
    const writing = db.transaction((m) => writeBatch(m, prepared, provinceOf, opts.hook));
    // A full batch means more is waiting: build the next, larger one meanwhile, on the state this one leaves.
    const full = prepared.rows >= limit;
    limit = Math.min(maxLimit, limit * 2);
    next = full ? prepareBatch(db, prepared.last.seq, provinceOf, { limit, overlay: prepared.dossiers.after, hourlyDays }) : Promise.resolve(null);
    let batch: ProjectedBatch | null;
    try {
      batch = await writing;
    } catch (e) {
      next.catch(() => undefined);
      throw e;
    }
    if (!batch) {
      next.catch(() => undefined);
      return;
    }
    opts.onBatch?.(batch, performance.now() - t0);
    if (!full) return;
    // Let requests in between batches of a long catch-up.
    await new Promise((r) => setImmediate(r));
  }
  next.catch(() => undefined);
}

/** When each unit last delivered (by the log's ingest time, so a rebuild gives the same) and how much. */
async function touchActivity(m: EntityManager, delivered: readonly Delivered[], provinceOf: (unit: string) => string): Promise<void> {
  const byUnit = new Map<string, { ingested: number; occurred: number; count: number }>();
  for (const e of delivered) {
    const cur = byUnit.get(e.unit);
    if (cur) {
      cur.count += e.count;
      cur.occurred = Math.max(cur.occurred, e.at);
      cur.ingested = Math.max(cur.ingested, e.ingestedAt);
    } else byUnit.set(e.unit, { ingested: e.ingestedAt, occurred: e.at, count: e.count });
  }
  const units = [...byUnit.keys()].sort();
  await m.query(
    `INSERT INTO unit_activity AS a (unit_code, province_code, last_ingested_at, last_occurred_at, events_total)
     SELECT u, p, i, o, n FROM json_to_recordset($1::json) AS x(u text, p text, i timestamptz, o timestamptz, n int)
     ON CONFLICT (unit_code) DO UPDATE SET last_ingested_at = greatest(a.last_ingested_at, excluded.last_ingested_at),
       last_occurred_at = greatest(a.last_occurred_at, excluded.last_occurred_at),
       events_total = a.events_total + excluded.events_total`,
    [
      JSON.stringify(
        units.map((u) => {
          const a = byUnit.get(u)!;
          return { u, p: provinceOf(u), i: new Date(a.ingested).toISOString(), o: new Date(a.occurred).toISOString(), n: a.count };
        }),
      ),
    ],
  );
}

/** When each unit's sources first sent a `synced` event (by occurredAt): from then on the unit has data for 1.4. */
async function touchSync(m: EntityManager, synced: readonly { unit: string; at: number }[], provinceOf: (unit: string) => string): Promise<void> {
  const first = new Map<string, number>();
  for (const e of synced) {
    const cur = first.get(e.unit);
    if (cur === undefined || e.at < cur) first.set(e.unit, e.at);
  }
  if (first.size === 0) return;
  const units = [...first.keys()].sort();
  await m.query(
    `INSERT INTO unit_sync AS s (unit_code, province_code, first_synced_at)
     SELECT u, p, f FROM json_to_recordset($1::json) AS x(u text, p text, f timestamptz)
     ON CONFLICT (unit_code) DO UPDATE SET first_synced_at = least(s.first_synced_at, excluded.first_synced_at)`,
    [JSON.stringify(units.map((u) => ({ u, p: provinceOf(u), f: new Date(first.get(u)!).toISOString() })))],
  );
}
