import type { DossierEvent } from '@ioc/shared';

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

/** Anything that runs SQL: an EntityManager or a pg client. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

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
