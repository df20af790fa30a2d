import {
  type DossierEvent,
  type DossierFacts,
  applyEvent,
  contribute,
  emptyFacts,
  overdueWhileOpenFrom,
} from '@ioc/shared';
import type { EntityManager } from 'typeorm';
import type { RollupAccumulator } from '../kpi/rollup-accumulator.js';

export interface AcceptedEvent {
  event: DossierEvent;
  at: number;
  unit: string;
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Dossiers as stored, locked for the rest of the transaction (in id order, so concurrent writers do not deadlock). */
export async function lockDossiers(m: EntityManager, ids: readonly string[]): Promise<Map<string, DossierFacts>> {
  const rows = (await m.query(`SELECT dossier_id, facts FROM dossier WHERE dossier_id = ANY($1::text[]) ORDER BY dossier_id FOR UPDATE`, [[...ids].sort()])) as {
    dossier_id: string;
    facts: DossierFacts;
  }[];
  return new Map(rows.map((r) => [r.dossier_id, r.facts]));
}

/**
 * Folds newly accepted events into their dossiers' state and records the
 * change of each dossier's rollup contributions (new minus old) in `acc`.
 * `existing` holds the stored dossiers of these events, locked by `lockDossiers`.
 */
export async function applyToDossiers(
  m: EntityManager,
  events: readonly AcceptedEvent[],
  existing: ReadonlyMap<string, DossierFacts>,
  provinceOf: (unit: string) => string,
  acc: RollupAccumulator,
): Promise<void> {
  const byDossier = new Map<string, AcceptedEvent[]>();
  for (const e of events) {
    const list = byDossier.get(e.event.dossierId);
    if (list) list.push(e);
    else byDossier.set(e.event.dossierId, [e]);
  }
  const ids = [...byDossier.keys()].sort();
  const changed: DossierFacts[] = [];
  const created: DossierFacts[] = [];
  for (const id of ids) {
    const events = byDossier.get(id)!;
    let facts = existing.get(id);
    if (facts) contribute(facts, -1, acc);
    else created.push((facts = emptyFacts(id, events[0]!.unit)));
    for (const e of events) applyEvent(facts, e.event, e.at);
    contribute(facts, 1, acc);
    if (existing.has(id)) changed.push(facts);
  }
  await writeDossiers(m, changed, provinceOf, 'update');
  const inserted = await writeDossiers(m, created, provinceOf, 'insert');
  // Another writer created one of these dossiers since our read: start over.
  if (inserted < created.length) throw new ConcurrentCreation();
}

/** A dossier was created by a concurrent transaction; the transaction is retried. */
export class ConcurrentCreation extends Error {
  readonly code = '40001';
}

/** Writes dossier rows: updates of existing ones, or inserts of new ones (returns how many were inserted). */
export async function writeDossiers(m: EntityManager, facts: readonly DossierFacts[], provinceOf: (unit: string) => string, mode: 'insert' | 'update'): Promise<number> {
  if (facts.length === 0) return 0;
  const params = [
    JSON.stringify(
      facts.map((f) => ({
        id: f.dossierId,
        unit: f.unitCode,
        province: provinceOf(f.unitCode),
        received: iso(f.received?.at),
        due: iso(f.received?.dueAt),
        completed: iso(f.completed?.at),
        overdue: iso(overdueWhileOpenFrom(f)),
        facts: f,
      })),
    ),
  ];
  const source = `json_to_recordset($1::json)
     AS u(id text, unit text, province text, received timestamptz, due timestamptz, completed timestamptz, overdue timestamptz, facts json)`;
  if (mode === 'update') {
    await m.query(
      `UPDATE dossier d SET unit_code = u.unit, province_code = u.province, received_at = u.received, due_at = u.due,
         completed_at = u.completed, overdue_at = u.overdue, facts = u.facts, updated_at = now()
       FROM ${source} WHERE d.dossier_id = u.id`,
      params,
    );
    return facts.length;
  }
  const rows = (await m.query(
    `INSERT INTO dossier (dossier_id, unit_code, province_code, received_at, due_at, completed_at, overdue_at, facts)
     SELECT * FROM ${source} ON CONFLICT (dossier_id) DO NOTHING RETURNING 1`,
    params,
  )) as unknown[];
  return rows.length;
}
