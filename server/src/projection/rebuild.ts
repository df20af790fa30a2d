import type { DataSource } from 'typeorm';
import { DOSSIER_PROJECTION, readProjectionState } from '../ingest/projection-state.js';
import { provinceOfCommunes } from '../units/unit-tables.js';
import { type BatchHook, projectBatch } from './projector.js';
import { rebuildRunningStocks } from './running-stocks.js';

/** The log is incomplete (retention dropped months): a rebuild would lose figures. */
export class RebuildRefused extends Error {}

export interface RebuildResult {
  events: number;
  dossiers: number;
  ms: number;
}

/** Everything the projector derives from the log (feedback records included). */
export const DERIVED_TABLES = ['dossier', 'kpi_hourly', 'kpi_daily', 'kpi_monthly', 'kpi_deferred', 'kpi_fee_procedure', 'kpi_fee_summary', 'kpi_fee_month', 'unit_activity', 'unit_sync', 'feedback'];
/** Log rows per batch of a rebuild: no live readers wait on it, so larger than the projector's. */
const REBUILD_BATCH = 50_000;

/**
 * Rebuilds dossier state, every rollup and unit activity from the raw event log
 * alone, in one transaction: the derived tables are emptied, the watermark set
 * back to the start, and the log folded again by the projector's own batches in
 * log order. The result is the same as what the projector built incrementally,
 * by construction. Ingest goes on meanwhile (only the projection waits); rows
 * appended during the rebuild are folded in before it commits.
 */
export async function rebuildProjection(
  db: DataSource,
  opts: { onProgress?: (events: number) => void; hook?: BatchHook; /** KPI_HOURLY_RETENTION_DAYS: as the projector folds (0 or absent: all). */ hourlyDays?: number } = {},
): Promise<RebuildResult> {
  const { onProgress, hook, hourlyDays } = opts;
  const t0 = Date.now();
  return db.transaction(async (m) => {
    const provinceOfCommune = await provinceOfCommunes(m);
    const provinceOf = (u: string) => {
      const p = u.length === 2 ? u : provinceOfCommune.get(u);
      if (p === undefined) throw new Error(`the event log names unit ${u}, which is not a known commune`);
      return p;
    };
    // The running projector waits on its state row until this commits, then goes on from the rebuilt watermark.
    const state = await readProjectionState(m, { lock: true });
    if (state.logDroppedBefore) {
      throw new RebuildRefused(
        `the raw log no longer holds the events ingested before ${state.logDroppedBefore.toISOString()} (RAW_LOG_RETENTION_MONTHS dropped them), ` +
          'so the figures cannot be rebuilt from it; the current figures, which include them, are kept',
      );
    }
    await m.query(`LOCK TABLE ${DERIVED_TABLES.join(', ')} IN EXCLUSIVE MODE`);
    await m.query(`TRUNCATE ${DERIVED_TABLES.join(', ')}`);
    await m.query(`UPDATE projection_state SET watermark = 0, watermark_ingested_at = NULL, events_projected = 0, updated_at = now() WHERE name = $1`, [DOSSIER_PROJECTION]);
    let events = 0;
    for (;;) {
      const batch = await projectBatch(m, provinceOf, { limit: REBUILD_BATCH, hook, hourlyDays });
      if (!batch) break;
      events += batch.events;
      onProgress?.(events);
    }
    // The alert engine's running stocks, from the rebuilt dossiers.
    await rebuildRunningStocks(m, Date.now());
    const [{ n }] = (await m.query(`SELECT count(*)::int AS n FROM dossier`)) as [{ n: number }];
    return { events, dossiers: n, ms: Date.now() - t0 };
  });
}
