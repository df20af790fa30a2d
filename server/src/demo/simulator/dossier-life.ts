import { DAY_MS, HOUR_MS, type Channel, type DossierEvent, type Outcome } from '@ioc/shared';
import { AM_LEN, MINUTE, ONLINE_SLOTS, SATURDAY_COUNTER, WDAY, WEEKDAY_COUNTER, dayKind, floorSec, fromWork, fromWorkEnd, iso7, toWork } from './calendar.js';
import type { UnitState } from './calibration.js';
import { CLASS_OFFSET, CLASS_PROCS, DUES, P, PROCS, SECTORS, type CatalogueEntry } from './catalogue.js';
import { clamp, mix, pick, Rng } from './random.js';
import {
  BANDS_PER_WD,
  GROUPS,
  HALF_HOUR,
  LATE_BANDS,
  LATE_CAP_WD,
  LATE_GRACE,
  LATE_MEAN_WD,
  NS,
  PATH_LATE,
  PATH_SUPPLEMENT,
  POST_MS,
  RATING_CAP_MS,
  RECEIPT_END,
  RECEIPT_WORK,
  type Group,
} from './streams.js';

// Module-level aliases for the hot paths: in a vm context (Jest) every global lookup is slow.
const { exp, floor, log, max, min } = Math;
const INF = Number.POSITIVE_INFINITY;
const NAN = Number.NaN;

/** Contract v1.1 rates are calibrated for January 2026 and rise month by month from it. */
const V11_EPOCH = Date.parse('2026-01-01T00:00:00+07:00');

// ---------------------------------------------------------------------------
// One dossier's skeleton: event instants and attributes, in reusable scratch.

/** Digitised components: portal files at once, counter files by staff within 90 working minutes. */
function digitizedAt(online: boolean, receipt: number, w0: number, lag: number): number {
  return online ? receipt + floorSec((0.5 + 9.5 * lag) * MINUTE) : floorSec(fromWork(w0 + (2 / 90 + (88 / 90) * lag) * RECEIPT_WORK));
}

/** Fees: counter users pay on the spot; portal users online within 3 h, or at the counter when they bring the originals. */
function paidAt(online: boolean, payOnline: boolean, receipt: number, w0: number, lag: number): number {
  if (!online) return receipt + floorSec((1 + 14 * lag) * MINUTE);
  if (payOnline) return receipt + floorSec((1 + 179 * lag) * MINUTE);
  return max(receipt, floorSec(fromWork(w0 + lag * RECEIPT_WORK)));
}

const SLOT_RECEIVED = 0;
const SLOT_DIGITIZED = 1;
const SLOT_SUPREQ1 = 2;
const SLOT_SUPREC1 = 3;
const SLOT_SUPREQ2 = 4;
const SLOT_SUPREC2 = 5;
const SLOT_COMPLETED = 6;
const SLOT_RESULT = 7;
const SLOT_PAID = 8;
const SLOT_RATED = 9;
const SLOT_SYNCED = 10;
/** Number of event slots of a dossier. */
export const NSLOT = 11;
const SLOT_SUFFIX = [
  '-received-1',
  '-digitized-1',
  '-supplement_requested-1',
  '-supplement_received-1',
  '-supplement_requested-2',
  '-supplement_received-2',
  '-completed-1',
  '-result_issued-1',
  '-paid-1',
  '-rated-1',
  '-synced-1',
];
/** Main stream of a dossier: band, channel, slot, instant in the slot, procedure, post. */
const MAIN_DRAWS = 6;

/** A dossier: its events' instants by slot (NaN: no such event) and their attributes. */
export interface Skeleton {
  occ: Float64Array;
  channel: Channel;
  proc: CatalogueEntry;
  dueAt: number;
  outcome: Outcome;
  electronic: boolean;
  payOnline: boolean;
  satisfied: boolean;
  complaint: boolean;
  /** Contract v1.1 attributes (undefined: the unit's system does not send them). */
  reuse: boolean | undefined;
  citizenData: boolean | undefined;
  fromStore: boolean | undefined;
  storeSynced: boolean | undefined;
  /** Lower bound of the dossier's deliveries at or after `to`, when it is skipped. */
  nextLb: number;
}

/**
 * The life of one dossier: from its draws, the instants of its events (receipt,
 * digitisation, supplement requests and replies, completion, result, payment,
 * rating, portal sync) and their attributes, built into a reusable scratch
 * skeleton. A window is set for each unit-day (`setWindow`): a dossier none of
 * whose events can be delivered in it is dropped as early as possible.
 */
export class DossierLife {
  /** The built dossier. */
  readonly sk: Skeleton = {
    occ: new Float64Array(NSLOT),
    channel: 'direct',
    proc: PROCS[0]!,
    dueAt: 0,
    outcome: 'resolved',
    electronic: false,
    payOnline: false,
    satisfied: true,
    complaint: false,
    reuse: undefined,
    citizenData: undefined,
    fromStore: undefined,
    storeSynced: undefined,
    nextLb: INF,
  };
  /** The dossier's main draws (`drawMain`): band, channel, slot, instant in the slot, procedure, post. */
  readonly draws = new Float64Array(MAIN_DRAWS);
  private readonly rng = new Rng();
  private readonly auxRng = new Rng();
  /** Draws of the receipt cluster, the completion cluster, the timeline and contract v1.1. */
  private readonly drawsA = new Float64Array(4);
  private readonly drawsB = new Float64Array(8);
  private readonly drawsC = new Float64Array(8);
  private readonly drawsE = new Float64Array(6);
  // The current window and unit-day, as fields: doubles passed to calls would be boxed on every call.
  private from = 0;
  private to = 0;
  private dayStart = 0;
  /** How long after it occurs an event may still be delivered (the unit's reach for the window). */
  private reach = 0;
  private tLate = false;
  private tOutcome: Outcome | null = null;

  /** Sets the window [from, to), the local midnight of the receipt day, and the unit's reach. */
  setWindow(from: number, to: number, dayStart: number, reach: number): void {
    this.from = from;
    this.to = to;
    this.dayStart = dayStart;
    this.reach = reach;
  }

  /** Draws the main stream of the dossier with this seed into `draws`. */
  drawMain(seed: number): void {
    this.rng.seed(seed).fill(this.draws, MAIN_DRAWS);
  }

  /** The event of the built dossier's `slot`, which occurred at `occ`. */
  event(u: UnitState, slot: number, dossierId: string, occ: number): DossierEvent {
    const sk = this.sk;
    const eventId = `sim-${dossierId}${SLOT_SUFFIX[slot]}`;
    const occurredAt = iso7(occ);
    const communeCode = u.unit.code;
    switch (slot) {
      case SLOT_RECEIVED:
        return {
          eventId,
          type: 'received',
          occurredAt,
          dossierId,
          communeCode,
          procedureCode: sk.proc.code,
          sector: SECTORS[sk.proc.sector]!.name,
          channel: sk.channel,
          fullOnlineEligible: sk.proc.fullOnline,
          resultRequired: sk.proc.result,
          feeRequired: sk.proc.fee,
          dueAt: iso7(sk.dueAt),
          ...(sk.reuse === undefined ? {} : { reusedDigitizedData: sk.reuse, citizenDataUsed: sk.citizenData, fromCitizenStore: sk.fromStore }),
        };
      case SLOT_DIGITIZED:
        return { eventId, type: 'digitized', occurredAt, dossierId, communeCode };
      case SLOT_SUPREQ1:
      case SLOT_SUPREQ2:
        return { eventId, type: 'supplement_requested', occurredAt, dossierId, communeCode };
      case SLOT_SUPREC1:
      case SLOT_SUPREC2:
        return { eventId, type: 'supplement_received', occurredAt, dossierId, communeCode };
      case SLOT_COMPLETED:
        return { eventId, type: 'completed', occurredAt, dossierId, communeCode, outcome: sk.outcome };
      case SLOT_RESULT:
        return {
          eventId,
          type: 'result_issued',
          occurredAt,
          dossierId,
          communeCode,
          electronic: sk.electronic,
          ...(sk.storeSynced === undefined ? {} : { syncedToCitizenStore: sk.storeSynced }),
        };
      case SLOT_PAID:
        return { eventId, type: 'paid', occurredAt, dossierId, communeCode, online: sk.payOnline };
      case SLOT_SYNCED:
        return { eventId, type: 'synced', occurredAt, dossierId, communeCode };
      default:
        return { eventId, type: 'rated', occurredAt, dossierId, communeCode, satisfied: sk.satisfied, complaint: sk.complaint };
    }
  }

  /**
   * Fills the scratch skeleton of one dossier. Its main draws are already in
   * `draws` (band first); the receipt cluster, the completion cluster and the
   * timeline draw from sub-streams of `seed`, so each is drawn only when needed
   * and a dossier that cannot deliver into [from, to) is dropped as early as
   * possible (events before from − reach cannot). `nextLb` then holds a lower
   * bound of its deliveries at or after `to`. `laterLive`: the band's completion
   * cluster may be live on the day's bounds.
   */
  build(u: UnitState, wd: number, st: number, g: number, seed: number, laterLive: boolean): boolean {
    const { from, to, dayStart, reach } = this;
    const D = this.draws;
    const sk = this.sk;
    const occ = sk.occ;
    const group = GROUPS[g]!;
    const kind = dayKind(wd);

    // Receipt: online any time (daytime peak), counter and post in opening hours.
    const online = D[1]! < u.streamOnline[kind * NS + st]!;
    const sl = online ? ONLINE_SLOTS : kind === 1 ? SATURDAY_COUNTER : WEEKDAY_COUNTER;
    const slot = pick(sl.cum, 0, sl.cum.length, D[2]!);
    const receipt = floorSec(dayStart + sl.start[slot]! + sl.len * D[3]!);
    const receiptMaybe = receipt < to && dayStart + RECEIPT_END[wd * 48 + floor((receipt - dayStart) / HALF_HOUR)]! + reach >= from;
    if (!receiptMaybe && !laterLive) {
      sk.nextLb = receipt >= to ? receipt : INF;
      return false;
    }

    const members = CLASS_PROCS[group.dueClass]!;
    const base = ((kind * 3 + group.path) * 2 + (online ? 1 : 0)) * P + CLASS_OFFSET[group.dueClass]!;
    const proc = PROCS[members[pick(u.procCum, base, members.length, D[4]!)]!]!;
    const postal = !online && D[5]! < u.pPostal;
    const w0 = toWork(receipt);

    // Receipt cluster: digitisation and payment (instants only when they matter: fromWork is the costly part).
    const A = this.drawsA;
    this.auxRng.seed(mix(seed, 0xa)).fill(A, 4);
    const digitized = A[0]! < (online ? u.pDigOnline : u.pDigOffline);
    const digLag = A[1]!;
    const payOnline = A[2]! < (online ? u.pPayOnlineOnlineChannel : u.pPayOnlineCounter);
    const payLag = A[3]!;
    // Contract v1.1: the portal sync within 2 hours of the receipt (inside the receipt cluster's bound), and the attributes.
    const E = this.drawsE;
    this.auxRng.seed(mix(seed, 0xe)).fill(E, 6);
    const syncAt = E[0]! < u.syncRate ? receipt + floorSec((1 + 119 * E[1]!) * MINUTE) : 0;
    const receiptLive = receiptMaybe && max(receipt, syncAt, digitized ? digitizedAt(online, receipt, w0, digLag) : 0, proc.fee ? paidAt(online, payOnline, receipt, w0, payLag) : 0) + reach >= from;

    // The band's completion cluster for this receipt instant, on the widest post-completion lag.
    let cLo = INF;
    let cHi = 0;
    if (!receiptLive) {
      if (laterLive) {
        cLo = fromWork(w0 + group.lo);
        cHi = fromWorkEnd(w0 + group.hi); // completions stay strictly inside the band
      }
      if (!(cLo < to && cHi + POST_MS + reach >= from)) {
        sk.nextLb = receipt >= to ? receipt : cLo >= to ? cLo : INF;
        return false;
      }
    }

    // Completion cluster: outcome, result, rating (complaints rare, likelier when late or rejected).
    const B = this.drawsB;
    this.auxRng.seed(mix(seed, 0xb)).fill(B, 8);
    const x = B[0]!;
    const y = B[1]!;
    const electronic = B[2]! < (online ? u.pEResOnline : u.pEResOffline);
    const resultLag = floorSec((1 + 19 * B[3]!) * MINUTE);
    let outcome: Outcome = x < u.rejectRate ? 'rejected' : x < u.rejectRate + u.stopRate ? 'stopped' : 'resolved';
    const complaint = B[4]! < u.complaintRate * (group.path === PATH_LATE ? 3 : 1) * (outcome === 'rejected' ? 2 : 1);
    const rated = B[5]! < u.ratingRate;
    const satisfiedDraw = B[6]!;
    const rateLag = floorSec(min(RATING_CAP_MS, 5 * MINUTE - 3 * HOUR_MS * log(1 - B[7]!)));
    const hasRating = complaint || rated;
    if (!receiptLive && cHi + max(resultLag, hasRating ? rateLag : 0) + reach < from) {
      sk.nextLb = INF;
      return false;
    }

    // Appointment: N working days from the processing start; same-day procedures
    // received after 15:00 are due at 11:00 the next working day.
    let wDue: number;
    if (proc.due === 0) {
      const di = floor(w0 / WDAY);
      wDue = w0 - di * WDAY < AM_LEN + 1.5 * HOUR_MS ? (di + 1) * WDAY : (di + 1) * WDAY + 3.5 * HOUR_MS;
    } else {
      wDue = w0 + proc.due * WDAY;
    }

    const wDone = this.timeline(u, group, seed, w0, wDue, y);
    if (this.tOutcome !== null) outcome = this.tOutcome;
    const late = this.tLate;
    const done = max(floorSec(fromWork(wDone)), receipt + MINUTE);
    const hasResult = proc.result && outcome === 'resolved';
    const firstLater = group.path === PATH_SUPPLEMENT ? occ[SLOT_SUPREQ1]! : done;
    if (!receiptLive && !(firstLater < to && done + max(hasResult ? resultLag : 0, hasRating ? rateLag : 0) + reach >= from)) {
      sk.nextLb = receipt >= to ? receipt : firstLater >= to ? firstLater : INF;
      return false;
    }

    sk.proc = proc;
    sk.channel = online ? 'online' : postal ? 'postal' : 'direct';
    sk.dueAt = max(floorSec(fromWorkEnd(wDue)), receipt);
    sk.outcome = outcome;
    occ[SLOT_RECEIVED] = receipt;
    occ[SLOT_COMPLETED] = done;
    if (syncAt > 0) occ[SLOT_SYNCED] = syncAt;
    if (u.sendsV11) {
      // Reuse of digitised data and population-database use rise by 3 and 2.5 points a month from January 2026.
      const months = (receipt - V11_EPOCH) / (30.44 * DAY_MS);
      sk.reuse = E[2]! < clamp(u.reuseRate + 0.03 * months, 0.02, 0.95);
      sk.citizenData = E[3]! < clamp(u.citizenDataRate + 0.025 * months, 0.05, 0.97);
      sk.fromStore = E[4]! < 0.25;
      sk.storeSynced = hasResult && electronic ? E[5]! < 0.6 : undefined;
    } else {
      sk.reuse = undefined;
      sk.citizenData = undefined;
      sk.fromStore = undefined;
      sk.storeSynced = undefined;
    }
    if (digitized) occ[SLOT_DIGITIZED] = min(done, digitizedAt(online, receipt, w0, digLag));
    if (proc.fee) {
      sk.payOnline = payOnline;
      const paid = paidAt(online, payOnline, receipt, w0, payLag);
      occ[SLOT_PAID] = online && !payOnline ? min(done, paid) : paid;
    }
    if (hasResult) {
      occ[SLOT_RESULT] = done + resultLag;
      sk.electronic = electronic;
    }
    if (hasRating) {
      occ[SLOT_RATED] = done + rateLag;
      sk.complaint = complaint;
      sk.satisfied = !complaint && satisfiedDraw < u.satisfiedRate * (late ? 0.6 : 1) * (outcome === 'rejected' ? 0.7 : 1);
    }
    return true;
  }

  /**
   * The band's timeline in work coordinates: supplement requests into the scratch
   * (the clock-stopping request first), and the completion, returned. Sets
   * tLate / tOutcome (null: keep the drawn outcome). A method of its own so that
   * V8 inlines the small helpers in `build` instead of boxing their doubles.
   */
  private timeline(u: UnitState, group: Group, seed: number, w0: number, wDue: number, y: number): number {
    const occ = this.sk.occ;
    const C = this.drawsC;
    this.auxRng.seed(mix(seed, 0xc)).fill(C, 8);
    occ.fill(NAN);
    const span = wDue - w0;
    let wDone: number;
    let late = group.path === PATH_LATE;
    let outcome: Outcome | null = null;
    if (group.path === PATH_SUPPLEMENT) {
      outcome = 'resolved';
      const wReq1 = w0 + max(10 * MINUTE, (0.1 + 0.5 * C[0]!) * span);
      occ[SLOT_SUPREQ1] = floorSec(fromWork(wReq1));
      if (C[1]! < u.noReply) {
        // The citizen never supplies the documents: processing stops.
        outcome = 'stopped';
        wDone = wReq1 + (3 + 5 * C[2]!) * WDAY;
      } else {
        let wLast = wReq1 + (0.3 + 2.7 * C[2]!) * WDAY;
        occ[SLOT_SUPREC1] = floorSec(fromWork(wLast));
        if (C[3]! < u.secondSupplement) {
          // A second request makes the dossier overdue (766 §2.1).
          const wReq2 = wLast + (0.1 + 0.9 * C[4]!) * WDAY;
          occ[SLOT_SUPREQ2] = floorSec(fromWork(wReq2));
          wLast = wReq2 + (0.3 + 1.7 * C[5]!) * WDAY;
          occ[SLOT_SUPREC2] = floorSec(fromWork(wLast));
          late = true;
        }
        wDone = wLast + min(3 * WDAY, (0.1 + 0.9 * C[6]!) * max(WDAY, span));
        if (C[7]! < 0.05) outcome = 'rejected';
      }
    } else if (group.path === PATH_LATE) {
      // Truncated exponential delay past the appointment, inside the band.
      const band = LATE_BANDS[group.band]!;
      const a = band[0];
      const b = min(band[1], LATE_CAP_WD[u.lateVariant]!);
      const m = LATE_MEAN_WD[u.lateVariant]!;
      const delay = a - m * log(1 - y * (1 - exp(-(b - a) / m)));
      wDone = wDue + LATE_GRACE + min(delay, b) * WDAY;
    } else if (DUES[group.dueClass] === 0) {
      wDone = w0 + max(5 * MINUTE, (0.1 + (0.88 * (group.band + y)) / BANDS_PER_WD) * span);
    } else {
      // Completed in quarter-day `band` after the start, always before the appointment.
      const at = w0 + ((group.band + 0.02 + 0.96 * y) * WDAY) / BANDS_PER_WD;
      wDone = max(min(at, wDue - 5 * MINUTE), w0 + 5 * MINUTE);
    }
    this.tLate = late;
    this.tOutcome = outcome;
    return wDone;
  }
}
