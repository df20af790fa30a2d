import type { DossierEvent } from '@ioc/shared';

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
