import { DAY_MS } from '@ioc/shared';
import { WEEKDAY_MUL, dayKind, dayLabel, localDay, localDayStart, weekdayOf } from './calendar.js';
import type { UnitState } from './calibration.js';
import { DUPLICATE_LAG_MS, REMOTE_DELIVERY_CAP_MS, SIM_MAX_LIFECYCLE_MS, sortDeliveries, type Delivery, type Uplink } from './delivery.js';
import { DossierLife, NSLOT } from './dossier-life.js';
import { mix, pick, Rng } from './random.js';
import { BAND_CUM, CHI, CLO, G, NS, PATH_LATE, RHI, SCHI, SCLO, SORDER, STREAMS } from './streams.js';

// Module-level aliases for the hot paths: in a vm context (Jest) every global lookup is slow.
const { ceil, exp, floor, min } = Math;
const { isNaN } = Number;
const INF = Number.POSITIVE_INFINITY;

/** Dossier numbers are stream × 1000 + index, so no stream needs another's count. */
const MAX_PER_STREAM = 999;

const NO_NEXT = 0xffffffff;
/** Days of memo kept: the longest lookback plus a few. */
const MEMO_DAYS = ceil(SIM_MAX_LIFECYCLE_MS / DAY_MS) + 4;

/**
 * Memo for the dossiers received on one local day: for windows starting at or
 * after `t`, unit i has no delivery before `next[i]` (seconds); `count[i × NS + s]`
 * is the size of unit i's stream s (pure, UNKNOWN until drawn).
 */
interface DayMemo {
  t: number;
  next: Uint32Array;
  count: Uint16Array;
}
const UNKNOWN = 0xffff;

/**
 * The dossier events of all units, delivered in a window or received on a day.
 * A unit-day's dossiers come from its streams; a window draws only the streams
 * and bands that can reach it, builds only the dossiers that may deliver into it
 * (DossierLife) and sends their events through the unit's link (Uplink). A
 * per-day memo makes consecutive windows cheap without changing any result.
 */
export class DossierGenerator {
  private readonly memo = new Map<number, DayMemo>();
  private readonly life = new DossierLife();
  private readonly rng = new Rng();
  /** By unit index: how late an event before the window can still be delivered in it. */
  private readonly reach: Float64Array;
  // The current window and the unit's reach, as fields: doubles passed to calls would be boxed on every call.
  private from = 0;
  private to = 0;
  private reachNow = 0;

  constructor(
    private readonly units: readonly UnitState[],
    private readonly uplink: Uplink,
  ) {
    this.reach = new Float64Array(units.length);
  }

  /** Deliveries in [from, to), sorted by deliverAt, then eventId. */
  deliveries(from: number, to: number): Delivery[] {
    const out: Delivery[] = [];
    if (!(to > from) || this.units.length === 0) return out;
    // How late an event before `from` can still be delivered at or after it, per unit.
    for (const u of this.units) this.reach[u.idx] = this.uplink.reachAt(u, from);
    const dFirst = localDay(from - SIM_MAX_LIFECYCLE_MS);
    const dLast = localDay(to - 1);
    for (let d = dFirst; d <= dLast; d++) this.day(d, from, to, out);
    return sortDeliveries(out, from, to);
  }

  /** The deliveries before `until` of the dossiers received on the local day that starts at `dayStart`, all units, in no particular order. */
  receivedOn(dayStart: number, until: number): Delivery[] {
    const out: Delivery[] = [];
    const d = localDay(dayStart);
    const start = localDayStart(d);
    if (!(until > start)) return out;
    const counts = new Uint16Array(this.units.length * NS).fill(UNKNOWN);
    const label = dayLabel(d);
    // From the day's start every event of its dossiers is in reach: nothing is dismissed early.
    for (const u of this.units) this.unitDay(u, d, start, weekdayOf(d), label, start, until, u.reach, counts, out);
    return out;
  }

  private dayMemo(day: number): DayMemo {
    let m = this.memo.get(day);
    if (m) {
      this.memo.delete(day); // refresh LRU order
      this.memo.set(day, m);
      return m;
    }
    m = { t: 0, next: new Uint32Array(this.units.length), count: new Uint16Array(this.units.length * NS).fill(UNKNOWN) };
    this.memo.set(day, m);
    if (this.memo.size > MEMO_DAYS) this.memo.delete(this.memo.keys().next().value as number);
    return m;
  }

  /** Deliveries in [from, to) of the dossiers received on local day d, all units. */
  private day(d: number, from: number, to: number, out: Delivery[]): void {
    const dayStart = localDayStart(d);
    const wd = weekdayOf(d);
    // The stream whose events can come latest.
    const lastHi = SCHI[wd * NS + SORDER[wd]![0]!]!;
    if (dayStart + lastHi + REMOTE_DELIVERY_CAP_MS + DUPLICATE_LAG_MS < from) return;
    const memo = this.dayMemo(d);
    // The memo answers for windows starting at or after its instant; it only moves forward.
    const useMemo = memo.t !== 0 && from >= memo.t;
    const update = to >= memo.t;
    const label = dayLabel(d);
    const reach = this.reach;
    for (const u of this.units) {
      const unitReach = reach[u.idx]!;
      if (dayStart + lastHi + unitReach < from) continue;
      if (useMemo && to <= memo.next[u.idx]! * 1000) continue;
      const next = this.unitDay(u, d, dayStart, wd, label, from, to, unitReach, memo.count, out);
      if (update) memo.next[u.idx] = next >= NO_NEXT * 1000 ? NO_NEXT : floor(next / 1000);
    }
    if (update) memo.t = to;
  }

  /** One unit-day: emits its deliveries in [from, to) and returns a lower bound of its next delivery at or after `to`. */
  private unitDay(u: UnitState, d: number, dayStart: number, wd: number, label: string, from: number, to: number, reach: number, counts: Uint16Array, out: Delivery[]): number {
    const kind = dayKind(wd);
    const daySeed = mix(u.seed, d);
    const life = this.life;
    this.from = from;
    this.to = to;
    this.reachNow = reach;
    life.setWindow(from, to, dayStart, reach);
    let noise = -1;
    const receiptLive = dayStart + RHI[wd]! + reach >= from;
    const order = SORDER[wd]!;
    let next = INF;
    const D = life.draws;
    for (let o = 0; o < NS; o++) {
      const s = order[o]!;
      if (!receiptLive && dayStart + SCHI[wd * NS + s]! + reach < from) break; // and all later streams
      const sclo = dayStart + SCLO[wd * NS + s]!;
      if (!receiptLive && sclo >= to) {
        // Completions still to come deliver no earlier than sclo.
        if (sclo < next) next = sclo;
        continue;
      }
      let count = counts[u.idx * NS + s]!;
      if (count === UNKNOWN) {
        // Day-to-day variation shared by the unit-day's streams (lognormal, mean 1).
        if (noise < 0) noise = exp(0.15 * this.rng.seed(mix(daySeed, 0x51ed)).normal() - 0.01125) * WEEKDAY_MUL[wd]!;
        count = min(MAX_PER_STREAM, this.rng.seed(mix(daySeed, s + 1)).poisson(u.streamRate[kind * NS + s]! * noise));
        counts[u.idx * NS + s] = count;
      }
      if (count === 0) continue;
      const streamSeed = mix(daySeed ^ 0xd055, s + 1);
      const stream = STREAMS[s]!;
      const bands = stream.groups;
      const bandCum = BAND_CUM[u.lateVariant]![s]!;
      const uniformBands = stream.path !== PATH_LATE;
      for (let i = 0; i < count; i++) {
        const seed = mix(streamSeed, i + 1);
        // The band comes first: most dossiers of a deep day are dismissed on it alone.
        life.drawMain(seed);
        const g = bands[uniformBands ? floor(D[0]! * bands.length) : pick(bandCum, 0, bands.length, D[0]!)]!;
        const clo = dayStart + CLO[wd * G + g]!;
        // Its completion cluster delivers no earlier than clo.
        if (clo >= to && clo < next) next = clo;
        const laterLive = clo < to && dayStart + CHI[wd * G + g]! + reach >= from;
        if (!receiptLive && !laterLive) continue;
        if (!life.build(u, wd, s, g, seed, laterLive)) {
          if (life.sk.nextLb < next) next = life.sk.nextLb;
          continue;
        }
        const n = this.emit(u, seed, `${u.idPrefix}${label}-${`${s * 1000 + i + 1}`.padStart(5, '0')}`, out);
        if (n < next) next = n;
      }
    }
    return next;
  }

  /** Emits the built dossier's deliveries in [from, to); returns its earliest delivery at or after `to`. */
  private emit(u: UnitState, seed: number, dossierId: string, out: Delivery[]): number {
    const { from, to, reachNow: reach, life, uplink } = this;
    const occ = life.sk.occ;
    let next = INF;
    for (let s = 0; s < NSLOT; s++) {
      const t = occ[s]!;
      if (isNaN(t) || t + reach < from) continue;
      // Delivered no earlier than it occurred: enough to bound the memo.
      if (t >= to) {
        if (t < next) next = t;
        continue;
      }
      uplink.deliver(u, t, mix(seed, 0x5107 + s));
      for (let copy = 0; copy < 2; copy++) {
        const at = copy === 0 ? uplink.delAt : uplink.dupAt;
        if (isNaN(at)) continue;
        if (at >= to) {
          if (at < next) next = at;
        } else if (at >= from) {
          out.push({ deliverAt: at, event: life.event(u, s, dossierId, t) });
        }
      }
    }
    return next;
  }
}
