import { HOUR_MS } from '@ioc/shared';
import { KIND_COUNTER, KIND_ONLINE } from './calendar.js';
import { CLASS_OFFSET, CLASS_PROCS, P, PROCS, S, SECTORS, TYPE_INDEX } from './catalogue.js';
import { DUPLICATE_LAG_MS, NORMAL_DELIVERY_CAP_MS, REMOTE_DELIVERY_CAP_MS } from './delivery.js';
import { clamp, hashString, mix, Rng } from './random.js';
import { NS, PATH_LATE, PATH_SUPPLEMENT, STREAMS } from './streams.js';
import type { SimUnit } from './types.js';

const { exp, max, min, sqrt } = Math;

/** A unit's calibrated behaviour. Rates are shares in [0, 1]; expectations are for a working day. */
export interface UnitProfile {
  code: string;
  name: string;
  type: SimUnit['type'];
  provinceCode: string;
  /** Expected dossiers received on an average working day (Mon–Fri). */
  weekdayVolume: number;
  /** A busy centre (a hub like Hợp Thịnh, 250–300 a day). */
  hub: boolean;
  /** Weak link: outages of hours, now and then a silent day; events arrive late in bursts. */
  remote: boolean;
  /** On-time rate well below the rest (60–85%). */
  struggling: boolean;
  onlineRate: number;
  fullOnlineEligibleShare: number;
  /** Online share among fullOnlineEligible dossiers (the fullOnline KPI). */
  fullOnlineRate: number;
  /** Share of dossiers without a supplement request that complete by their appointment. */
  onTimeRate: number;
  supplementRate: number;
  rejectRate: number;
  digitizationRate: number;
  /** Share of results issued electronically. */
  eResultShare: number;
  feeShare: number;
  /** Expected share of fee-bearing dossiers paid online. */
  onlinePaymentShare: number;
  /** Share of completed dossiers rated by the citizen. */
  ratingRate: number;
  /** Share of ratings that are satisfied (for dossiers completed on time). */
  satisfiedRate: number;
  /** Share of completed dossiers with a complaint. */
  complaintRate: number;
  /** Probability that a given day has a connectivity outage of a few hours. */
  outageDayRate: number;
  /** Probability that a given day is entirely silent (delivered the next morning). */
  silentDayRate: number;
  /** Expected share of each sector in the unit's dossiers. */
  sectorShares: Record<string, number>;
  /** Ingest contract v1.1: whether the unit's system sends the optional attributes of the receipt and the result. */
  sendsV11: boolean;
  /** Share of dossiers synced to the national portal (90–100%); 0 for a unit whose system sends no `synced` event. */
  syncRate: number;
  /** Share of dossiers reusing digitised data and using the population database in January 2026; both rise month by month. */
  reuseRate: number;
  citizenDataRate: number;
}

// ---------------------------------------------------------------------------
// Calibration anchors.

/**
 * Province base online-filing rates. Anchors from the brief: Quảng Ninh above
 * 80%, Quảng Trị 52.3%, national ~40–46%, provinces from the teens to the 80s;
 * the rest are plausible guesses (mountain provinces low, big cities high).
 */
const PROVINCE_ONLINE: Record<string, number> = {
  '01': 0.56,
  '04': 0.17,
  '08': 0.26,
  '11': 0.16,
  '12': 0.14,
  '14': 0.2,
  '15': 0.28,
  '19': 0.48,
  '20': 0.3,
  '22': 0.84,
  '24': 0.58,
  '25': 0.42,
  '31': 0.56,
  '33': 0.45,
  '37': 0.48,
  '38': 0.36,
  '40': 0.33,
  '42': 0.46,
  '44': 0.52,
  '46': 0.64,
  '48': 0.72,
  '51': 0.34,
  '52': 0.31,
  '56': 0.44,
  '66': 0.32,
  '68': 0.38,
  '75': 0.52,
  '79': 0.58,
  '80': 0.41,
  '82': 0.4,
  '86': 0.38,
  '91': 0.34,
  '92': 0.43,
  '96': 0.29,
};
/** Mountain provinces with weak 4G and unstable links (Cao Bằng, Tuyên Quang, Điện Biên, Lai Châu, Sơn La, Lào Cai, Quảng Trị). */
const MOUNTAIN_PROVINCES = new Set(['04', '08', '11', '12', '14', '15', '44']);
/** Known busy centres: Hợp Thịnh (Bắc Ninh) handles 250–300 dossiers a day. */
const HUB_VOLUME: Record<string, number> = { '07864': 275 };
const MAX_VOLUME = 300;
const MIN_VOLUME = 10;
/** Base volume and online-rate shift by unit type: xã, phường, đặc khu. */
const TYPE_VOLUME = [28, 72, 22] as const;
const TYPE_ONLINE_SHIFT = [-0.02, 0.06, 0] as const;

// ---------------------------------------------------------------------------
// Per-unit state.

/** A unit's calibrated behaviour as the generator uses it: its profile, seed and per-stream tables. */
export interface UnitState {
  idx: number;
  unit: SimUnit;
  profile: UnitProfile;
  seed: number;
  idPrefix: string;
  /** Expected dossiers per (day kind, stream) on a day of average volume. */
  streamRate: Float64Array;
  /** Band odds variant: 1 for struggling units (later and longer overdue). */
  lateVariant: number;
  /** P(online) per (day kind, stream). */
  streamOnline: Float32Array;
  /** Cumulative procedure odds per (day kind, path, channel) over the class's members (CLASS_OFFSET). */
  procCum: Float32Array;
  pDigOnline: number;
  pDigOffline: number;
  pEResOnline: number;
  pEResOffline: number;
  pPayOnlineOnlineChannel: number;
  pPayOnlineCounter: number;
  pPostal: number;
  rejectRate: number;
  stopRate: number;
  secondSupplement: number;
  noReply: number;
  ratingRate: number;
  satisfiedRate: number;
  complaintRate: number;
  outageRate: number;
  outageMaxMs: number;
  silentRate: number;
  deliveryCap: number;
  /** How long after an event it may still be delivered (delivery cap + duplicate lag). */
  reach: number;
  sendsV11: boolean;
  syncRate: number;
  reuseRate: number;
  citizenDataRate: number;
}

/** Draws unit `unit`'s behaviour from its own stream of `seed`; `idx` is its index among the simulator's units. */
export function buildUnit(idx: number, unit: SimUnit, provincePop: number | undefined, seed: number): UnitState {
  const unitSeed = mix(seed >>> 0, hashString(unit.code));
  const rng = new Rng().seed(unitSeed);
  // Contract v1.1 behaviour, from a stream of its own so the rest of the profile is unchanged.
  const v11 = new Rng().seed(mix(unitSeed, 0x11));
  const sendsV11 = v11.chance(0.85);
  const syncRate = v11.chance(0.92) ? v11.range(0.9, 1) : 0;
  const reuseRate = v11.range(0.15, 0.45);
  const citizenDataRate = v11.range(0.35, 0.7);
  const ti = TYPE_INDEX[unit.type] ?? 0;
  const mountain = MOUNTAIN_PROVINCES.has(unit.provinceCode);

  // Remote: a quarter of the xã in mountain provinces, ~3% elsewhere, islands often.
  const remoteP = ti === 2 ? 0.45 : ti === 1 ? (mountain ? 0.04 : 0) : mountain ? 0.25 : 0.03;
  const remote = rng.chance(remoteP);
  const struggling = rng.chance(remote ? 0.1 : 0.035);

  // Volume: type base × sqrt(province population) × a weak area effect × jitter.
  const pop = provincePop && provincePop > 0 ? provincePop : 2_500_000;
  const popFactor = clamp(sqrt(pop / 2_500_000), 0.35, 2.6);
  const area = max(unit.areaKm2, 0.5);
  const typeBase = TYPE_VOLUME[ti];
  const areaFactor = ti === 0 ? (area / 70) ** 0.2 : ti === 1 ? (area / 15) ** 0.1 : (area / 50) ** 0.25;
  let volume = typeBase * popFactor * areaFactor * exp(0.3 * rng.normal()) * (remote ? 0.7 : 1);
  const hubDraw = rng.next();
  const hubSize = rng.next();
  let hub = false;
  const hubVolume = HUB_VOLUME[unit.code];
  if (hubVolume !== undefined) {
    volume = hubVolume;
    hub = true;
  } else if (ti !== 2 && !remote && !mountain && popFactor >= 1 && area <= 80 && hubDraw < 0.008) {
    // A few compact centres serve industrial zones or a whole town: 180–290 a day.
    volume = 180 + 110 * hubSize;
    hub = true;
  }
  volume = clamp(volume, MIN_VOLUME, MAX_VOLUME);

  // Sector mix by type, jittered per unit.
  const shares = new Float64Array(S);
  let shareSum = 0;
  SECTORS.forEach((sector, s) => {
    const share = sector.share[ti] * exp(0.25 * rng.normal());
    shares[s] = share;
    shareSum += share;
  });
  for (let s = 0; s < S; s++) shares[s] = shares[s]! / shareSum;

  // Eligibility: the catalogue's split, scaled per unit (which procedures a commune publishes as full-process online).
  const procWeight = procedureWeights(shares, rng.range(0.85, 1.15));
  let eligibleShare = 0;
  PROCS.forEach((x, i) => {
    if (x.fullOnline) eligibleShare += procWeight[i]!;
  });

  // Online rate: province base, commune jitter; eligible procedures go online more.
  const provOnline = PROVINCE_ONLINE[unit.provinceCode] ?? 0.4;
  const typeShift = TYPE_ONLINE_SHIFT[ti];
  const online = clamp(provOnline + typeShift + (remote ? -0.08 : 0) + 0.05 * rng.normal(), 0.05, 0.95);
  const pEl = min(0.95, online * 1.12 + 0.01);
  const pNel = clamp((online - eligibleShare * pEl) / (1 - eligibleShare), 0.01, 0.95);
  const procOnline = new Float64Array(P);
  PROCS.forEach((x, i) => (procOnline[i] = x.fullOnline ? pEl : pNel));

  // On time: mostly 90–100%, struggling units 60–85%.
  const onTime = struggling ? rng.range(0.6, 0.85) : 0.999 - 0.06 * rng.next() ** 4;
  const supplementRate = rng.range(0.03, 0.09);
  const rejectRate = rng.range(0.01, 0.04);
  const stopRate = rng.range(0.002, 0.01);

  const digitization = clamp(0.6 + 0.45 * online + 0.08 * rng.normal() - (remote ? 0.1 : 0), 0.4, 0.95);
  const pDigOnline = min(0.99, digitization + 0.1);
  const pDigOffline = clamp((digitization - online * pDigOnline) / (1 - online), 0.1, 0.99);
  const eResult = clamp(0.62 + 0.35 * online + 0.07 * rng.normal() - (remote ? 0.08 : 0), 0.5, 0.95);
  const pEResOnline = min(0.99, eResult + 0.05);
  const pEResOffline = clamp((eResult - online * pEResOnline) / (1 - online), 0.2, 0.99);

  // Online payment tracks online filing: portal users pay online, counter users mostly in cash.
  const payOnlineChannel = clamp(0.55 + 0.4 * online + 0.08 * rng.normal(), 0.3, 0.98);
  const payCounter = clamp(0.05 + 0.3 * online + 0.05 * rng.normal(), 0.01, 0.5);

  const complaintRate = (0.005 + 0.025 * rng.next() ** 2) * (struggling ? 1.5 : 1);
  const ratingRate = rng.range(0.15, 0.5);
  const satisfiedRate = struggling ? rng.range(0.8, 0.92) : 0.99 - 0.09 * rng.next() ** 2;

  const outageRate = remote ? rng.range(0.15, 0.35) : 0.01;
  const silentRate = remote ? rng.range(0.015, 0.05) : 0;

  // Expectations for the profile.
  let fee = 0;
  let payOnline = 0;
  let eligibleOnline = 0;
  PROCS.forEach((x, i) => {
    const w = procWeight[i]!;
    const pOnline = procOnline[i]!;
    if (x.fee) {
      fee += w;
      payOnline += w * (pOnline * payOnlineChannel + (1 - pOnline) * payCounter);
    }
    if (x.fullOnline) eligibleOnline += w * pOnline;
  });
  const sectorShares: Record<string, number> = {};
  SECTORS.forEach((sector, s) => (sectorShares[sector.name] = shares[s]!));

  const profile: UnitProfile = {
    code: unit.code,
    name: unit.name,
    type: unit.type,
    provinceCode: unit.provinceCode,
    weekdayVolume: volume,
    hub,
    remote,
    struggling,
    onlineRate: online,
    fullOnlineEligibleShare: eligibleShare,
    fullOnlineRate: eligibleShare > 0 ? eligibleOnline / eligibleShare : 0,
    onTimeRate: onTime,
    supplementRate,
    rejectRate,
    digitizationRate: digitization,
    eResultShare: eResult,
    feeShare: fee,
    onlinePaymentShare: fee > 0 ? payOnline / fee : 0,
    ratingRate,
    satisfiedRate,
    complaintRate,
    outageDayRate: outageRate,
    silentDayRate: silentRate,
    sectorShares,
    sendsV11,
    syncRate,
    reuseRate,
    citizenDataRate,
  };

  const { streamRate, streamOnline, procCum } = streamTables(volume, onTime, supplementRate, procWeight, procOnline);

  const deliveryCap = remote ? REMOTE_DELIVERY_CAP_MS : NORMAL_DELIVERY_CAP_MS;
  return {
    idx,
    unit,
    profile,
    seed: unitSeed,
    idPrefix: `H${unit.provinceCode}.${unit.code}-`,
    streamRate,
    lateVariant: struggling ? 1 : 0,
    streamOnline,
    procCum,
    pDigOnline,
    pDigOffline,
    pEResOnline,
    pEResOffline,
    pPayOnlineOnlineChannel: payOnlineChannel,
    pPayOnlineCounter: payCounter,
    pPostal: remote ? 0.005 : 0.02,
    rejectRate,
    stopRate,
    secondSupplement: struggling ? 0.25 : 0.12,
    noReply: 0.15,
    ratingRate,
    satisfiedRate,
    complaintRate,
    outageRate,
    outageMaxMs: remote ? 6 * HOUR_MS : 2 * HOUR_MS,
    silentRate,
    deliveryCap,
    reach: deliveryCap + DUPLICATE_LAG_MS,
    sendsV11,
    syncRate,
    reuseRate,
    citizenDataRate,
  };
}

/** Each procedure's expected share of the unit's dossiers, from the sector shares and the unit's full-online eligibility multiplier. */
function procedureWeights(shares: Float64Array, eligMul: number): Float64Array {
  const procWeight = new Float64Array(P);
  for (let s = 0; s < S; s++) {
    const share = shares[s]!;
    let wEl = 0;
    let wOther = 0;
    for (const x of PROCS) {
      if (x.sector !== s) continue;
      if (x.fullOnline) wEl += x.weight;
      else wOther += x.weight;
    }
    const el = wEl === 0 ? 0 : wOther === 0 ? 1 : clamp((wEl / (wEl + wOther)) * eligMul, 0, 1);
    PROCS.forEach((x, i) => {
      if (x.sector === s) procWeight[i] = share * (x.fullOnline ? (el * x.weight) / wEl : ((1 - el) * x.weight) / wOther);
    });
  }
  return procWeight;
}

/**
 * Per (day kind, stream): the rate, the odds of filing online, and the procedure
 * odds given the channel. A procedure's weight on a day is its share × path odds ×
 * (online share × online day factor + counter share × counter day factor).
 */
function streamTables(volume: number, onTime: number, supplementRate: number, procWeight: Float64Array, procOnline: Float64Array): Pick<UnitState, 'streamRate' | 'streamOnline' | 'procCum'> {
  const streamRate = new Float64Array(3 * NS);
  const streamOnline = new Float32Array(3 * NS);
  const procCum = new Float32Array(3 * 3 * 2 * P);
  for (let k = 0; k < 3; k++) {
    const kindOnline = KIND_ONLINE[k]!;
    const kindCounter = KIND_COUNTER[k]!;
    STREAMS.forEach(({ dueClass, path }, st) => {
      const members = CLASS_PROCS[dueClass]!;
      const on: number[] = [];
      const off: number[] = [];
      for (const i of members) {
        const sup = min(0.5, supplementRate * SECTORS[PROCS[i]!.sector]!.supplement);
        const pathP = path === PATH_SUPPLEMENT ? sup : path === PATH_LATE ? (1 - sup) * (1 - onTime) : (1 - sup) * onTime;
        on.push(procWeight[i]! * pathP * procOnline[i]! * kindOnline);
        off.push(procWeight[i]! * pathP * (1 - procOnline[i]!) * kindCounter);
      }
      const onTotal = on.reduce((a, x) => a + x, 0);
      const offTotal = off.reduce((a, x) => a + x, 0);
      streamRate[k * NS + st] = volume * (onTotal + offTotal);
      streamOnline[k * NS + st] = onTotal + offTotal > 0 ? onTotal / (onTotal + offTotal) : 1;
      [off, on].forEach((w, channel) => {
        const total = channel === 1 ? onTotal : offTotal;
        const base = ((k * 3 + path) * 2 + channel) * P + CLASS_OFFSET[dueClass]!;
        let acc = 0;
        w.forEach((x, j) => (procCum[base + j] = total > 0 ? (acc += x / total) : (j + 1) / w.length));
      });
    });
  }
  return { streamRate, streamOnline, procCum };
}
