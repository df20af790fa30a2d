import type { DossierEvent } from '../events.js';
import type { DossierRecord } from '../records.js';
import { applyEvent, emptyFacts, type DossierFacts } from './dossier.js';

/** Builders for dossier facts in tests: local times are written as `YYYY-MM-DDTHH:mm` in +07:00. */
export const at = (local: string): string => `${local}:00+07:00`;
export const ms = (local: string): number => Date.parse(at(local));
/** An appointment far enough ahead that a dossier received now never turns overdue in a test (4 years; at most 5 are accepted). */
export const FAR_DUE = `${new Date(Date.now() + 4 * 365 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10)}T17:00`;

export interface DossierSpec {
  id?: string;
  unit?: string;
  received: string;
  due: string;
  /** Procedure code (default 1.001193). */
  procedure?: string;
  channel?: 'online' | 'direct' | 'postal';
  fullOnlineEligible?: boolean;
  resultRequired?: boolean;
  feeRequired?: boolean;
  supplements?: string[];
  completed?: string;
  outcome?: 'resolved' | 'rejected' | 'stopped';
  digitized?: string;
  resultIssued?: { at: string; electronic: boolean; syncedToCitizenStore?: boolean };
  paid?: { at: string; online: boolean };
  rated?: { at: string; satisfied: boolean; complaint: boolean };
  /** Contract v1.1. */
  reusedDigitizedData?: boolean;
  citizenDataUsed?: boolean;
  fromCitizenStore?: boolean;
  synced?: string;
  /** Ratings after `rated` (events only: a record carries one). */
  laterRatings?: { at: string; satisfied: boolean; complaint: boolean }[];
}
const V11_RECEIVED = ['reusedDigitizedData', 'citizenDataUsed', 'fromCitizenStore'] as const;
function v11Of(s: DossierSpec): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const k of V11_RECEIVED) if (s[k] !== undefined) out[k] = s[k];
  return out;
}

let seq = 0;
export function eventsOf(s: DossierSpec): DossierEvent[] {
  const id = s.id ?? `D${++seq}`;
  const unit = s.unit ?? '00004';
  const base = { dossierId: id, communeCode: unit };
  const ev: DossierEvent[] = [
    {
      ...base,
      eventId: `${id}-r`,
      type: 'received',
      occurredAt: at(s.received),
      procedureCode: s.procedure ?? '1.001193',
      sector: 'Hộ tịch',
      channel: s.channel ?? 'direct',
      fullOnlineEligible: s.fullOnlineEligible ?? false,
      resultRequired: s.resultRequired ?? false,
      feeRequired: s.feeRequired ?? false,
      dueAt: at(s.due),
      ...v11Of(s),
    },
  ];
  (s.supplements ?? []).forEach((t, i) => ev.push({ ...base, eventId: `${id}-s${i}`, type: 'supplement_requested', occurredAt: at(t) }));
  if (s.digitized) ev.push({ ...base, eventId: `${id}-d`, type: 'digitized', occurredAt: at(s.digitized) });
  if (s.completed) ev.push({ ...base, eventId: `${id}-c`, type: 'completed', occurredAt: at(s.completed), outcome: s.outcome ?? 'resolved' });
  if (s.resultIssued) {
    const sync = s.resultIssued.syncedToCitizenStore;
    ev.push({
      ...base,
      eventId: `${id}-e`,
      type: 'result_issued',
      occurredAt: at(s.resultIssued.at),
      electronic: s.resultIssued.electronic,
      ...(sync !== undefined ? { syncedToCitizenStore: sync } : {}),
    });
  }
  if (s.paid) ev.push({ ...base, eventId: `${id}-p`, type: 'paid', occurredAt: at(s.paid.at), online: s.paid.online });
  if (s.rated) ev.push({ ...base, eventId: `${id}-v`, type: 'rated', occurredAt: at(s.rated.at), satisfied: s.rated.satisfied, complaint: s.rated.complaint });
  (s.laterRatings ?? []).forEach((r, i) => ev.push({ ...base, eventId: `${id}-v${i + 1}`, type: 'rated', occurredAt: at(r.at), satisfied: r.satisfied, complaint: r.complaint }));
  if (s.synced) ev.push({ ...base, eventId: `${id}-y`, type: 'synced', occurredAt: at(s.synced) });
  return ev;
}

export function foldEvents(events: readonly DossierEvent[]): DossierFacts[] {
  const byId = new Map<string, DossierFacts>();
  for (const e of events) {
    let f = byId.get(e.dossierId);
    if (!f) byId.set(e.dossierId, (f = emptyFacts(e.dossierId, (e.communeCode ?? e.provinceCode)!)));
    applyEvent(f, e, Date.parse(e.occurredAt));
  }
  return [...byId.values()];
}

export const dossier = (s: DossierSpec): DossierFacts => foldEvents(eventsOf(s))[0]!;

/** The record a one-stop system exports for the dossier `s` describes. */
export function recordOf(s: DossierSpec & { id: string }): DossierRecord {
  const sup = [...(s.supplements ?? [])].sort();
  const r: DossierRecord = {
    dossierId: s.id,
    ...(s.unit?.length === 2 ? { provinceCode: s.unit } : { communeCode: s.unit ?? '00004' }),
    procedureCode: s.procedure ?? '1.001193',
    sector: 'Hộ tịch',
    channel: s.channel ?? 'direct',
    fullOnlineEligible: s.fullOnlineEligible ?? false,
    resultRequired: s.resultRequired ?? false,
    feeRequired: s.feeRequired ?? false,
    receivedAt: at(s.received),
    dueAt: at(s.due),
    ...v11Of(s),
  };
  if (sup.length > 0) Object.assign(r, { supplementCount: sup.length, supplementRequestedAt1: at(sup[0]!) }, sup[1] ? { supplementRequestedAt2: at(sup[1]) } : {});
  if (s.digitized) r.digitizedAt = at(s.digitized);
  if (s.completed) Object.assign(r, { completedAt: at(s.completed), outcome: s.outcome ?? 'resolved' });
  if (s.resultIssued) {
    Object.assign(r, { resultIssuedAt: at(s.resultIssued.at), resultElectronic: s.resultIssued.electronic });
    if (s.resultIssued.syncedToCitizenStore !== undefined) r.resultSyncedToCitizenStore = s.resultIssued.syncedToCitizenStore;
  }
  if (s.paid) Object.assign(r, { paidAt: at(s.paid.at), paidOnline: s.paid.online });
  if (s.rated) Object.assign(r, { ratedAt: at(s.rated.at), satisfied: s.rated.satisfied, complaint: s.rated.complaint });
  if (s.synced) r.syncedAt = at(s.synced);
  return r;
}
