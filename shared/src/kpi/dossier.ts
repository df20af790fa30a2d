import type { Channel, DossierEvent, Outcome } from '../events.js';
import { eventUnitCode } from '../events.js';

/**
 * What is known about one dossier, folded from its events. The fold is
 * commutative: every slot keeps the earliest (occurredAt, eventId) of its kind,
 * so the same set of events gives the same facts in any arrival order. That is
 * what makes out-of-order delivery safe and a rebuild equal to the live result.
 */
export interface Stamp {
  at: number;
  id: string;
}
export interface ReceivedFacts extends Stamp {
  channel: Channel;
  fullOnlineEligible: boolean;
  resultRequired: boolean;
  feeRequired: boolean;
  dueAt: number;
  procedureCode: string;
  sector: string;
}
export interface DossierFacts {
  dossierId: string;
  /** Handling unit: a 5-digit commune or a 2-digit province (province-level dossiers). */
  unitCode: string;
  received: ReceivedFacts | null;
  completed: (Stamp & { outcome: Outcome }) | null;
  /** The two earliest supplement requests, in time order. */
  supplements: Stamp[];
  supplementCount: number;
  digitizedAt: number | null;
  /** Earliest electronic issue of the result. */
  eResultAt: number | null;
  /** Earliest online payment. */
  paidOnlineAt: number | null;
  /** Earliest rating that carries a complaint. */
  complaintAt: number | null;
  /** Latest rating's satisfaction (null when never rated). */
  rating: (Stamp & { satisfied: boolean }) | null;
}

/** One dossier's state before and after some events were folded in (before: null for a new dossier). */
export interface DossierChange {
  before: DossierFacts | null;
  after: DossierFacts;
}

export function emptyFacts(dossierId: string, unitCode: string): DossierFacts {
  return {
    dossierId,
    unitCode,
    received: null,
    completed: null,
    supplements: [],
    supplementCount: 0,
    digitizedAt: null,
    eResultAt: null,
    paidOnlineAt: null,
    complaintAt: null,
    rating: null,
  };
}

function earlier(a: Stamp, b: Stamp): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}
function minAt(cur: number | null, at: number): number {
  return cur === null || at < cur ? at : cur;
}

/** Folds one (not yet seen) event into the facts, in place. */
export function applyEvent(f: DossierFacts, e: DossierEvent, at: number): void {
  const stamp: Stamp = { at, id: e.eventId };
  switch (e.type) {
    case 'received':
      if (f.received === null || earlier(stamp, f.received)) {
        f.received = {
          ...stamp,
          channel: e.channel,
          fullOnlineEligible: e.fullOnlineEligible,
          resultRequired: e.resultRequired,
          feeRequired: e.feeRequired,
          dueAt: Date.parse(e.dueAt),
          procedureCode: e.procedureCode,
          sector: e.sector,
        };
        f.unitCode = eventUnitCode(e);
      }
      break;
    case 'supplement_requested':
      f.supplementCount += 1;
      f.supplements = [...f.supplements, stamp].sort((a, b) => (earlier(a, b) ? -1 : 1)).slice(0, 2);
      break;
    case 'supplement_received':
      break;
    case 'digitized':
      f.digitizedAt = minAt(f.digitizedAt, at);
      break;
    case 'completed':
      if (f.completed === null || earlier(stamp, f.completed)) f.completed = { ...stamp, outcome: e.outcome };
      break;
    case 'result_issued':
      if (e.electronic) f.eResultAt = minAt(f.eResultAt, at);
      break;
    case 'paid':
      if (e.online) f.paidOnlineAt = minAt(f.paidOnlineAt, at);
      break;
    case 'rated':
      if (e.complaint) f.complaintAt = minAt(f.complaintAt, at);
      if (f.rating === null || earlier(f.rating, stamp)) f.rating = { ...stamp, satisfied: e.satisfied };
      break;
  }
}

/**
 * The instant from which an unresolved dossier counts as overdue (766 §2.1 as
 * transcribed), or null if it never does on the facts known:
 * - past its appointment (dueAt);
 * - exactly one supplement request made by the appointment stops the clock;
 * - a second supplement request makes it overdue from that request.
 */
export function overdueFrom(f: DossierFacts): number | null {
  if (f.received === null) return null;
  const [s1, s2] = f.supplements;
  let o = Infinity;
  if (!(s1 !== undefined && s1.at <= f.received.dueAt)) o = f.received.dueAt;
  if (s2 !== undefined) o = Math.min(o, s2.at);
  if (o === Infinity) return null;
  return Math.max(o, f.received.at);
}

/**
 * The instant the dossier is overdue from while still unresolved; null when it
 * is resolved before that (or never overdue).
 */
export function overdueWhileOpenFrom(f: DossierFacts): number | null {
  const o = overdueFrom(f);
  if (o === null) return null;
  if (f.completed !== null && f.completed.at <= o) return null;
  return o;
}

/** A resolved dossier is late when it was already overdue at its completion. */
export function resolvedLate(f: DossierFacts): boolean {
  return f.completed !== null && overdueWhileOpenFrom(f) !== null;
}

/**
 * The time that counts as the dossier's end for on-time purposes: the single
 * supplement request that stopped the clock, else the completion.
 */
export function effectiveEnd(f: DossierFacts): number | null {
  if (f.completed === null || f.received === null) return null;
  const [s1, s2] = f.supplements;
  if (s1 !== undefined && s1.at <= f.received.dueAt && !(s2 !== undefined && s2.at < f.completed.at)) {
    return Math.min(s1.at, f.completed.at);
  }
  return f.completed.at;
}

/**
 * When the dossier counts as digitised in the sense of 766 §4.2, as steps of
 * +1/−1 over time: from the moment its components are digitised; where the
 * procedure returns a result, it stops counting when it is resolved without an
 * electronic result, and counts again if one is issued later. A result not yet
 * due (the dossier still in progress) is not held against it.
 */
export function digitizedSteps(f: DossierFacts): [at: number, delta: 1 | -1][] {
  const rec = f.received;
  if (rec === null || f.digitizedAt === null) return [];
  const from = Math.max(f.digitizedAt, rec.at);
  const steps: [number, 1 | -1][] = [[from, 1]];
  const c = f.completed;
  if (rec.resultRequired && c !== null && c.outcome === 'resolved' && !(f.eResultAt !== null && f.eResultAt <= c.at)) {
    const fail = Math.max(c.at, from);
    steps.push([fail, -1]);
    if (f.eResultAt !== null) steps.push([Math.max(f.eResultAt, fail), 1]);
  }
  return steps;
}

/** Whether the dossier counts as digitised at instant `t` (exclusive). */
export function digitizedAt(f: DossierFacts, t: number): boolean {
  return digitizedSteps(f).reduce((sum, [at, d]) => (at < t ? sum + d : sum), 0) > 0;
}
