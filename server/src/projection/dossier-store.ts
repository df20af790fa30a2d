import {
  type DossierChange,
  type DossierFacts,
  applyEvent,
  contribute,
  emptyFacts,
  overdueWhileOpenFrom,
  withAllSlots,
} from '@ioc/shared';
import type { EntityManager } from 'typeorm';
import type { AcceptedEvent } from '../ingest/event-log.js';
import type { RollupAccumulator } from '../kpi/rollup-accumulator.js';

/** An event as the projector reads it from the log: with the instant it was ingested. */
export interface LogEvent extends AcceptedEvent {
  ingestedAt: number;
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Dossiers as stored (the projector is their only writer). */
export async function loadDossiers(m: EntityManager, ids: readonly string[]): Promise<Map<string, StoredDossier>> {
  const rows = (await m.query(`SELECT dossier_id, facts, updated_at FROM dossier WHERE dossier_id = ANY($1::text[])`, [ids])) as {
    dossier_id: string;
    facts: DossierFacts;
    updated_at: Date;
  }[];
  return new Map(rows.map((r) => [r.dossier_id, { facts: withAllSlots(r.facts), updatedAt: r.updated_at.getTime() }]));
}

export interface StoredDossier {
  facts: DossierFacts;
  /** Ingest time of the dossier's latest event. */
  updatedAt: number;
}



/**
 * Folds log events (in log order) into their dossiers' state and records the
 * change of each dossier's rollup contributions (new minus old) in `acc`.
 * `existing` holds the stored dossiers of these events. A new dossier starts
 * with the unit of its first event in the log, so replaying the log gives the
 * same dossier table as folding it batch by batch. Returns each dossier's change.
 */
export async function applyToDossiers(
  m: EntityManager,
  events: readonly LogEvent[],
  existing: ReadonlyMap<string, StoredDossier>,
  provinceOf: (unit: string) => string,
  acc: RollupAccumulator,
): Promise<DossierChange[]> {
  const byDossier = new Map<string, LogEvent[]>();
  for (const e of events) {
    const list = byDossier.get(e.event.dossierId);
    if (list) list.push(e);
    else byDossier.set(e.event.dossierId, [e]);
  }
  const ids = [...byDossier.keys()].sort();
  const changed: Written[] = [];
  const created: Written[] = [];
  const changes: DossierChange[] = [];
  for (const id of ids) {
    const events = byDossier.get(id)!;
    const stored = existing.get(id);
    const before = stored ? structuredClone(stored.facts) : null;
    const facts = stored ? stored.facts : emptyFacts(id, events[0]!.unit);
    if (before) contribute(before, -1, acc);
    let updatedAt = stored?.updatedAt ?? 0;
    for (const e of events) {
      applyEvent(facts, e.event, e.at);
      if (e.ingestedAt > updatedAt) updatedAt = e.ingestedAt;
    }
    contribute(facts, 1, acc);
    (stored ? changed : created).push({ facts, updatedAt });
    changes.push({ before, after: facts });
  }
  await writeDossiers(m, changed, provinceOf, 'update');
  await writeDossiers(m, created, provinceOf, 'insert');
  return changes;
}

interface Written {
  facts: DossierFacts;
  updatedAt: number;
}

/** Writes dossier rows: updates of existing ones, or inserts of new ones. */
async function writeDossiers(m: EntityManager, rows: readonly Written[], provinceOf: (unit: string) => string, mode: 'insert' | 'update'): Promise<void> {
  if (rows.length === 0) return;
  const params = [
    JSON.stringify(
      rows.map(({ facts: f, updatedAt }) => ({
        id: f.dossierId,
        unit: f.unitCode,
        province: provinceOf(f.unitCode),
        received: iso(f.received?.at),
        due: iso(f.received?.dueAt),
        completed: iso(f.completed?.at),
        overdue: iso(overdueWhileOpenFrom(f)),
        updated: iso(updatedAt),
        facts: f,
      })),
    ),
  ];
  const source = `json_to_recordset($1::json)
     AS u(id text, unit text, province text, received timestamptz, due timestamptz, completed timestamptz, overdue timestamptz, updated timestamptz, facts json)`;
  if (mode === 'update') {
    await m.query(
      `UPDATE dossier d SET unit_code = u.unit, province_code = u.province, received_at = u.received, due_at = u.due,
         completed_at = u.completed, overdue_at = u.overdue, facts = u.facts, updated_at = u.updated
       FROM ${source} WHERE d.dossier_id = u.id`,
      params,
    );
    return;
  }
  await m.query(
    `INSERT INTO dossier (dossier_id, unit_code, province_code, received_at, due_at, completed_at, overdue_at, updated_at, facts)
     SELECT * FROM ${source}`,
    params,
  );
}
