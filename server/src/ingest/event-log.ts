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
