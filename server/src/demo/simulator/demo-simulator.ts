import { buildUnit, type UnitProfile, type UnitState } from './calibration.js';
import { type Delivery, Uplink } from './delivery.js';
import { FeedbackDays, type FeedbackDelivery } from './feedback.js';
import { DossierGenerator } from './generator.js';
import type { SimProvince, SimUnit, SimulatorOptions } from './types.js';

/**
 * A pure, deterministic simulator of the dossier lifecycle events that the
 * 3,321 commune one-stop systems push to the IOC.
 *
 * Every dossier is a function of (seed, unit, local day of receipt, stream, index),
 * so any window [from, to) can be generated on its own and [a,b) + [b,c) = [a,c).
 * A unit-day's receipts form independent Poisson streams, one per (appointment
 * length, path: on time / late / supplement requested); splitting a Poisson process
 * this way is exact (thinning). A dossier's first draw is its band: the quarter
 * working day it completes in, or how late. That bounds its two clusters of events:
 * the receipt cluster (filing, digitisation, payment) just after receipt and the
 * completion cluster (completion, result, rating) inside the band. A window
 * therefore draws only the streams and bands that can reach it and builds only the
 * dossiers whose own clusters do, instead of replaying ~6 weeks of lookback. A
 * per-unit-day memo ("nothing delivered before X", stream sizes) makes consecutive
 * live ticks cheap; it never changes a result, only the work.
 */
export class DemoSimulator {
  private readonly units: UnitState[];
  private readonly byCode = new Map<string, UnitState>();
  private readonly uplink: Uplink;
  private readonly dossiers: DossierGenerator;
  private readonly feedback: FeedbackDays;

  constructor(units: SimUnit[], provinces: SimProvince[], opts: SimulatorOptions) {
    const pop = new Map(provinces.map((x) => [x.code, x.population]));
    this.units = units.map((u, i) => buildUnit(i, u, pop.get(u.provinceCode), opts.seed));
    for (const u of this.units) this.byCode.set(u.unit.code, u);
    const relayed = new Uint8Array(this.units.length);
    for (const code of opts.relayed ?? []) {
      const u = this.byCode.get(code);
      if (u) relayed[u.idx] = 1;
    }
    this.uplink = new Uplink(opts, relayed);
    this.dossiers = new DossierGenerator(this.units, this.uplink);
    this.feedback = new FeedbackDays(this.units);
  }

  profile(code: string): UnitProfile {
    const u = this.byCode.get(code);
    if (!u) throw new RangeError(`unknown unit ${code}`);
    return { ...u.profile, sectorShares: { ...u.profile.sectorShares } };
  }

  /** Deliveries in [from, to), sorted by deliverAt, then eventId. */
  deliveries(from: number, to: number): Delivery[] {
    return this.dossiers.deliveries(from, to);
  }

  /**
   * The deliveries before `until` of the dossiers received on the local day that
   * starts at `dayStart`, all units, in no particular order: a history day as a
   * one-stop system exports it (bulk import), while `deliveries` gives the same
   * events window by window as they are sent. For every day d and instant T, the
   * deliveries before T are the union over receipt days of `receivedOn(d, T)`.
   */
  receivedOn(dayStart: number, until: number): Delivery[] {
    return this.dossiers.receivedOn(dayStart, until);
  }

  /** Feedback deliveries in [from, to), sorted by deliverAt, then eventId. */
  feedbackDeliveries(from: number, to: number): FeedbackDelivery[] {
    return this.feedback.deliveries(from, to);
  }

  /** The feedback deliveries before `until` of the items received on the local day that starts at `dayStart` (their follow-ups included): a history day. */
  feedbackReceivedOn(dayStart: number, until: number): FeedbackDelivery[] {
    return this.feedback.receivedOn(dayStart, until);
  }

  /**
   * The unit's connectivity outages overlapping [from, to), in time order: the same windows
   * that hold its events back, so the demo's heartbeats fall silent exactly when its data does.
   */
  outageWindows(code: string, from: number, to: number): { from: number; to: number }[] {
    const u = this.byCode.get(code);
    return u ? this.uplink.outageWindows(u, from, to) : [];
  }
}
