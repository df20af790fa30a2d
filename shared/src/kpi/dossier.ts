import type { Channel, DossierEvent, Outcome } from '../events.js';
import type { DossierRecord, RecordAtMs } from '../records.js';
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
  /** Contract v1.1 attributes of the receipt: absent = unknown. */
  reusedDigitizedData?: boolean;
  citizenDataUsed?: boolean;
  fromCitizenStore?: boolean;
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
  /** Every rating's satisfaction, in time order (a later rating replaces an earlier one from its instant on). */
  ratings: (Stamp & { satisfied: boolean })[];
  /** Earliest `synced` event: the dossier reached the national portal. */
  syncedAt: number | null;
  /** Earliest electronic result issue that says it was synced to the citizen's data store. */
  storeSyncedAt: number | null;
  /** Earliest result issue that says it was not synced to the citizen's data store. */
  storeNotSyncedAt: number | null;
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
    ratings: [],
    syncedAt: null,
    storeSyncedAt: null,
    storeNotSyncedAt: null,
  };
}

/**
 * A copy of the facts that folding can change without touching the original. The
 * fold never changes a nested value in place: it replaces the receipt, completion,
 * rating and the lists with new ones. So a shallow copy is enough, and costs a
 * fraction of a deep one (structuredClone: about 5 µs a dossier).
 */
export function copyFacts(f: DossierFacts): DossierFacts {
  return { ...f };
}

/** Facts stored before contract v1.1 lack its slots: they take their empty values. */
export function withAllSlots(f: DossierFacts): DossierFacts {
  return { ...emptyFacts(f.dossierId, f.unitCode), ...f };
}

function earlier(a: Stamp, b: Stamp): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

/** An instant of a record as epoch ms, whether ISO text or already a number. */
function ms(v: string | number): number {
  return typeof v === 'number' ? v : Date.parse(v);
}

function minAt(cur: number | null, at: number): number {
  return cur === null || at < cur ? at : cur;
}

/** Folds one (not yet seen) event into the facts, in place. */
export function applyEvent(f: DossierFacts, e: DossierEvent, at: number): void {
  const stamp: Stamp = { at, id: e.eventId };
  switch (e.type) {
    case 'received':
      foldReceived(f, stamp, e, Date.parse(e.dueAt), eventUnitCode(e));
      break;
    case 'supplement_requested':
      foldSupplementRequest(f, stamp);
      break;
    case 'supplement_received':
      break;
    case 'digitized':
      f.digitizedAt = minAt(f.digitizedAt, at);
      break;
    case 'completed':
      foldCompleted(f, stamp, e.outcome);
      break;
    case 'result_issued':
      foldResultIssued(f, at, e.electronic, e.syncedToCitizenStore);
      break;
    case 'synced':
      f.syncedAt = minAt(f.syncedAt, at);
      break;
    case 'paid':
      if (e.online) f.paidOnlineAt = minAt(f.paidOnlineAt, at);
      break;
    case 'rated':
      foldRating(f, stamp, e.satisfied, e.complaint);
      break;
  }
}

/** What a receipt says besides its instant, id and unit. */
type ReceiptAttributes = Pick<
  ReceivedFacts,
  'channel' | 'fullOnlineEligible' | 'resultRequired' | 'feeRequired' | 'procedureCode' | 'sector' | 'reusedDigitizedData' | 'citizenDataUsed' | 'fromCitizenStore'
>;

function foldReceived(f: DossierFacts, stamp: Stamp, r: ReceiptAttributes, dueAt: number, unitCode: string): void {
  if (f.received !== null && !earlier(stamp, f.received)) return;
  // Built property by property: a spread of the stamp followed by more properties takes V8's slow path, about 10 µs a dossier.
  f.received = {
    at: stamp.at,
    id: stamp.id,
    channel: r.channel,
    fullOnlineEligible: r.fullOnlineEligible,
    resultRequired: r.resultRequired,
    feeRequired: r.feeRequired,
    dueAt,
    procedureCode: r.procedureCode,
    sector: r.sector,
  };
  if (r.reusedDigitizedData !== undefined) f.received.reusedDigitizedData = r.reusedDigitizedData;
  if (r.citizenDataUsed !== undefined) f.received.citizenDataUsed = r.citizenDataUsed;
  if (r.fromCitizenStore !== undefined) f.received.fromCitizenStore = r.fromCitizenStore;
  f.unitCode = unitCode;
}

function foldSupplementRequest(f: DossierFacts, stamp: Stamp): void {
  f.supplementCount += 1;
  f.supplements = [...f.supplements, stamp].sort((a, b) => (earlier(a, b) ? -1 : 1)).slice(0, 2);
}

function foldCompleted(f: DossierFacts, stamp: Stamp, outcome: Outcome): void {
  if (f.completed === null || earlier(stamp, f.completed)) f.completed = { at: stamp.at, id: stamp.id, outcome };
}

function foldResultIssued(f: DossierFacts, at: number, electronic: boolean, syncedToCitizenStore: boolean | undefined): void {
  if (electronic) f.eResultAt = minAt(f.eResultAt, at);
  if (syncedToCitizenStore === true && electronic) f.storeSyncedAt = minAt(f.storeSyncedAt, at);
  else if (syncedToCitizenStore !== undefined) f.storeNotSyncedAt = minAt(f.storeNotSyncedAt, at);
}

function foldRating(f: DossierFacts, stamp: Stamp, satisfied: boolean, complaint: boolean): void {
  if (complaint) f.complaintAt = minAt(f.complaintAt, stamp.at);
  if (f.rating === null || earlier(f.rating, stamp)) f.rating = { at: stamp.at, id: stamp.id, satisfied };
  f.ratings = [...f.ratings, { at: stamp.at, id: stamp.id, satisfied }].sort((a, b) => (earlier(a, b) ? -1 : 1));
}

/**
 * Folds a dossier record (records.ts) into the facts, in place, without building
 * its events: the same facts as folding each event of `recordEvents(r)` with
 * `applyEvent` (their ids, `record:<dossierId>/<step>`, and instants included).
 * A record's shape is validated before it reaches the log, so its fields are
 * trusted here. Its instants may be ISO text or, as the log stores them, epoch ms.
 */
export function applyRecord(f: DossierFacts, r: DossierRecord | RecordAtMs): void {
  const id = `record:${r.dossierId}/`;
  foldReceived(f, { at: ms(r.receivedAt), id: `${id}received` }, r, ms(r.dueAt), (r.communeCode ?? r.provinceCode)!);
  const s1 = r.supplementRequestedAt1;
  const s2 = r.supplementRequestedAt2;
  const count = r.supplementCount ?? (s1 !== undefined ? 1 : 0) + (s2 !== undefined ? 1 : 0);
  if (count > 0) {
    const at1 = ms(s1!);
    const at2 = s2 !== undefined ? ms(s2) : NaN;
    // Requests beyond the second take the later of the two instants (see records.ts).
    const latest = s2 !== undefined && at1 <= at2 ? at2 : at1;
    for (let n = 1; n <= count; n++) {
      foldSupplementRequest(f, { at: n === 1 ? at1 : n === 2 ? at2 : latest, id: `${id}supplement_requested/${String(n).padStart(2, '0')}` });
    }
  }
  if (r.digitizedAt !== undefined) f.digitizedAt = minAt(f.digitizedAt, ms(r.digitizedAt));
  if (r.completedAt !== undefined) foldCompleted(f, { at: ms(r.completedAt), id: `${id}completed` }, r.outcome!);
  if (r.resultIssuedAt !== undefined) foldResultIssued(f, ms(r.resultIssuedAt), r.resultElectronic!, r.resultSyncedToCitizenStore);
  if (r.paidAt !== undefined && r.paidOnline) f.paidOnlineAt = minAt(f.paidOnlineAt, ms(r.paidAt));
  if (r.ratedAt !== undefined) foldRating(f, { at: ms(r.ratedAt), id: `${id}rated` }, r.satisfied!, r.complaint!);
  if (r.syncedAt !== undefined) f.syncedAt = minAt(f.syncedAt, ms(r.syncedAt));
}

/** How many events a record stands for (those `recordEvents` gives), and the latest of their instants. */
export function recordEventSpan(r: DossierRecord | RecordAtMs): { events: number; latest: number } {
  const count = r.supplementCount ?? (r.supplementRequestedAt1 !== undefined ? 1 : 0) + (r.supplementRequestedAt2 !== undefined ? 1 : 0);
  let events = 1 + count;
  let latest = ms(r.receivedAt);
  const at = (v: string | number | undefined) => {
    if (v === undefined) return;
    const t = ms(v);
    if (t > latest) latest = t;
  };
  at(r.supplementRequestedAt1);
  at(r.supplementRequestedAt2);
  for (const v of [r.digitizedAt, r.completedAt, r.resultIssuedAt, r.paidAt, r.ratedAt, r.syncedAt]) {
    if (v === undefined) continue;
    events++;
    at(v);
  }
  return { events, latest };
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

/**
 * When a dossier counts as dissatisfied for 5.4 (a complaint, or its latest rating so far
 * unsatisfied), as steps of +1/−1 over time from its completion: what is true at an instant
 * is the sum of the steps before it. Empty for a dossier not completed.
 */
export function dissatisfiedSteps(f: DossierFacts): [at: number, delta: 1 | -1][] {
  const c = f.completed;
  if (c === null || f.received === null) return [];
  // The state changes at the complaint and at each rating; before the completion nothing counts.
  const points = new Set<number>();
  if (f.complaintAt !== null) points.add(Math.max(f.complaintAt, c.at));
  for (const r of f.ratings ?? []) points.add(Math.max(r.at, c.at));
  const steps: [number, 1 | -1][] = [];
  let state = false;
  for (const t of [...points].sort((a, b) => a - b)) {
    const now = dissatisfiedAt(f, t + 1);
    if (now !== state) {
      steps.push([t, now ? 1 : -1]);
      state = now;
    }
  }
  return steps;
}

/** Whether the dossier, completed before `t`, had a complaint or a latest rating unsatisfied before `t` (exclusive). */
export function dissatisfiedAt(f: DossierFacts, t: number): boolean {
  if (f.completed === null || f.completed.at >= t) return false;
  if (f.complaintAt !== null && f.complaintAt < t) return true;
  let latest: boolean | null = null;
  for (const r of f.ratings ?? []) if (r.at < t) latest = r.satisfied;
  return latest === false;
}

/** When the dossier's link to the citizen's data store (4.4) becomes known, and when it counts as linked (null: not yet). */
export function citizenStoreInstants(f: DossierFacts): { knownAt: number | null; linkedAt: number | null } {
  const rec = f.received;
  if (rec === null) return { knownAt: null, linkedAt: null };
  const from = rec.fromCitizenStore;
  const storeSynced = f.storeSyncedAt ?? null;
  const storeNotSynced = f.storeNotSyncedAt ?? null;
  const linkedAt = from === true ? rec.at : storeSynced !== null ? Math.max(storeSynced, rec.at) : null;
  // Not linked is known when no component came from the store and the result was said not synced (three-valued "or").
  const notLinkedAt = from === false && storeNotSynced !== null ? Math.max(storeNotSynced, rec.at) : null;
  const knownAt = linkedAt === null ? notLinkedAt : notLinkedAt === null ? linkedAt : Math.min(linkedAt, notLinkedAt);
  return { knownAt, linkedAt };
}
