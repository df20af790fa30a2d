import { type DossierChange, type DossierFacts, type RecordAtMs, applyEvent, applyRecord, contribute, copyFacts, emptyFacts, overdueWhileOpenFrom, withAllSlots } from '@ioc/shared';
import type { EntityManager } from 'typeorm';
import type pg from 'pg';
import type { Queryable } from '../database/queryable.js';
import type { AcceptedEvent } from '../ingest/event-log.js';
import { BinaryCopyWriter, copyIn } from '../database/copy.js';
import { type RollupAccumulator, yieldToLoop } from './rollup-accumulator.js';

/** An event as the projector reads it from the log: with the instant it was ingested. */
export interface LogEvent extends AcceptedEvent {
  ingestedAt: number;
}

/** A dossier record as the projector reads it from the log (bulk import): folded as the events it stands for, without building them. */
export interface LogRecord {
  record: RecordAtMs;
  unit: string;
  ingestedAt: number;
}

/** What the projector folds into dossiers: an event, or a record. */
export type LogEntry = LogEvent | LogRecord;

const dossierOf = (x: LogEntry) => ('record' in x ? x.record.dossierId : x.event.dossierId);

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Dossiers as stored (the projector is their only writer). */
export async function loadDossiers(m: Queryable, ids: readonly string[]): Promise<Map<string, StoredDossier>> {
  const rows = (await m.query(`SELECT dossier_id, unit_code, facts, updated_at FROM dossier WHERE dossier_id = ANY($1::text[])`, [ids])) as {
    dossier_id: string;
    unit_code: string;
    facts: Record<string, unknown>;
    updated_at: Date;
  }[];
  return new Map(rows.map((r) => [r.dossier_id, { facts: decodeFacts(r.facts, r.dossier_id, r.unit_code), updatedAt: r.updated_at.getTime() }]));
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
  events: readonly LogEntry[],
  existing: ReadonlyMap<string, StoredDossier>,
  provinceOf: (unit: string) => string,
  acc: RollupAccumulator,
): Promise<DossierChange[]> {
  const folded = await foldDossiers(events, existing, provinceOf, acc);
  await folded.write(m);
  return folded.changes;
}

/** Dossiers folded in memory, with their rows ready to be written. */
export interface FoldedDossiers {
  changes: DossierChange[];
  /** Each folded dossier's state after the fold (what the next batch starts from once this one is written). */
  after: Map<string, StoredDossier>;
  /** Writes the new and changed rows (the text sent is built already). */
  write(m: EntityManager): Promise<void>;
}

/**
 * Folds log entries into their dossiers in memory, as `applyToDossiers` does, and
 * returns each dossier's new state, its change (the rollup contributions go to
 * `acc`) and the rows to write, without writing them. The stored facts are left
 * as they are: they may be the state of a batch that is still being written.
 */
export async function foldDossiers(entries: readonly LogEntry[], existing: ReadonlyMap<string, StoredDossier>, provinceOf: (unit: string) => string, acc: RollupAccumulator): Promise<FoldedDossiers> {
  const byDossier = new Map<string, LogEntry[]>();
  for (const e of entries) {
    const id = dossierOf(e);
    const list = byDossier.get(id);
    if (list) list.push(e);
    else byDossier.set(id, [e]);
  }
  const ids = [...byDossier.keys()].sort();
  const changed: Written[] = [];
  const created: Written[] = [];
  const changes: DossierChange[] = [];
  const after = new Map<string, StoredDossier>();
  for (let i = 0; i < ids.length; i++) {
    // A large batch gives the event loop turns (a batch being written meanwhile goes on).
    if (i % 2_000 === 1_999) await yieldToLoop();
    const id = ids[i]!;
    const events = byDossier.get(id)!;
    const stored = existing.get(id);
    const before = stored ? stored.facts : null;
    const facts = stored ? copyFacts(stored.facts) : emptyFacts(id, events[0]!.unit);
    if (before) contribute(before, -1, acc);
    let updatedAt = stored?.updatedAt ?? 0;
    for (const e of events) {
      if ('record' in e) applyRecord(facts, e.record);
      else applyEvent(facts, e.event, e.at);
      if (e.ingestedAt > updatedAt) updatedAt = e.ingestedAt;
    }
    contribute(facts, 1, acc);
    (stored ? changed : created).push({ facts, updatedAt });
    changes.push({ before, after: facts });
    after.set(id, { facts, updatedAt });
  }
  const updates = await dossierRows(changed, provinceOf, 'json');
  const inserts = await dossierRows(created, provinceOf, 'copy');
  return {
    changes,
    after,
    write: async (m) => {
      await writeDossiers(m, updates, 'update');
      await writeDossiers(m, inserts, 'insert');
    },
  };
}

interface Written {
  facts: DossierFacts;
  updatedAt: number;
}

/** Dossier rows as sent: COPY text (new rows) or a JSON array (updates; or inserts where COPY is not at hand). */
interface DossierRows {
  count: number;
  /** COPY (FORMAT binary) input. */
  copy: Buffer | null;
  json: () => string;
}

async function dossierRows(rows: readonly Written[], provinceOf: (unit: string) => string, prefer: 'copy' | 'json'): Promise<DossierRows> {
  const json = () =>
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
        facts: storedFacts(f),
      })),
    );
  if (prefer === 'json' || rows.length === 0) {
    const text = rows.length === 0 ? '[]' : json();
    return { count: rows.length, copy: null, json: () => text };
  }
  // Binary: instants go as 8-byte numbers, with no text to build here and none for PostgreSQL to parse.
  const w = new BinaryCopyWriter(rows.length * 480);
  for (let i = 0; i < rows.length; i++) {
    if (i % 2_000 === 1_999) await yieldToLoop();
    const { facts: f, updatedAt } = rows[i]!;
    w.row(9);
    w.text(f.dossierId);
    w.text(f.unitCode);
    w.text(provinceOf(f.unitCode));
    w.timestamptzOrNull(f.received?.at);
    w.timestamptzOrNull(f.received?.dueAt);
    w.timestamptzOrNull(f.completed?.at);
    w.timestamptzOrNull(overdueWhileOpenFrom(f));
    w.timestamptz(updatedAt);
    w.text(encodeFacts(f));
  }
  return { count: rows.length, copy: w.finish(), json };
}

/** Writes dossier rows: updates of existing ones, or inserts of new ones. */
async function writeDossiers(m: EntityManager, rows: DossierRows, mode: 'insert' | 'update'): Promise<void> {
  if (rows.count === 0) return;
  if (mode === 'insert' && rows.copy !== null && m.queryRunner) {
    // New dossiers (most of a history import's) go in by COPY: no JSON for PostgreSQL to unpack, no per-row executor.
    const client = (await m.queryRunner.connect()) as pg.PoolClient;
    await copyIn(client, `COPY dossier (dossier_id, unit_code, province_code, received_at, due_at, completed_at, overdue_at, updated_at, facts) FROM STDIN (FORMAT binary)`, rows.copy);
    return;
  }
  const params = [rows.json()];
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

/*
 * The `facts` column holds the facts without what the row's columns or the dossier's
 * id already say: no dossierId or unitCode (the row's columns), no empty slots, a
 * stamp's event id only where it is not the one a dossier record gives it
 * (`record:<dossierId>/<step>`), and the latest rating only where it is not the last
 * of the ratings. What SQL reads from it (`received`'s fields, `paidOnlineAt`) keeps
 * its name and place. Rows written in the full shape (with `dossierId`) read as before.
 */

type StoredStamp = { at: number; id?: string };

function stampOut<S extends { at: number; id: string }>(s: S, defaultId: string): Omit<S, 'id'> & { id?: string } {
  if (s.id !== defaultId) return s;
  const { id: _id, ...rest } = s;
  return rest;
}

/** The `facts` column's text for these facts. */
export function encodeFacts(f: DossierFacts): string {
  return JSON.stringify(storedFacts(f));
}

/** What the `facts` column holds for these facts (as an object). */
function storedFacts(f: DossierFacts): Record<string, unknown> {
  const base = `record:${f.dossierId}/`;
  const o: Record<string, unknown> = {};
  if (f.received) o.received = stampOut(f.received, `${base}received`);
  if (f.completed) o.completed = stampOut(f.completed, `${base}completed`);
  if (f.supplements.length > 0) o.supplements = f.supplements.map((s, i) => stampOut(s, `${base}supplement_requested/${String(i + 1).padStart(2, '0')}`));
  if (f.supplementCount !== 0) o.supplementCount = f.supplementCount;
  if (f.digitizedAt !== null) o.digitizedAt = f.digitizedAt;
  if (f.eResultAt !== null) o.eResultAt = f.eResultAt;
  if (f.paidOnlineAt !== null) o.paidOnlineAt = f.paidOnlineAt;
  if (f.complaintAt !== null) o.complaintAt = f.complaintAt;
  const last = f.ratings.length > 0 ? f.ratings[f.ratings.length - 1]! : null;
  const derived = f.rating === null ? last === null : last !== null && last.at === f.rating.at && last.id === f.rating.id && last.satisfied === f.rating.satisfied;
  if (!derived) o.rating = f.rating;
  if (f.ratings.length > 0) o.ratings = f.ratings.map((r) => stampOut(r, `${base}rated`));
  if (f.syncedAt !== null) o.syncedAt = f.syncedAt;
  if (f.storeSyncedAt !== null) o.storeSyncedAt = f.storeSyncedAt;
  if (f.storeNotSyncedAt !== null) o.storeNotSyncedAt = f.storeNotSyncedAt;
  return o;
}

function stampIn<S extends StoredStamp>(s: S, defaultId: string): Omit<S, 'id'> & { id: string } {
  // Object.assign, not a spread followed by a property: that takes V8's slow path, several times slower for every stamp of every dossier loaded.
  return s.id === undefined ? Object.assign({}, s, { id: defaultId }) : (s as S & { id: string });
}

/** The facts a `facts` column holds, for the dossier of this row. */
export function decodeFacts(stored: Record<string, unknown>, dossierId: string, unitCode: string): DossierFacts {
  if ('dossierId' in stored) return withAllSlots(stored as unknown as DossierFacts);
  const s = stored as Partial<Record<keyof DossierFacts, unknown>>;
  const base = `record:${dossierId}/`;
  const f = emptyFacts(dossierId, unitCode);
  if (s.received) f.received = stampIn(s.received as ReceivedStored, `${base}received`);
  if (s.completed) f.completed = stampIn(s.completed as StoredStamp & { outcome: never }, `${base}completed`);
  if (s.supplements) f.supplements = (s.supplements as StoredStamp[]).map((x, i) => stampIn(x, `${base}supplement_requested/${String(i + 1).padStart(2, '0')}`));
  if (s.supplementCount !== undefined) f.supplementCount = s.supplementCount as number;
  if (s.digitizedAt !== undefined) f.digitizedAt = s.digitizedAt as number;
  if (s.eResultAt !== undefined) f.eResultAt = s.eResultAt as number;
  if (s.paidOnlineAt !== undefined) f.paidOnlineAt = s.paidOnlineAt as number;
  if (s.complaintAt !== undefined) f.complaintAt = s.complaintAt as number;
  if (s.ratings) f.ratings = (s.ratings as (StoredStamp & { satisfied: boolean })[]).map((r) => stampIn(r, `${base}rated`));
  f.rating = s.rating !== undefined ? (s.rating as DossierFacts['rating']) : f.ratings.length > 0 ? { ...f.ratings[f.ratings.length - 1]! } : null;
  if (s.syncedAt !== undefined) f.syncedAt = s.syncedAt as number;
  if (s.storeSyncedAt !== undefined) f.storeSyncedAt = s.storeSyncedAt as number;
  if (s.storeNotSyncedAt !== undefined) f.storeNotSyncedAt = s.storeNotSyncedAt as number;
  return f;
}

type ReceivedStored = Omit<NonNullable<DossierFacts['received']>, 'id'> & { id?: string };
