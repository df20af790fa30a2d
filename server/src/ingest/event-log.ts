import {
  type DossierEvent,
  type DossierRecord,
  type IngestEvent,
  RECORD_COLUMNS,
  type RecordAtMs,
  type RecordInstantField,
  type RecordInstantsMs,
  RECORD_FIELDS,
  eventSubjectId,
  isFeedbackEvent,
  isFeedbackEventType,
} from '@ioc/shared';
import type pg from 'pg';
import { copyIn } from '../database/copy.js';
import type { Queryable } from '../database/queryable.js';

/** A valid event on its way into the log: its occurredAt in epoch ms, and its unit (commune or province code). */
export interface AcceptedEvent<E extends IngestEvent = DossierEvent> {
  event: E;
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
 * unit) in columns and only the type's own fields as `payload`. A feedback event's
 * `feedbackId` takes the `dossier_id` column (its `type` tells which), and the
 * optional `dossierId` of `feedback_received` stays in the payload.
 */
export function payloadOf(e: IngestEvent): Record<string, unknown> {
  if (isFeedbackEvent(e)) {
    const { eventId: _id, type: _t, occurredAt: _o, feedbackId: _f, communeCode: _c, provinceCode: _p, ...own } = e;
    return own;
  }
  const { eventId: _id, type: _t, occurredAt: _o, dossierId: _d, communeCode: _c, provinceCode: _p, ...own } = e;
  return own;
}

export interface LoggedEvent {
  event_id: string;
  dossier_id: string;
  unit_code: string;
  type: string;
  occurred_at: Date;
  /** An event's own fields; a record row's fields by position (recordPayloadText), or as an object in rows written before. */
  payload: Record<string, unknown> | unknown[];
}

/** A log row as the projector reads it: its position and ingest time besides the event. */
export type LogPositionRow = LoggedEvent & { seq: string; ingested_at: Date };

/** Up to `limit` log rows after position `after`, in log order. */
export async function logRowsAfter(q: Queryable, after: number, limit: number): Promise<LogPositionRow[]> {
  return (await q.query(
    `SELECT seq, event_id, dossier_id, unit_code, type, occurred_at, ingested_at, payload
     FROM ingest_event WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [after, limit],
  )) as LogPositionRow[];
}

/** The event as it was accepted, from its log row. */
export function eventFromLog(r: LoggedEvent): DossierEvent {
  return envelopeEvent(r, 'dossierId') as unknown as DossierEvent;
}

/**
 * A log row's event: the payload's fields, then the envelope's. Assigned one by one:
 * a spread followed by more properties takes one of V8's slow paths, about four
 * times the time, for every event the projector folds.
 */
function envelopeEvent(r: LoggedEvent, subject: 'dossierId' | 'feedbackId'): Record<string, unknown> {
  const e = Object.assign({}, r.payload) as Record<string, unknown>;
  e.eventId = r.event_id;
  e.type = r.type;
  e.occurredAt = r.occurred_at.toISOString();
  e[subject] = r.dossier_id;
  if (r.unit_code.length === 2) e.provinceCode = r.unit_code;
  else e.communeCode = r.unit_code;
  return e;
}

/** Whether a log row holds a feedback event (its `dossier_id` column is then the feedbackId). */
export function isFeedbackRow(r: Pick<LoggedEvent, 'type'>): boolean {
  return isFeedbackEventType(r.type);
}

/** The event as it was accepted, from its log row, whether a dossier or a feedback event. */
export function ingestEventFromLog(r: LoggedEvent): IngestEvent {
  return envelopeEvent(r, isFeedbackRow(r) ? 'feedbackId' : 'dossierId') as unknown as IngestEvent;
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
export function eventFingerprint(e: IngestEvent, occurredAtMs: number, unit: string): string {
  const payload = payloadOf(e);
  if (typeof payload.dueAt === 'string') payload.dueAt = Date.parse(payload.dueAt);
  return canonical({ type: e.type, at: occurredAtMs, dossierId: eventSubjectId(e), unit, payload });
}

/**
 * Dossier records (bulk import of history) are stored as one log row each, of
 * this type: occurred_at is the receipt, payload the record's other fields. The
 * projector folds a record row as the events it stands for (applyRecord).
 */
export const RECORD_TYPE = 'record';

/** The record's fields a record row's payload holds, in this order: the row's columns hold the others (dossierId, unit, receivedAt). */
const PAYLOAD_COLUMNS = RECORD_COLUMNS.filter((k) => k !== 'dossierId' && k !== 'communeCode' && k !== 'provinceCode' && k !== 'receivedAt');
const PAYLOAD_INSTANTS = PAYLOAD_COLUMNS.map((k) => RECORD_FIELDS[k].kind === 'instant');

/**
 * A record row's payload, as JSON text: the record's other fields by position
 * (PAYLOAD_COLUMNS), an absent one as null and trailing absent ones left out,
 * instants as epoch milliseconds. Under half the text of the same fields as an
 * object with their names and ISO instants, for each of the millions of rows a
 * history holds. The record must be valid (its instants parse); `instantsMs`, its
 * instants as validation parsed them, saves parsing them again.
 */
export function recordPayloadText(r: DossierRecord, instantsMs?: RecordInstantsMs): string {
  const values: unknown[] = [];
  let used = 0;
  for (let i = 0; i < PAYLOAD_COLUMNS.length; i++) {
    const k = PAYLOAD_COLUMNS[i]!;
    const v = r[k];
    if (v === undefined) {
      values.push(null);
      continue;
    }
    values.push(PAYLOAD_INSTANTS[i] ? (instantsMs?.[k as RecordInstantField] ?? Date.parse(v as string)) : v);
    used = i + 1;
  }
  values.length = used;
  return JSON.stringify(values);
}

/**
 * The record a record row stores. Rows written before the positional payload hold
 * the fields as an object, instants as the source wrote them; both read the same.
 */
export function recordFromLog(r: LoggedEvent): DossierRecord {
  return decodeRecordRow(
    r,
    (ms) => new Date(ms).toISOString(),
    (text) => text,
  ) as unknown as DossierRecord;
}

/** The record a record row stores, its instants as epoch ms (the projector's fold reads them so, without text to parse). */
export function recordAtMsFromLog(r: LoggedEvent): RecordAtMs {
  return decodeRecordRow(
    r,
    (ms) => ms,
    (text) => Date.parse(text),
  ) as unknown as RecordAtMs;
}

/** A record row's fields, each instant through `fromMs` (positional rows) or `fromText` (rows with named fields). */
function decodeRecordRow(r: LoggedEvent, fromMs: (ms: number) => unknown, fromText: (text: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { dossierId: r.dossier_id };
  if (r.unit_code.length === 2) out.provinceCode = r.unit_code;
  else out.communeCode = r.unit_code;
  out.receivedAt = fromMs(r.occurred_at.getTime());
  const p = r.payload;
  if (Array.isArray(p)) {
    for (let i = 0; i < p.length; i++) {
      const v: unknown = p[i];
      if (v !== null) out[PAYLOAD_COLUMNS[i]!] = PAYLOAD_INSTANTS[i] ? fromMs(v as number) : v;
    }
    return out;
  }
  for (let i = 0; i < PAYLOAD_COLUMNS.length; i++) {
    const k = PAYLOAD_COLUMNS[i]!;
    const v = p[k];
    if (v !== undefined) out[k] = PAYLOAD_INSTANTS[i] ? fromText(v as string) : v;
  }
  return out;
}

/*
 * Appending under the append lock. Every writer of ingest_event_key and dossier_owner
 * holds the lock, so what a lookup made after taking it finds stays true until the
 * commit: the ids it finds free are free, the dossiers it finds unowned are unowned.
 * The new rows then go in by COPY, which PostgreSQL loads far faster than an INSERT
 * of the same rows (no per-row executor, no JSON to unpack, no speculative insertion
 * for ON CONFLICT).
 */

/** A row on its way into the log. */
export interface LogRow {
  eventId: string;
  dossierId: string;
  unit: string;
  type: string;
  /** ISO-8601 instant with an offset. */
  occurredAt: string;
  /** The payload as JSON text. */
  payload: string;
  keyId: string | null;
}

/** COPY text format: backslash, tab and line breaks escaped. */
export function copyText(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** Under the append lock: the unit owning each of these dossiers (those that have one), and which of these event ids the log holds. */
export async function lookUpForAppend(m: Queryable, dossierIds: readonly string[], eventIds: readonly string[]): Promise<{ owners: Map<string, string>; taken: Set<string> }> {
  const rows = (await m.query(
    `SELECT dossier_id AS id, unit_code FROM dossier_owner WHERE dossier_id = ANY($1::text[])
     UNION ALL
     SELECT event_id, NULL FROM ingest_event_key WHERE event_id = ANY($2::text[])`,
    [dossierIds, eventIds],
  )) as { id: string; unit_code: string | null }[];
  const owners = new Map<string, string>();
  const taken = new Set<string>();
  for (const r of rows) {
    if (r.unit_code === null) taken.add(r.id);
    else owners.set(r.id, r.unit_code);
  }
  return { owners, taken };
}

/**
 * Appends rows whose event ids are free (looked up under the append lock, which the
 * caller holds) and claims the dossiers in `claims` (unowned, likewise); returns each
 * row's log position, in the rows' order.
 */
export async function appendRows(client: pg.ClientBase, rows: readonly LogRow[], claims: ReadonlyMap<string, string>): Promise<number[]> {
  if (rows.length === 0) return [];
  // The transaction's now() as PostgreSQL spells it, so the key and the row carry the very same instant.
  const [r] = (await client.query(`SELECT now()::text AS at, array_to_string(ARRAY(SELECT nextval('ingest_event_seq') FROM generate_series(1, $1::int)), ',') AS seqs`, [rows.length])).rows as {
    at: string;
    seqs: string;
  }[];
  const at = r!.at;
  const seqs = r!.seqs.split(',').map(Number);
  let keys = '';
  let events = '';
  for (let i = 0; i < rows.length; i++) {
    const w = rows[i]!;
    const id = copyText(w.eventId);
    keys += `${id}\t${seqs[i]}\t${at}\n`;
    events += `${seqs[i]}\t${id}\t${copyText(w.dossierId)}\t${w.unit}\t${w.type}\t${w.occurredAt}\t${at}\t${copyText(w.payload)}\t${w.keyId ?? '\\N'}\n`;
  }
  await copyIn(client, `COPY ingest_event_key (event_id, seq, ingested_at) FROM STDIN`, keys);
  await copyIn(client, `COPY ingest_event (seq, event_id, dossier_id, unit_code, type, occurred_at, ingested_at, payload, key_id) FROM STDIN`, events);
  if (claims.size > 0) {
    let owners = '';
    for (const [dossier, unit] of claims) owners += `${copyText(dossier)}\t${unit}\n`;
    await copyIn(client, `COPY dossier_owner (dossier_id, unit_code) FROM STDIN`, owners);
  }
  return seqs;
}

/** The stored rows of these event ids, with the key that sent each (ids whose month was dropped have none). */
export async function storedRows(m: Queryable, ids: readonly string[]): Promise<Map<string, LoggedEvent & { key_id: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = (await m.query(
    `SELECT e.event_id, e.dossier_id, e.unit_code, e.type, e.occurred_at, e.payload, e.key_id
     FROM ingest_event_key k JOIN ingest_event e ON e.seq = k.seq AND e.ingested_at = k.ingested_at
     WHERE k.event_id = ANY($1::text[])`,
    [ids],
  )) as (LoggedEvent & { key_id: string | null })[];
  return new Map(rows.map((r) => [r.event_id, r]));
}

/** A logged event with the ingest key that sent it (null when the operator's CLI imported it). */
export interface StoredEventRow {
  event_id: string;
  type: string;
  occurred_at: Date;
  ingested_at: Date;
  dossier_id: string;
  unit_code: string;
  key_id: string | null;
  key_name: string | null;
  key_prefix: string | null;
  key_scope: string | null;
}

/** The logged event of an event id, with its key; null when the log does not hold it. */
export async function storedEventSource(q: Queryable, eventId: string): Promise<StoredEventRow | null> {
  const rows = (await q.query(
    `SELECT e.event_id, e.type, e.occurred_at, e.ingested_at, e.dossier_id, e.unit_code, e.key_id, k.name AS key_name, k.prefix AS key_prefix, k.scope AS key_scope
     FROM ingest_event_key i JOIN ingest_event e ON e.seq = i.seq AND e.ingested_at = i.ingested_at
     LEFT JOIN ingest_key k ON k.id = e.key_id WHERE i.event_id = $1`,
    [eventId],
  )) as StoredEventRow[];
  return rows[0] ?? null;
}
