import { type DossierEvent, type DossierRecord, recordEvents } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/** A valid event on its way into the log: its occurredAt in epoch ms, and its unit (commune or province code). */
export interface AcceptedEvent {
  event: DossierEvent;
  at: number;
  unit: string;
}

/**
 * Advisory lock taken (for the rest of the transaction) by every append to the raw
 * log, before its first row: appends commit one at a time, so log rows become
 * visible in `seq` order and a projector reading "after the watermark" never
 * skips a row that commits later with a lower seq.
 */
export const LOG_APPEND_LOCK = '4840431902113022';

/** Takes the append lock; call inside the transaction that appends to the log. */
export async function lockLogForAppend(m: Queryable): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [LOG_APPEND_LOCK]);
}

/**
 * The raw event log keeps the envelope (eventId, type, occurredAt, dossierId,
 * unit) in columns and only the type's own fields as `payload`.
 */
export function payloadOf(e: DossierEvent): Record<string, unknown> {
  const { eventId: _id, type: _t, occurredAt: _o, dossierId: _d, communeCode: _c, provinceCode: _p, ...own } = e;
  return own;
}

export interface LoggedEvent {
  event_id: string;
  dossier_id: string;
  unit_code: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

/** The event as it was accepted, from its log row. */
export function eventFromLog(r: LoggedEvent): DossierEvent {
  const unit = r.unit_code.length === 2 ? { provinceCode: r.unit_code } : { communeCode: r.unit_code };
  return { ...r.payload, eventId: r.event_id, type: r.type, occurredAt: r.occurred_at.toISOString(), dossierId: r.dossier_id, ...unit } as DossierEvent;
}

/** Canonical JSON: object keys sorted, so equal content gives equal text whatever order a source wrote it in. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/**
 * What an event says, as one string: equal strings mean the same event (instants
 * compared as instants, so +07:00 and Z spellings of one moment are equal).
 */
export function eventFingerprint(e: DossierEvent, occurredAtMs: number, unit: string): string {
  const payload = payloadOf(e);
  if (typeof payload.dueAt === 'string') payload.dueAt = Date.parse(payload.dueAt);
  return canonical({ type: e.type, at: occurredAtMs, dossierId: e.dossierId, unit, payload });
}

/** The unit each of these dossiers belongs to (the unit of its first accepted event), for those that exist. */
export async function dossierOwners(m: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = (await m.query(`SELECT dossier_id, unit_code FROM dossier_owner WHERE dossier_id = ANY($1::text[])`, [ids])) as { dossier_id: string; unit_code: string }[];
  return new Map(rows.map((r) => [r.dossier_id, r.unit_code]));
}

/** Records the unit of new dossiers (under the append lock, so no other writer claims them meanwhile). */
export async function claimDossiers(m: Queryable, claims: ReadonlyMap<string, string>): Promise<void> {
  if (claims.size === 0) return;
  await m.query(
    `INSERT INTO dossier_owner (dossier_id, unit_code) SELECT * FROM json_to_recordset($1::json) AS c(dossier_id text, unit_code text) ON CONFLICT (dossier_id) DO NOTHING`,
    [JSON.stringify([...claims].map(([dossier_id, unit_code]) => ({ dossier_id, unit_code })))],
  );
}

/**
 * Dossier records (bulk import of history) are stored as one log row each, of
 * this type: occurred_at is the receipt, payload the record's other fields. The
 * projector folds a record row as the events it stands for (recordEvents).
 */
export const RECORD_TYPE = 'record';

/** The record's fields the log row does not hold in its columns. */
export function recordPayload(r: DossierRecord): Record<string, unknown> {
  const { dossierId: _d, communeCode: _c, provinceCode: _p, receivedAt: _r, ...own } = r;
  return own;
}

/** The record a record row stores. */
export function recordFromLog(r: LoggedEvent): DossierRecord {
  const unit = r.unit_code.length === 2 ? { provinceCode: r.unit_code } : { communeCode: r.unit_code };
  return { ...r.payload, dossierId: r.dossier_id, ...unit, receivedAt: r.occurred_at.toISOString() } as DossierRecord;
}

/** The events a log row stands for: its own event, or those of the record it stores. */
export function eventsFromLog(r: LoggedEvent): DossierEvent[] {
  return r.type === RECORD_TYPE ? recordEvents(recordFromLog(r)) : [eventFromLog(r)];
}

/*
 * Appends from a staging table (bulk import). The stage is a temporary table of the
 * import's session with the columns (line int, event_id text, dossier_id text,
 * unit_code text, occurred_at timestamptz, payload json), filled by COPY; these run in
 * the transaction that holds the append lock. The stage is small and the log large,
 * so lookups are written as LATERAL subqueries: each staged row probes the log's
 * unique indexes, and no plan reads the whole log (or the stage once per log row).
 */

/** Staged rows whose dossier already belongs to another unit than the row's (the caller checks the key's scope against it). */
export async function stagedOwnedElsewhere(m: Queryable, stage: string): Promise<{ line: number; dossier_id: string; unit_code: string }[]> {
  return (await m.query(
    `SELECT s.line, s.dossier_id, o.unit_code FROM ${stage} s
     CROSS JOIN LATERAL (SELECT unit_code FROM dossier_owner WHERE dossier_id = s.dossier_id) o
     WHERE o.unit_code <> s.unit_code`,
  )) as { line: number; dossier_id: string; unit_code: string }[];
}

/**
 * Appends the staged rows to the log in line order (rows whose event_id is taken are
 * skipped), claims the new dossiers for the unit of their row, and returns how many
 * rows were appended and the log position of the last.
 */
export async function appendStaged(m: Queryable, stage: string, type: string, keyId: string | null): Promise<{ appended: number; position: number | null }> {
  const [r] = (await m.query(
    `WITH keys AS (
       INSERT INTO ingest_event_key (event_id, seq, ingested_at)
       SELECT event_id, nextval('ingest_event_seq'), now() FROM (SELECT event_id FROM ${stage} ORDER BY line) s
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id, seq, ingested_at
     ), ins AS (
       INSERT INTO ingest_event (seq, event_id, dossier_id, unit_code, type, occurred_at, ingested_at, payload, key_id)
       SELECT k.seq, s.event_id, s.dossier_id, s.unit_code, $1, s.occurred_at, k.ingested_at, s.payload, $2::uuid
       FROM keys k JOIN ${stage} s USING (event_id)
       RETURNING seq, dossier_id, unit_code
     ), claimed AS (
       INSERT INTO dossier_owner (dossier_id, unit_code) SELECT dossier_id, unit_code FROM ins ON CONFLICT (dossier_id) DO NOTHING
     )
     SELECT count(*)::int AS appended, max(seq)::bigint AS position FROM ins`,
    [type, keyId],
  )) as { appended: number; position: string | null }[];
  return { appended: r!.appended, position: r!.position === null ? null : Number(r!.position) };
}

/** Staged rows whose event_id an earlier transaction took, with the stored row (for duplicate or conflict). */
export async function stagedTaken(m: Queryable, stage: string): Promise<(LoggedEvent & { line: number; key_id: string | null })[]> {
  return (await m.query(
    `SELECT s.line, e.event_id, e.dossier_id, e.unit_code, e.type, e.occurred_at, e.payload, e.key_id
     FROM ${stage} s
     JOIN ingest_event_key k ON k.event_id = s.event_id AND k.xmin <> pg_current_xact_id()::xid
     CROSS JOIN LATERAL (SELECT * FROM ingest_event WHERE seq = k.seq AND ingested_at = k.ingested_at) e`,
  )) as (LoggedEvent & { line: number; key_id: string | null })[];
}
