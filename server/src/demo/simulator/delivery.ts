import { DAY_MS, HOUR_MS, type DossierEvent } from '@ioc/shared';
import { MINUTE, localDay, localDayStart } from './calendar.js';
import type { UnitState } from './calibration.js';
import { clamp, mix, Rng } from './random.js';
import { MAX_CHI } from './streams.js';
import type { SimulatorOptions } from './types.js';

// Module-level aliases for the hot paths: in a vm context (Jest) every global lookup is slow.
const { floor, min } = Math;
const NAN = Number.NaN;

export interface Delivery {
  /** Epoch ms when the source system sends it. */
  deliverAt: number;
  event: DossierEvent;
}

/** Normal units: batch-sync lag plus short outages; remote units: silent days, delivered the next morning. */
export const NORMAL_DELIVERY_CAP_MS = 3 * HOUR_MS;
export const REMOTE_DELIVERY_CAP_MS = 2 * DAY_MS;
export const DUPLICATE_LAG_MS = 120_000;
/** Delivery delay bound when no outage is under way: transmission, batch sync, a duplicate's retry. */
const FAST_REACH_MS = 13 * MINUTE;
/** Held events go out within this long after the link returns. */
const BURST_MS = 91_000;

/** Upper bound on deliverAt minus local midnight of the receipt day, for any event the simulator produces. */
export const SIM_MAX_LIFECYCLE_MS = MAX_CHI + REMOTE_DELIVERY_CAP_MS + DUPLICATE_LAG_MS;

/**
 * The units' links to the IOC: when each event is sent, after transmission lag,
 * batch syncs and connectivity outages, and which events are sent twice. Results
 * come back in fields (delAt / dupAt, outS / outE): doubles returned from calls
 * would be boxed on every call.
 */
export class Uplink {
  private readonly duplicateRate: number;
  private readonly rng = new Rng();
  private readonly outageRng = new Rng();
  private readonly draws = new Float64Array(6);
  /** The last event's delivery instant, and its duplicate's (NaN: none). */
  delAt = 0;
  dupAt = 0;
  /** The last outage found: start and end. */
  private outS = 0;
  private outE = 0;

  /** `relayed`, by unit index: 1 when the unit's events go out through a relay (SimulatorOptions.relayed). */
  constructor(
    opts: SimulatorOptions,
    private readonly relayed: Uint8Array,
  ) {
    this.duplicateRate = clamp(opts.duplicateRate ?? 0.002, 0, 1);
  }

  /**
   * Bound on (deliverAt − occurredAt) for events delivered at or after `from`
   * that occurred before it: minutes, unless an outage is holding events then.
   * (A held event goes out after an outage with start < from and end ≥ from − BURST_MS.)
   */
  reachAt(u: UnitState, from: number): number {
    const day = localDay(from);
    for (let dd = day - 2; dd <= day; dd++) {
      if (this.outage(u, dd) && this.outS < from && this.outE + BURST_MS >= from) return u.reach;
    }
    return FAST_REACH_MS;
  }

  /** Delivery instant(s) of an event that occurred at t, into delAt / dupAt (NaN: no duplicate). */
  deliver(u: UnitState, t: number, seed: number): void {
    const R = this.draws;
    this.rng.seed(seed).fill(R, 6);
    // Seconds normally; 1% wait for a batch sync of a few minutes.
    let at = t + 700 + 11_300 * R[0]!;
    if (R[1]! < 0.01) at += MINUTE + 9 * MINUTE * R[2]!;
    if ((u.outageRate > 0 || u.silentRate > 0) && this.relayed[u.idx] === 0) at = this.afterOutages(u, t, at, R[3]!);
    at = floor(min(at, t + u.deliveryCap));
    this.delAt = at;
    this.dupAt = R[4]! < this.duplicateRate ? at + floor(2_000 + (DUPLICATE_LAG_MS - 2_000) * R[5]!) : NAN;
  }

  /**
   * The unit's connectivity outages overlapping [from, to), in time order: the same windows
   * that hold its events back, so the demo's heartbeats fall silent exactly when its data does.
   */
  outageWindows(u: UnitState, from: number, to: number): { from: number; to: number }[] {
    if (u.outageRate <= 0 && u.silentRate <= 0) return [];
    const out: { from: number; to: number }[] = [];
    for (let d = localDay(from) - 2; d <= localDay(to); d++) {
      if (this.outage(u, d) && this.outS < to && this.outE > from) out.push({ from: this.outS, to: this.outE });
    }
    return out;
  }

  /** Connectivity outage of unit u that starts on local day `day`, into outS/outE; false when none. */
  private outage(u: UnitState, day: number): boolean {
    const r = this.outageRng.seed(mix(u.seed ^ 0x0a7a6e, day));
    const x = r.next();
    const dayStart = localDayStart(day);
    if (x < u.silentRate) {
      // A silent day: nothing until the link is back the next morning.
      this.outS = dayStart;
      this.outE = dayStart + DAY_MS + r.range(7.5, 10) * HOUR_MS;
      return true;
    }
    if (x < u.silentRate + u.outageRate) {
      this.outS = dayStart + r.range(6, 20) * HOUR_MS;
      this.outE = this.outS + r.range(0.5, 1) * u.outageMaxMs;
      return true;
    }
    return false;
  }

  /** Delivery instant of an event that occurred at t and would be sent at `at`, after any outages. */
  private afterOutages(u: UnitState, t: number, at: number, jitter: number): number {
    for (let hop = 0; hop < 4; hop++) {
      const day = localDay(at);
      let held = false;
      for (let dd = day - 1; dd <= day; dd++) {
        if (this.outage(u, dd) && this.outS <= at && at < this.outE) {
          // Held events go out in occurrence order within ~90 s of the link returning.
          const pos = clamp((t - this.outS) / (this.outE - this.outS), 0, 1);
          at = this.outE + (BURST_MS - 1_000) * pos + 500 * jitter;
          held = true;
          break;
        }
      }
      if (!held) break;
    }
    return at;
  }
}

const byEventId = (a: Delivery, b: Delivery) => (a.event.eventId < b.event.eventId ? -1 : a.event.eventId > b.event.eventId ? 1 : 0);

/** Sorts by deliverAt, then eventId. A native numeric sort of packed (time, index) keys is much faster than a comparator. */
export function sortDeliveries(out: Delivery[], from: number, to: number): Delivery[] {
  const n = out.length;
  const IDX = 2 ** 21;
  if (n >= IDX || (to - from) * IDX >= Number.MAX_SAFE_INTEGER) {
    return out.sort((a, b) => a.deliverAt - b.deliverAt || byEventId(a, b));
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (out[i]!.deliverAt - from) * IDX + i;
  keys.sort();
  const sorted = new Array<Delivery>(n);
  for (let i = 0; i < n; i++) sorted[i] = out[keys[i]! % IDX]!;
  // Equal instants: by eventId, so the order does not depend on generation order.
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && sorted[j]!.deliverAt === sorted[i]!.deliverAt) j++;
    if (j - i > 1) {
      const run = sorted.slice(i, j).sort(byEventId);
      for (let k = i; k < j; k++) sorted[k] = run[k - i]!;
    }
    i = j;
  }
  return sorted;
}
