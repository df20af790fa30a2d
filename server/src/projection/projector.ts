import type { EntityManager } from 'typeorm';
import { RollupAccumulator } from '../kpi/rollup-accumulator.js';
import { foldFeeProcedures } from '../kpi/fee-procedures.js';
import { type LoggedEvent, eventsFromLog, ingestEventFromLog, isFeedbackRow } from '../ingest/event-log.js';
import type { DossierChange, FeedbackEvent } from '@ioc/shared';
import { type LoggedFeedbackEvent, applyFeedback } from './feedback-store.js';
import { type LogEvent, applyToDossiers, loadDossiers } from './dossier-store.js';
import { DOSSIER_PROJECTION } from './projection-state.js';

/** Log rows folded per batch: large enough that a batch is a few statements for thousands of events. */
export const PROJECTION_BATCH = 20_000;

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

type LogRow = LoggedEvent & { seq: string; ingested_at: Date };

/**
 * Folds the next log rows after the watermark into dossiers, rollups and unit
 * activity, and moves the watermark, all inside the caller's transaction: the
 * batch and its watermark commit together or not at all, so each log row is
 * folded exactly once whatever dies when. The watermark row is locked first,
 * so two projectors that both think they lead still fold one after the other.
 * Returns null when there is nothing after the watermark.
 */
export async function projectBatch(
  m: EntityManager,
  provinceOf: (unit: string) => string,
  limit = PROJECTION_BATCH,
  hook?: BatchHook,
): Promise<ProjectedBatch | null> {
  const state = (await m.query(`SELECT watermark FROM projection_state WHERE name = $1 FOR UPDATE`, [DOSSIER_PROJECTION])) as { watermark: string }[];
  if (state.length === 0) throw new Error(`projection_state has no row '${DOSSIER_PROJECTION}': run the migrations`);
  const watermark = Number(state[0]!.watermark);
  const rows = (await m.query(
    `SELECT seq, event_id, dossier_id, unit_code, type, occurred_at, ingested_at, payload
     FROM ingest_event WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [watermark, limit],
  )) as LogRow[];
  if (rows.length === 0) return null;
  const events: LogEvent[] = [];
  const feedback: (LoggedFeedbackEvent & { ingestedAt: number })[] = [];
  for (const r of rows) {
    const ingestedAt = r.ingested_at.getTime();
    // Feedback events (contract v1.1) go to the feedback records, dossier events and records to the dossiers.
    if (isFeedbackRow(r)) feedback.push({ event: ingestEventFromLog(r) as FeedbackEvent, at: r.occurred_at.getTime(), unit: r.unit_code, ingestedAt });
    else for (const event of eventsFromLog(r)) events.push({ event, at: Date.parse(event.occurredAt), unit: r.unit_code, ingestedAt });
  }
  const existing = await loadDossiers(m, [...new Set(events.map((e) => e.event.dossierId))]);
  const acc = new RollupAccumulator(provinceOf);
  const changes = await applyToDossiers(m, events, existing, provinceOf, acc);
  await acc.flush(m);
  await foldFeeProcedures(m, changes, provinceOf);
  const feedbackUnits = await applyFeedback(m, feedback, provinceOf);
  await touchActivity(m, [...events, ...feedback], provinceOf);
  await touchSync(m, events, provinceOf);
  await hook?.(m, changes);
  const last = rows[rows.length - 1]!;
  await m.query(
    `UPDATE projection_state SET watermark = $2, watermark_ingested_at = $3, events_projected = events_projected + $4, updated_at = now() WHERE name = $1`,
    [DOSSIER_PROJECTION, last.seq, last.ingested_at.toISOString(), rows.length],
  );
  // A dossier moved by a receipt changes the figures of the unit it left, too.
  const units = new Set([...events.map((e) => e.unit), ...feedbackUnits]);
  for (const c of changes) {
    units.add(c.after.unitCode);
    if (c.before) units.add(c.before.unitCode);
  }
  return {
    watermark: Number(last.seq),
    events: rows.length,
    dossiers: changes.length,
    units: [...units],
    lastIngestedAt: last.ingested_at.getTime(),
    changes,
  };
}

/** When each unit last delivered (by the log's ingest time, so a rebuild gives the same) and how much. */
async function touchActivity(m: EntityManager, events: readonly Pick<LogEvent, 'unit' | 'at' | 'ingestedAt'>[], provinceOf: (unit: string) => string): Promise<void> {
  const byUnit = new Map<string, { ingested: number; occurred: number; count: number }>();
  for (const e of events) {
    const cur = byUnit.get(e.unit);
    if (cur) {
      cur.count++;
      cur.occurred = Math.max(cur.occurred, e.at);
      cur.ingested = Math.max(cur.ingested, e.ingestedAt);
    } else byUnit.set(e.unit, { ingested: e.ingestedAt, occurred: e.at, count: 1 });
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
async function touchSync(m: EntityManager, events: readonly LogEvent[], provinceOf: (unit: string) => string): Promise<void> {
  const first = new Map<string, number>();
  for (const e of events) {
    if (e.event.type !== 'synced') continue;
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
