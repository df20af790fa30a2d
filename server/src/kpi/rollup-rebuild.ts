import { type DossierFacts, applyEvent, contribute, emptyFacts } from '@ioc/shared';
import type { DataSource } from 'typeorm';
import { writeDossiers } from '../ingest/dossier-store.js';
import { type LoggedEvent, eventFromLog } from '../ingest/event-log.js';
import { RollupAccumulator } from './rollup-accumulator.js';

export interface RebuildResult {
  events: number;
  dossiers: number;
  ms: number;
}

const ROLLUP_TABLES = ['kpi_hourly', 'kpi_daily', 'kpi_monthly', 'kpi_deferred'];

/**
 * Rebuilds dossier state and every rollup from the raw event log alone, in one
 * transaction (ingest waits for it). Each dossier is folded from all its
 * events at once, a different path from the live one, which applies
 * differences batch by batch: the two must agree.
 */
export async function rebuildRollups(db: DataSource, onProgress?: (done: number) => void): Promise<RebuildResult> {
  const t0 = Date.now();
  return db.transaction(async (m) => {
    const units = (await m.query(`SELECT code, province_code FROM commune`)) as { code: string; province_code: string }[];
    const provinceOfCommune = new Map(units.map((u) => [u.code, u.province_code]));
    const provinceOf = (u: string) => {
      const p = u.length === 2 ? u : provinceOfCommune.get(u);
      if (p === undefined) throw new Error(`the event log names unit ${u}, which is not a known commune`);
      return p;
    };
    await m.query(`LOCK TABLE dossier, ${ROLLUP_TABLES.join(', ')} IN EXCLUSIVE MODE`);
    await m.query(`TRUNCATE dossier, ${ROLLUP_TABLES.join(', ')}`);
    let events = 0;
    let dossiers = 0;
    let after = '';
    const PAGE = 5000;
    for (;;) {
      // Pages of whole dossiers, in dossier order.
      const ids = (await m.query(
        `SELECT DISTINCT dossier_id FROM ingest_event WHERE dossier_id > $1 ORDER BY dossier_id LIMIT $2`,
        [after, PAGE],
      )) as { dossier_id: string }[];
      if (ids.length === 0) break;
      const last = ids[ids.length - 1]!.dossier_id;
      const rows = (await m.query(
        `SELECT event_id, dossier_id, unit_code, type, occurred_at, payload FROM ingest_event WHERE dossier_id > $1 AND dossier_id <= $2`,
        [after, last],
      )) as LoggedEvent[];
      const facts = new Map<string, DossierFacts>();
      for (const r of rows) {
        let f = facts.get(r.dossier_id);
        if (!f) facts.set(r.dossier_id, (f = emptyFacts(r.dossier_id, r.unit_code)));
        applyEvent(f, eventFromLog(r), r.occurred_at.getTime());
      }
      const acc = new RollupAccumulator(provinceOf);
      const sorted = [...facts.values()].sort((a, b) => (a.dossierId < b.dossierId ? -1 : 1));
      for (const f of sorted) contribute(f, 1, acc);
      await writeDossiers(m, sorted, provinceOf, 'insert');
      await acc.flush(m);
      events += rows.length;
      dossiers += facts.size;
      after = last;
      onProgress?.(events);
    }
    return { events, dossiers, ms: Date.now() - t0 };
  });
}
