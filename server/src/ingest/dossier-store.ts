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

/**
 * Folds newly accepted events into their dossiers' state and records the
 * change of each dossier's rollup contributions (new minus old) in `acc`.
 * Dossier rows are locked in id order for the rest of the transaction.
 */
export async function applyToDossiers(
  m: EntityManager,
  events: readonly AcceptedEvent[],
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
  const placeholders = ids.map((id) => emptyFacts(id, byDossier.get(id)![0]!.unit));
  // Insert-or-lock in one statement: a new dossier gets an empty placeholder, an
  // existing one is locked and its facts returned.
  const rows = (await m.query(
    `INSERT INTO dossier (dossier_id, unit_code, province_code, facts)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
     ON CONFLICT (dossier_id) DO UPDATE SET dossier_id = excluded.dossier_id
     RETURNING dossier_id, facts`,
    [ids, placeholders.map((f) => f.unitCode), placeholders.map((f) => provinceOf(f.unitCode)), placeholders.map((f) => JSON.stringify(f))],
  )) as { dossier_id: string; facts: DossierFacts }[];

  const updated: DossierFacts[] = [];
  for (const row of rows) {
    const facts = row.facts;
    contribute(facts, -1, acc);
    for (const e of byDossier.get(row.dossier_id)!) applyEvent(facts, e.event, e.at);
    contribute(facts, 1, acc);
    updated.push(facts);
  }
  updated.sort((a, b) => (a.dossierId < b.dossierId ? -1 : 1));
  await writeDossiers(m, updated, provinceOf);
}

export async function writeDossiers(m: EntityManager, facts: readonly DossierFacts[], provinceOf: (unit: string) => string): Promise<void> {
  if (facts.length === 0) return;
  await m.query(
    `INSERT INTO dossier AS d (dossier_id, unit_code, province_code, received_at, due_at, completed_at, overdue_at, facts, updated_at)
     SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::jsonb[])
     ON CONFLICT (dossier_id) DO UPDATE SET unit_code = excluded.unit_code, province_code = excluded.province_code,
       received_at = excluded.received_at, due_at = excluded.due_at, completed_at = excluded.completed_at,
       overdue_at = excluded.overdue_at, facts = excluded.facts, updated_at = now()`,
    [
      facts.map((f) => f.dossierId),
      facts.map((f) => f.unitCode),
      facts.map((f) => provinceOf(f.unitCode)),
      facts.map((f) => iso(f.received?.at)),
      facts.map((f) => iso(f.received?.dueAt)),
      facts.map((f) => iso(f.completed?.at)),
      facts.map((f) => iso(overdueWhileOpenFrom(f))),
      facts.map((f) => JSON.stringify(f)),
    ],
  );
}
