import { DAY_MS, HOUR_MS, VN_OFFSET_MS, type Channel, type DossierEvent, type FeedbackEvent, type FeedbackTopic, type Outcome } from '@ioc/shared';

// Module-level aliases for the hot paths: in a vm context (Jest) every global lookup is slow.
const { PI, ceil, cos, exp, floor, imul, log, max, min, round, sqrt } = Math;
const { isNaN } = Number;
const INF = Number.POSITIVE_INFINITY;
const NAN = Number.NaN;

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

export interface SimUnit {
  code: string;
  name: string;
  type: 'xã' | 'phường' | 'đặc khu';
  provinceCode: string;
  areaKm2: number;
}
export interface SimProvince {
  code: string;
  name: string;
  population: number;
}
export interface SimulatorOptions {
  seed: number;
  /** Share of events delivered twice (same eventId). Default 0.002. */
  duplicateRate?: number;
  /**
   * Units whose one-stop system exports every event as it occurs to a store-and-forward
   * relay (the demo's real relays): their link's outages hold events in the relay's spool,
   * so the simulator does not hold them back itself.
   */
  relayed?: readonly string[];
}
export interface Delivery {
  /** Epoch ms when the source system sends it. */
  deliverAt: number;
  event: DossierEvent;
}

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
// Randomness: counter-based hashing for seeds, mulberry32 for streams.

function mix(a: number, b: number): number {
  let h = imul(a ^ imul(b + 0x9e3779b9, 0x85ebca6b), 0xc2b2ae35);
  h ^= h >>> 15;
  h = imul(h ^ b, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = imul(h, 0x297a2d39);
  h ^= h >>> 15;
  // 30 bits: a small integer for V8, so seeds passed around are never boxed.
  return h >>> 2;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h >>> 0, s.length);
}

/**
 * mulberry32. The state lives in an Int32Array and hot paths take their draws
 * through `fill` into a Float64Array: doubles returned from calls V8 does not
 * inline are boxed, and millions of them per window made the GC the top cost.
 */
class Rng {
  private readonly st = new Int32Array(1);
  seed(s: number): this {
    this.st[0] = s;
    return this;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.st[0] = (this.st[0] + 0x6d2b79f5) | 0);
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** The next n uniforms, into out[0..n). */
  fill(out: Float64Array, n: number): void {
    let s = this.st[0];
    for (let i = 0; i < n; i++) {
      let t = (s = (s + 0x6d2b79f5) | 0);
      t = imul(t ^ (t >>> 15), t | 1);
      t ^= t + imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    this.st[0] = s;
  }
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(): number {
    const u = 1 - this.next();
    return sqrt(-2 * log(u)) * cos(2 * PI * this.next());
  }
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      // Knuth: cheap for the small per-stream rates that dominate.
      const l = exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > l) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return max(0, round(lambda + sqrt(lambda) * this.normal()));
  }
}

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

// ---------------------------------------------------------------------------
// Working time: Mon–Fri 7:30–11:30 and 13:30–17:00 local (7.5 h a day).
// A "work coordinate" counts working milliseconds, so adding N working days is
// an addition; non-working instants map to the next opening.

const AM_START = 7.5 * HOUR_MS;
const AM_LEN = 4 * HOUR_MS;
const PM_START = 13.5 * HOUR_MS;
const PM_LEN = 3.5 * HOUR_MS;
const WDAY = AM_LEN + PM_LEN;
const WWEEK = 5 * WDAY;
const MINUTE = 60_000;

function toWork(t: number): number {
  const local = t + VN_OFFSET_MS;
  const ld = floor(local / DAY_MS);
  const tod = local - ld * DAY_MS;
  // 1970-01-01 was a Thursday: shifting by 3 makes weeks start on Monday.
  const week = floor((ld + 3) / 7);
  const mi = ld + 3 - week * 7;
  if (mi >= 5) return (week + 1) * WWEEK;
  let off: number;
  if (tod < AM_START) off = 0;
  else if (tod < AM_START + AM_LEN) off = tod - AM_START;
  else if (tod < PM_START) off = AM_LEN;
  else if (tod < PM_START + PM_LEN) off = AM_LEN + tod - PM_START;
  else off = WDAY;
  return week * WWEEK + mi * WDAY + off;
}

function fromWork(w: number): number {
  const week = floor(w / WWEEK);
  const rem = w - week * WWEEK;
  const di = floor(rem / WDAY);
  const off = rem - di * WDAY;
  const tod = off < AM_LEN ? AM_START + off : PM_START + (off - AM_LEN);
  return (week * 7 - 3 + di) * DAY_MS + tod - VN_OFFSET_MS;
}

/** Like fromWork, but a day boundary is the previous day's 17:00 (an appointment, not an opening). */
function fromWorkEnd(w: number): number {
  if (w % WDAY === 0) return fromWork(w - WDAY) + (PM_START + PM_LEN - AM_START);
  return fromWork(w);
}

const localDay = (t: number) => floor((t + VN_OFFSET_MS) / DAY_MS);
const floorSec = (t: number) => floor(t / 1000) * 1000;

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const isoHours = new Map<number, string>();
/** `YYYY-MM-DDTHH:mm:ss+07:00` of a whole-second instant; the hour prefix is cached (formatting dominates emission). */
function iso7(ms: number): string {
  const local = ms + VN_OFFSET_MS;
  const hour = floor(local / HOUR_MS);
  let prefix = isoHours.get(hour);
  if (prefix === undefined) {
    if (isoHours.size > 20_000) isoHours.clear();
    prefix = new Date(hour * HOUR_MS).toISOString().slice(0, 14);
    isoHours.set(hour, prefix);
  }
  const sec = floor((local - hour * HOUR_MS) / 1000);
  return `${prefix}${TWO[floor(sec / 60)]}:${TWO[sec % 60]}+07:00`;
}

// ---------------------------------------------------------------------------
// Procedures. Codes follow the national format (1.xxxxxx / 2.xxxxxx) and are
// illustrative; due is in working days (0 = same day, 15:00 cut-off).

interface Procedure {
  code: string;
  due: number;
  fullOnline: boolean;
  result: boolean;
  fee: boolean;
  weight: number;
}
interface Sector {
  name: string;
  /** Base share by unit type: xã, phường, đặc khu. */
  share: [number, number, number];
  /** Multiplier on the unit's supplement-request rate. */
  supplement: number;
  procedures: Procedure[];
}

const p = (code: string, due: number, fullOnline: boolean, result: boolean, fee: boolean, weight: number): Procedure => ({
  code,
  due,
  fullOnline,
  result,
  fee,
  weight,
});

const SECTORS: Sector[] = [
  {
    name: 'Chứng thực',
    share: [0.2, 0.28, 0.22],
    supplement: 0,
    procedures: [
      p('2.000815', 0, true, true, true, 0.3), // bản sao điện tử từ bản chính
      p('2.000908', 0, false, true, true, 0.28), // bản sao giấy từ bản chính
      p('2.000884', 0, false, true, true, 0.25), // chữ ký
      p('2.001035', 2, false, true, true, 0.12), // hợp đồng, giao dịch
      p('2.000913', 2, false, true, true, 0.05), // sửa đổi hợp đồng
    ],
  },
  {
    name: 'Hộ tịch',
    share: [0.27, 0.26, 0.27],
    supplement: 0.6,
    procedures: [
      p('1.001193', 0, true, true, false, 0.33), // khai sinh
      p('1.000656', 0, true, true, false, 0.1), // khai tử
      p('1.000894', 0, false, true, false, 0.14), // kết hôn
      p('1.004873', 3, true, true, false, 0.17), // xác nhận tình trạng hôn nhân (fee waived)
      p('1.004859', 0, false, true, true, 0.14), // bản sao trích lục
      p('1.004837', 3, false, true, true, 0.08), // thay đổi, cải chính
      p('1.000689', 3, false, true, true, 0.04), // nhận cha, mẹ, con
    ],
  },
  {
    name: 'Đất đai',
    share: [0.12, 0.07, 0.1],
    supplement: 2.2,
    procedures: [
      p('1.012766', 10, false, true, true, 0.4), // đăng ký biến động
      p('1.012770', 15, false, true, true, 0.2), // cấp giấy chứng nhận lần đầu
      p('1.012790', 7, true, true, false, 0.1), // đính chính
      p('1.012800', 7, true, true, true, 0.15), // cấp đổi
      p('1.012812', 5, false, true, false, 0.15), // xác nhận tiếp tục sử dụng đất
    ],
  },
  {
    name: 'Lao động – Thương binh và Xã hội',
    share: [0.11, 0.07, 0.08],
    supplement: 1.2,
    procedures: [
      p('1.001776', 10, true, true, false, 0.35), // trợ cấp xã hội hằng tháng
      p('1.001758', 3, true, true, false, 0.25), // hỗ trợ mai táng
      p('1.000489', 5, false, true, false, 0.2), // hộ nghèo, cận nghèo
      p('1.010805', 12, false, true, false, 0.2), // người có công
    ],
  },
  {
    name: 'Kinh doanh',
    share: [0.04, 0.09, 0.08],
    supplement: 1,
    procedures: [
      p('2.000720', 3, true, true, true, 0.5), // thành lập hộ kinh doanh
      p('2.000575', 3, true, true, false, 0.3), // thay đổi nội dung (fee waived)
      p('2.000581', 3, false, false, false, 0.2), // tạm ngừng
    ],
  },
  {
    name: 'Xây dựng',
    share: [0.03, 0.05, 0.05],
    supplement: 2,
    procedures: [
      p('1.009994', 15, false, true, true, 0.7), // giấy phép xây dựng nhà ở riêng lẻ
      p('1.010003', 5, true, true, true, 0.3), // điều chỉnh, gia hạn
    ],
  },
  {
    name: 'Tư pháp',
    share: [0.04, 0.04, 0.03],
    supplement: 0.8,
    procedures: [
      p('2.000930', 5, true, true, false, 0.4), // công nhận hòa giải viên
      p('2.000950', 5, false, false, false, 0.3), // thù lao hòa giải viên
      p('2.001457', 5, true, true, false, 0.3), // tuyên truyền viên pháp luật
    ],
  },
  {
    name: 'Nông nghiệp và Môi trường',
    share: [0.1, 0.04, 0.08],
    supplement: 1,
    procedures: [
      p('1.003605', 10, false, true, false, 0.5), // hỗ trợ khôi phục sản xuất
      p('1.008003', 5, true, true, false, 0.5), // xác nhận nguồn gốc
    ],
  },
  {
    name: 'Giáo dục và Đào tạo',
    share: [0.05, 0.05, 0.05],
    supplement: 0.6,
    procedures: [
      p('1.004441', 3, true, true, false, 0.6), // chuyển trường
      p('1.004492', 10, false, true, false, 0.4), // nhóm trẻ độc lập
    ],
  },
];
const S = SECTORS.length;
const TYPE_INDEX: Record<SimUnit['type'], 0 | 1 | 2> = { xã: 0, phường: 1, 'đặc khu': 2 };

interface CatalogueEntry extends Procedure {
  sector: number;
}
/** All procedures, flattened; weights stay relative to their sector. */
const PROCS: CatalogueEntry[] = SECTORS.flatMap((sec, s) => sec.procedures.map((x) => ({ ...x, sector: s })));
const P = PROCS.length;
/** Appointment lengths (working days) in the catalogue, and the procedures of each. */
const DUES = [...new Set(PROCS.map((x) => x.due))].sort((a, b) => a - b);
const CLASS_PROCS: number[][] = DUES.map((due) => PROCS.flatMap((x, i) => (x.due === due ? [i] : [])));
const CLASS_OFFSET: number[] = DUES.map((_, c) => CLASS_PROCS.slice(0, c).reduce((a, m) => a + m.length, 0));

// ---------------------------------------------------------------------------
// Time-of-day and day-of-week profiles (local time).

/** Counter receipts per 30-minute slot from 7:30; lunch 11:30–13:30 closed. */
const COUNTER_SLOTS: [number, number][] = [
  [7.5, 0.6], [8, 1.0], [8.5, 1.2], [9, 1.3], [9.5, 1.3], [10, 1.2], [10.5, 1.0], [11, 0.7],
  [13.5, 0.7], [14, 1.0], [14.5, 1.1], [15, 1.0], [15.5, 0.9], [16, 0.7], [16.5, 0.4],
];
/** Online filings per local hour: any time, daytime peak, near nothing at night. */
const ONLINE_HOURLY = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.25, 0.7, 1.6, 3.6, 4.4, 4.4, 3.6,
  2.0, 2.2, 3.8, 4.0, 3.6, 2.6, 1.6, 1.6, 1.5, 1.1, 0.6, 0.3,
];
/** Day kinds: 0 = working day, 1 = Saturday (counter open in the morning), 2 = Sunday (online only). */
const KIND_ONLINE = [1, 0.45, 0.3];
const KIND_COUNTER = [1, 0.3, 0];
/** Working-day volume by weekday (Mon–Fri average 1): Mondays are busiest. */
const WEEKDAY_MUL = [1, 1.15, 1.05, 1.0, 0.98, 0.82, 1];
const dayKind = (wd: number) => (wd === 0 ? 2 : wd === 6 ? 1 : 0);

interface Slots {
  start: Float64Array;
  len: number;
  /** Float32 like the procedure tables, so `pick` stays monomorphic. */
  cum: Float32Array;
}
function slots(entries: [number, number][], len: number): Slots {
  const total = entries.reduce((a, e) => a + e[1], 0);
  let acc = 0;
  return {
    start: Float64Array.from(entries.map((e) => e[0] * HOUR_MS)),
    len,
    cum: Float32Array.from(entries.map((e) => (acc += e[1] / total))),
  };
}
const WEEKDAY_COUNTER = slots(COUNTER_SLOTS, 30 * MINUTE);
const SATURDAY_COUNTER = slots(
  COUNTER_SLOTS.filter((x) => x[0] < 11.5),
  30 * MINUTE,
);
const ONLINE_SLOTS = slots(
  ONLINE_HOURLY.map((w, h): [number, number] => [h, w]),
  HOUR_MS,
);

function pick(cum: Float32Array, start: number, n: number, u: number): number {
  let i = 0;
  while (i < n - 1 && u >= cum[start + i]) i++;
  return i;
}

// ---------------------------------------------------------------------------
// Calibration anchors.

/**
 * Province base online-filing rates. Anchors from the brief: Quảng Ninh above
 * 80%, Quảng Trị 52.3%, national ~40–46%, provinces from the teens to the 80s;
 * the rest are plausible guesses (mountain provinces low, big cities high).
 */
const PROVINCE_ONLINE: Record<string, number> = {
  '01': 0.56, '04': 0.17, '08': 0.26, '11': 0.16, '12': 0.14, '14': 0.2, '15': 0.28, '19': 0.48,
  '20': 0.3, '22': 0.84, '24': 0.58, '25': 0.42, '31': 0.56, '33': 0.45, '37': 0.48, '38': 0.36,
  '40': 0.33, '42': 0.46, '44': 0.52, '46': 0.64, '48': 0.72, '51': 0.34, '52': 0.31, '56': 0.44,
  '66': 0.32, '68': 0.38, '75': 0.52, '79': 0.58, '80': 0.41, '82': 0.4, '86': 0.38, '91': 0.34,
  '92': 0.43, '96': 0.29,
};
/** Mountain provinces with weak 4G and unstable links (Cao Bằng, Tuyên Quang, Điện Biên, Lai Châu, Sơn La, Lào Cai, Quảng Trị). */
const MOUNTAIN_PROVINCES = new Set(['04', '08', '11', '12', '14', '15', '44']);
/** Known busy centres: Hợp Thịnh (Bắc Ninh) handles 250–300 dossiers a day. */
const HUB_VOLUME: Record<string, number> = { '07864': 275 };
const MAX_VOLUME = 300;
const MIN_VOLUME = 10;

// ---------------------------------------------------------------------------
// Streams and bands. A stream is the Poisson process of one (appointment length,
// path); each of its dossiers first draws a band (group): the working day it
// completes in (regular), how late (late), or the whole span (supplement).

const PATH_REGULAR = 0;
const PATH_LATE = 1;
const PATH_SUPPLEMENT = 2;
/** Late completions, in working days past the appointment (capped at 4, or 8 for struggling units). */
const LATE_BANDS: [number, number][] = [
  [0, 1],
  [1, 3],
  [3, 8],
];
const LATE_GRACE = 10 * MINUTE;
/** After a supplement request (≤ 0.6 of the deadline): ≤ 3 + 1 + 2 + 3 WD, or stopped ≤ 8 WD later. */
const SUPPLEMENT_EXTRA_WD = 9;
/** Completion cluster: result ≤ 20 min, rating ≤ 12 h after completion. */
const RATING_CAP_MS = 12 * HOUR_MS;
const POST_MS = RATING_CAP_MS;
/** Receipt cluster: online payment ≤ 3 h after filing; digitisation and counter payment ≤ 90 working minutes. */
const ONLINE_PAY_MS = 3 * HOUR_MS;
/** Contract v1.1 rates are calibrated for January 2026 and rise month by month from it. */
const V11_EPOCH = Date.parse('2026-01-01T00:00:00+07:00');
const RECEIPT_WORK = 90 * MINUTE;
/** Normal units: batch-sync lag plus short outages; remote units: silent days, delivered the next morning. */
const NORMAL_DELIVERY_CAP_MS = 3 * HOUR_MS;
const REMOTE_DELIVERY_CAP_MS = 2 * DAY_MS;
const DUPLICATE_LAG_MS = 120_000;
/** Delivery delay bound when no outage is under way: transmission, batch sync, a duplicate's retry. */
const FAST_REACH_MS = 13 * MINUTE;
/** Held events go out within this long after the link returns. */
const BURST_MS = 91_000;

/** Regular completions are placed in quarter-working-day bands: narrow bands let a window skip most dossiers. */
const BANDS_PER_WD = 4;

interface Group {
  dueClass: number;
  path: number;
  /** Regular: completion quarter-day after the start; late: index in LATE_BANDS. */
  band: number;
  /** Completion lies in (w0 + lo, w0 + hi] in work coordinates (supplement path: the whole lifecycle). */
  lo: number;
  hi: number;
}

const GROUPS: Group[] = DUES.flatMap((due, dueClass) => {
  const n1 = max(due, 1);
  const out: Group[] = [];
  // Same-day procedures: done before 17:00, or by 11:00 next day after the 15:00 cut-off
  // (at 10% + 88% × y of the span, which is under a working day).
  for (let b = 0; due === 0 && b < BANDS_PER_WD; b++) {
    out.push({ dueClass, path: PATH_REGULAR, band: b, lo: 0, hi: (0.1 + (0.88 * (b + 1)) / BANDS_PER_WD) * WDAY });
  }
  for (let b = 0; b < due * BANDS_PER_WD; b++) {
    out.push({ dueClass, path: PATH_REGULAR, band: b, lo: (b * WDAY) / BANDS_PER_WD, hi: ((b + 1) * WDAY) / BANDS_PER_WD });
  }
  LATE_BANDS.forEach(([a, b], band) =>
    out.push({ dueClass, path: PATH_LATE, band, lo: (due + a) * WDAY, hi: (n1 + b) * WDAY + LATE_GRACE }),
  );
  out.push({ dueClass, path: PATH_SUPPLEMENT, band: 0, lo: 0, hi: (n1 + SUPPLEMENT_EXTRA_WD) * WDAY });
  return out;
});
const G = GROUPS.length;

interface Stream {
  dueClass: number;
  path: number;
  /** Its bands (indices in GROUPS). */
  groups: number[];
}
const STREAMS: Stream[] = DUES.flatMap((_, dueClass) =>
  [PATH_REGULAR, PATH_LATE, PATH_SUPPLEMENT].map((path) => ({
    dueClass,
    path,
    groups: GROUPS.flatMap((x, g) => (x.dueClass === dueClass && x.path === path ? [g] : [])),
  })),
);
const NS = STREAMS.length;

/** Overdue delay (working days): exponential with this mean, truncated at the cap; [normal, struggling]. */
const LATE_MEAN_WD = [0.8, 2];
const LATE_CAP_WD = [4, 8];
/** Cumulative band odds per stream, [normal, struggling]: regular uniform over the working days, late by the delay law. */
const BAND_CUM: Float32Array[][] = [0, 1].map((variant) =>
  STREAMS.map((st) => {
    const m = LATE_MEAN_WD[variant];
    const cap = LATE_CAP_WD[variant];
    const w = st.groups.map((g) => {
      if (st.path !== PATH_LATE) return 1;
      const [a, b] = LATE_BANDS[GROUPS[g].band];
      return a >= cap ? 0 : exp(-a / m) - exp(-min(b, cap) / m);
    });
    const total = w.reduce((x, y) => x + y, 0);
    let acc = 0;
    return Float32Array.from(w, (x) => (acc += x / total));
  }),
);

/**
 * Per weekday of receipt (0 = Sunday), relative to local midnight: the receipt
 * cluster's end, and each group's completion cluster [CLO, CHI] (CHI includes the
 * rating). fromWork∘toWork is monotone, so the day's first and last instants bound them.
 */
const RHI = new Float64Array(7);
const CLO = new Float64Array(7 * G);
const CHI = new Float64Array(7 * G);
/** The same for streams (hull of their bands), and streams by descending SCHI: a deep lookback day needs a prefix. */
const SCLO = new Float64Array(7 * NS);
const SCHI = new Float64Array(7 * NS);
const SORDER: Int32Array[] = [];
for (let wd = 0; wd < 7; wd++) {
  // 2026-01-04 was a Sunday.
  const dayStart = Date.UTC(2026, 0, 4 + wd) - VN_OFFSET_MS;
  const first = toWork(dayStart);
  const last = toWork(dayStart + DAY_MS - 1);
  RHI[wd] = max(DAY_MS + ONLINE_PAY_MS, fromWorkEnd(last + RECEIPT_WORK) - dayStart);
  for (let g = 0; g < G; g++) {
    CLO[wd * G + g] = fromWork(first + GROUPS[g].lo) - dayStart;
    CHI[wd * G + g] = max(fromWorkEnd(last + GROUPS[g].hi) - dayStart, DAY_MS + MINUTE) + POST_MS;
  }
  STREAMS.forEach((st, i) => {
    SCLO[wd * NS + i] = min(...st.groups.map((g) => CLO[wd * G + g]));
    SCHI[wd * NS + i] = max(...st.groups.map((g) => CHI[wd * G + g]));
  });
  SORDER.push(Int32Array.from(STREAMS.map((_, i) => i).sort((a, b) => SCHI[wd * NS + b] - SCHI[wd * NS + a] || a - b)));
}
const MAX_CHI = CHI.reduce((m, x) => max(m, x), 0);

/** Receipt cluster end per (weekday, half-hour of receipt), relative to local midnight. */
const HALF_HOUR = 30 * MINUTE;
const RECEIPT_END = new Float64Array(7 * 48);
for (let wd = 0; wd < 7; wd++) {
  const dayStart = Date.UTC(2026, 0, 4 + wd) - VN_OFFSET_MS;
  for (let h = 0; h < 48; h++) {
    const r = dayStart + (h + 1) * HALF_HOUR - 1;
    RECEIPT_END[wd * 48 + h] = max(r + ONLINE_PAY_MS, fromWorkEnd(toWork(r) + RECEIPT_WORK)) - dayStart;
  }
}

/** Upper bound on deliverAt minus local midnight of the receipt day, for any event the simulator produces. */
export const SIM_MAX_LIFECYCLE_MS = MAX_CHI + REMOTE_DELIVERY_CAP_MS + DUPLICATE_LAG_MS;

// ---------------------------------------------------------------------------
// Per-unit state.

interface UnitState {
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

function buildUnit(idx: number, unit: SimUnit, provincePop: number | undefined, seed: number): UnitState {
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
  const typeBase = [28, 72, 22][ti];
  const areaFactor = ti === 0 ? (area / 70) ** 0.2 : ti === 1 ? (area / 15) ** 0.1 : (area / 50) ** 0.25;
  let volume = typeBase * popFactor * areaFactor * exp(0.3 * rng.normal()) * (remote ? 0.7 : 1);
  const hubDraw = rng.next();
  const hubSize = rng.next();
  let hub = false;
  if (HUB_VOLUME[unit.code] !== undefined) {
    volume = HUB_VOLUME[unit.code];
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
  for (let s = 0; s < S; s++) {
    shares[s] = SECTORS[s].share[ti] * exp(0.25 * rng.normal());
    shareSum += shares[s];
  }
  for (let s = 0; s < S; s++) shares[s] /= shareSum;

  // Eligibility: the catalogue's split, scaled per unit (which procedures a commune publishes as full-process online).
  const eligMul = rng.range(0.85, 1.15);
  const procWeight = new Float64Array(P);
  for (let s = 0; s < S; s++) {
    let wEl = 0;
    let wOther = 0;
    for (const x of PROCS) {
      if (x.sector !== s) continue;
      if (x.fullOnline) wEl += x.weight;
      else wOther += x.weight;
    }
    const el = wEl === 0 ? 0 : wOther === 0 ? 1 : clamp((wEl / (wEl + wOther)) * eligMul, 0, 1);
    PROCS.forEach((x, i) => {
      if (x.sector === s) procWeight[i] = shares[s] * (x.fullOnline ? (el * x.weight) / wEl : ((1 - el) * x.weight) / wOther);
    });
  }
  let eligibleShare = 0;
  for (let i = 0; i < P; i++) if (PROCS[i].fullOnline) eligibleShare += procWeight[i];

  // Online rate: province base, commune jitter; eligible procedures go online more.
  const provOnline = PROVINCE_ONLINE[unit.provinceCode] ?? 0.4;
  const typeShift = [-0.02, 0.06, 0][ti];
  const online = clamp(provOnline + typeShift + (remote ? -0.08 : 0) + 0.05 * rng.normal(), 0.05, 0.95);
  const pEl = min(0.95, online * 1.12 + 0.01);
  const pNel = clamp((online - eligibleShare * pEl) / (1 - eligibleShare), 0.01, 0.95);
  const procOnline = new Float64Array(P);
  for (let i = 0; i < P; i++) procOnline[i] = PROCS[i].fullOnline ? pEl : pNel;

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
  for (let i = 0; i < P; i++) {
    const w = procWeight[i];
    if (PROCS[i].fee) {
      fee += w;
      payOnline += w * (procOnline[i] * payOnlineChannel + (1 - procOnline[i]) * payCounter);
    }
    if (PROCS[i].fullOnline) eligibleOnline += w * procOnline[i];
  }
  const sectorShares: Record<string, number> = {};
  for (let s = 0; s < S; s++) sectorShares[SECTORS[s].name] = shares[s];

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

  // Per (day kind, stream): the rate, the odds of filing online, and the procedure
  // odds given the channel. A procedure's weight on a day is its share × path odds ×
  // (online share × online day factor + counter share × counter day factor).
  const streamRate = new Float64Array(3 * NS);
  const streamOnline = new Float32Array(3 * NS);
  const procCum = new Float32Array(3 * 3 * 2 * P);
  for (let k = 0; k < 3; k++) {
    STREAMS.forEach(({ dueClass, path }, st) => {
      const members = CLASS_PROCS[dueClass];
      const on: number[] = [];
      const off: number[] = [];
      for (const i of members) {
        const sup = min(0.5, supplementRate * SECTORS[PROCS[i].sector].supplement);
        const pathP = path === PATH_SUPPLEMENT ? sup : path === PATH_LATE ? (1 - sup) * (1 - onTime) : (1 - sup) * onTime;
        on.push(procWeight[i] * pathP * procOnline[i] * KIND_ONLINE[k]);
        off.push(procWeight[i] * pathP * (1 - procOnline[i]) * KIND_COUNTER[k]);
      }
      const onTotal = on.reduce((a, x) => a + x, 0);
      const offTotal = off.reduce((a, x) => a + x, 0);
      streamRate[k * NS + st] = volume * (onTotal + offTotal);
      streamOnline[k * NS + st] = onTotal + offTotal > 0 ? onTotal / (onTotal + offTotal) : 1;
      [off, on].forEach((w, channel) => {
        const total = channel === 1 ? onTotal : offTotal;
        const base = ((k * 3 + path) * 2 + channel) * P + CLASS_OFFSET[dueClass];
        let acc = 0;
        w.forEach((x, j) => (procCum[base + j] = total > 0 ? (acc += x / total) : (j + 1) / w.length));
      });
    });
  }

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
const NSLOT = 11;
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
/** Dossier numbers are stream × 1000 + index, so no stream needs another's count. */
const MAX_PER_STREAM = 999;

interface Skeleton {
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

const byEventId = (a: Delivery, b: Delivery) => (a.event.eventId < b.event.eventId ? -1 : a.event.eventId > b.event.eventId ? 1 : 0);

/** Sorts by deliverAt, then eventId. A native numeric sort of packed (time, index) keys is much faster than a comparator. */
function sortDeliveries(out: Delivery[], from: number, to: number): Delivery[] {
  const n = out.length;
  const IDX = 2 ** 21;
  if (n >= IDX || (to - from) * IDX >= Number.MAX_SAFE_INTEGER) {
    return out.sort((a, b) => a.deliverAt - b.deliverAt || byEventId(a, b));
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (out[i].deliverAt - from) * IDX + i;
  keys.sort();
  const sorted = new Array<Delivery>(n);
  for (let i = 0; i < n; i++) sorted[i] = out[keys[i] % IDX];
  // Equal instants: by eventId, so the order does not depend on generation order.
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j].deliverAt === sorted[i].deliverAt) j++;
    if (j - i > 1) {
      const run = sorted.slice(i, j).sort(byEventId);
      for (let k = i; k < j; k++) sorted[k] = run[k - i];
    }
    i = j;
  }
  return sorted;
}

export class DemoSimulator {
  private readonly units: UnitState[];
  private readonly byCode = new Map<string, UnitState>();
  private readonly duplicateRate: number;
  /** By unit index: 1 when the unit's events go out through a relay (SimulatorOptions.relayed). */
  private readonly relayed: Uint8Array;
  private readonly memo = new Map<number, DayMemo>();
  private readonly rng = new Rng();
  private readonly auxRng = new Rng();
  private readonly outageRng = new Rng();
  private readonly sk: Skeleton = {
    occ: new Float64Array(NSLOT),
    channel: 'direct',
    proc: PROCS[0],
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
  private readonly reach: Float64Array;
  /** Draws of the current dossier: main stream, receipt cluster, completion cluster, timeline, delivery. */
  private readonly draws = new Float64Array(MAIN_DRAWS);
  private readonly drawsA = new Float64Array(4);
  private readonly drawsB = new Float64Array(8);
  private readonly drawsC = new Float64Array(8);
  private readonly drawsD = new Float64Array(6);
  private readonly drawsE = new Float64Array(6);
  // The current window and unit-day, as fields: doubles passed to calls would be boxed on every call.
  private from = 0;
  private to = 0;
  private dayStart = 0;
  private reachNow = 0;
  private delAt = 0;
  private dupAt = 0;
  private tLate = false;
  private tOutcome: Outcome | null = null;
  private outS = 0;
  private outE = 0;

  constructor(units: SimUnit[], provinces: SimProvince[], opts: SimulatorOptions) {
    const pop = new Map(provinces.map((x) => [x.code, x.population]));
    this.duplicateRate = clamp(opts.duplicateRate ?? 0.002, 0, 1);
    this.units = units.map((u, i) => buildUnit(i, u, pop.get(u.provinceCode), opts.seed));
    for (const u of this.units) this.byCode.set(u.unit.code, u);
    this.relayed = new Uint8Array(this.units.length);
    for (const code of opts.relayed ?? []) {
      const u = this.byCode.get(code);
      if (u) this.relayed[u.idx] = 1;
    }
    this.reach = new Float64Array(this.units.length);
  }

  profile(code: string): UnitProfile {
    const u = this.byCode.get(code);
    if (!u) throw new RangeError(`unknown unit ${code}`);
    return { ...u.profile, sectorShares: { ...u.profile.sectorShares } };
  }

  deliveries(from: number, to: number): Delivery[] {
    const out: Delivery[] = [];
    if (!(to > from) || this.units.length === 0) return out;
    // How late an event before `from` can still be delivered at or after it, per unit.
    for (const u of this.units) this.reach[u.idx] = this.reachAt(u, from);
    const dFirst = localDay(from - SIM_MAX_LIFECYCLE_MS);
    const dLast = localDay(to - 1);
    for (let d = dFirst; d <= dLast; d++) this.day(d, from, to, out);
    return sortDeliveries(out, from, to);
  }

  /**
   * The deliveries before `until` of the dossiers received on the local day that
   * starts at `dayStart`, all units, in no particular order: a history day as a
   * one-stop system exports it (bulk import), while `deliveries` gives the same
   * events window by window as they are sent. For every day d and instant T, the
   * deliveries before T are the union over receipt days of `receivedOn(d, T)`.
   */
  receivedOn(dayStart: number, until: number): Delivery[] {
    const out: Delivery[] = [];
    const d = localDay(dayStart);
    const start = d * DAY_MS - VN_OFFSET_MS;
    if (!(until > start)) return out;
    const counts = new Uint16Array(this.units.length * NS).fill(UNKNOWN);
    const label = new Date(d * DAY_MS).toISOString().slice(2, 10).replaceAll('-', '');
    // From the day's start every event of its dossiers is in reach: nothing is dismissed early.
    for (const u of this.units) this.unitDay(u, d, start, (d + 4) % 7, label, start, until, u.reach, counts, out);
    return out;
  }

  /** Feedback deliveries in [from, to), sorted by deliverAt, then eventId. */
  feedbackDeliveries(from: number, to: number): FeedbackDelivery[] {
    const out: FeedbackDelivery[] = [];
    if (!(to > from)) return out;
    for (let d = localDay(from - SIM_FEEDBACK_LIFECYCLE_MS); d <= localDay(to - 1); d++) {
      for (const x of this.feedbackOfDay(d)) if (x.deliverAt >= from && x.deliverAt < to) out.push(x);
    }
    return out.sort(byDelivery);
  }

  /** The feedback deliveries before `until` of the items received on the local day that starts at `dayStart` (their follow-ups included): a history day. */
  feedbackReceivedOn(dayStart: number, until: number): FeedbackDelivery[] {
    return this.feedbackOfDay(localDay(dayStart)).filter((x) => x.deliverAt < until);
  }

  private readonly feedbackMemo = new Map<number, FeedbackDelivery[]>();
  private readonly feedbackRng = new Rng();

  /** Every feedback delivery of the items received on local day d, all units, sorted. */
  private feedbackOfDay(d: number): FeedbackDelivery[] {
    let list = this.feedbackMemo.get(d);
    if (list) return list;
    list = [];
    const label = new Date(d * DAY_MS).toISOString().slice(2, 10).replaceAll('-', '');
    for (const u of this.units) feedbackOfUnitDay(u, d, label, this.feedbackRng, list);
    list.sort(byDelivery);
    this.feedbackMemo.set(d, list);
    if (this.feedbackMemo.size > FEEDBACK_MEMO_DAYS) this.feedbackMemo.delete(this.feedbackMemo.keys().next().value as number);
    return list;
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
    const dayStart = d * DAY_MS - VN_OFFSET_MS;
    const wd = (d + 4) % 7;
    if (dayStart + SCHI[wd * NS + SORDER[wd][0]] + REMOTE_DELIVERY_CAP_MS + DUPLICATE_LAG_MS < from) return;
    const memo = this.dayMemo(d);
    // The memo answers for windows starting at or after its instant; it only moves forward.
    const useMemo = memo.t !== 0 && from >= memo.t;
    const update = to >= memo.t;
    const label = new Date(d * DAY_MS).toISOString().slice(2, 10).replaceAll('-', '');
    const reach = this.reach;
    for (const u of this.units) {
      if (dayStart + SCHI[wd * NS + SORDER[wd][0]] + reach[u.idx] < from) continue;
      if (useMemo && to <= memo.next[u.idx] * 1000) continue;
      const next = this.unitDay(u, d, dayStart, wd, label, from, to, reach[u.idx], memo.count, out);
      if (update) memo.next[u.idx] = next >= NO_NEXT * 1000 ? NO_NEXT : floor(next / 1000);
    }
    if (update) memo.t = to;
  }

  /** One unit-day: emits its deliveries in [from, to) and returns a lower bound of its next delivery at or after `to`. */
  private unitDay(
    u: UnitState,
    d: number,
    dayStart: number,
    wd: number,
    label: string,
    from: number,
    to: number,
    reach: number,
    counts: Uint16Array,
    out: Delivery[],
  ): number {
    const kind = dayKind(wd);
    const daySeed = mix(u.seed, d);
    this.from = from;
    this.to = to;
    this.dayStart = dayStart;
    this.reachNow = reach;
    let noise = -1;
    const receiptLive = dayStart + RHI[wd] + reach >= from;
    const order = SORDER[wd];
    let next = INF;
    const D = this.draws;
    for (let o = 0; o < NS; o++) {
      const s = order[o];
      if (!receiptLive && dayStart + SCHI[wd * NS + s] + reach < from) break; // and all later streams
      const sclo = dayStart + SCLO[wd * NS + s];
      if (!receiptLive && sclo >= to) {
        // Completions still to come deliver no earlier than sclo.
        if (sclo < next) next = sclo;
        continue;
      }
      let count = counts[u.idx * NS + s];
      if (count === UNKNOWN) {
        // Day-to-day variation shared by the unit-day's streams (lognormal, mean 1).
        if (noise < 0) noise = exp(0.15 * this.auxRng.seed(mix(daySeed, 0x51ed)).normal() - 0.01125) * WEEKDAY_MUL[wd];
        count = min(MAX_PER_STREAM, this.auxRng.seed(mix(daySeed, s + 1)).poisson(u.streamRate[kind * NS + s] * noise));
        counts[u.idx * NS + s] = count;
      }
      if (count === 0) continue;
      const streamSeed = mix(daySeed ^ 0xd055, s + 1);
      const bands = STREAMS[s].groups;
      const bandCum = BAND_CUM[u.lateVariant][s];
      const uniformBands = STREAMS[s].path !== PATH_LATE;
      for (let i = 0; i < count; i++) {
        const seed = mix(streamSeed, i + 1);
        // The band comes first: most dossiers of a deep day are dismissed on it alone.
        this.rng.seed(seed).fill(D, MAIN_DRAWS);
        const g = bands[uniformBands ? floor(D[0] * bands.length) : pick(bandCum, 0, bands.length, D[0])];
        const clo = dayStart + CLO[wd * G + g];
        // Its completion cluster delivers no earlier than clo.
        if (clo >= to && clo < next) next = clo;
        const laterLive = clo < to && dayStart + CHI[wd * G + g] + reach >= from;
        if (!receiptLive && !laterLive) continue;
        if (!this.build(u, wd, s, g, seed, laterLive)) {
          if (this.sk.nextLb < next) next = this.sk.nextLb;
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
    const { from, to, reachNow: reach } = this;
    const occ = this.sk.occ;
    let next = INF;
    for (let s = 0; s < NSLOT; s++) {
      const t = occ[s];
      if (isNaN(t) || t + reach < from) continue;
      // Delivered no earlier than it occurred: enough to bound the memo.
      if (t >= to) {
        if (t < next) next = t;
        continue;
      }
      this.deliver(u, t, mix(seed, 0x5107 + s));
      for (let copy = 0; copy < 2; copy++) {
        const at = copy === 0 ? this.delAt : this.dupAt;
        if (isNaN(at)) continue;
        if (at >= to) {
          if (at < next) next = at;
        } else if (at >= from) {
          out.push({ deliverAt: at, event: this.event(u, s, dossierId, t) });
        }
      }
    }
    return next;
  }

  private event(u: UnitState, slot: number, dossierId: string, occ: number): DossierEvent {
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
          sector: SECTORS[sk.proc.sector].name,
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
  private build(u: UnitState, wd: number, st: number, g: number, seed: number, laterLive: boolean): boolean {
    const { from, to, dayStart, reachNow: reach } = this;
    const D = this.draws;
    const sk = this.sk;
    const occ = sk.occ;
    const group = GROUPS[g];
    const kind = dayKind(wd);

    // Receipt: online any time (daytime peak), counter and post in opening hours.
    const online = D[1] < u.streamOnline[kind * NS + st];
    const sl = online ? ONLINE_SLOTS : kind === 1 ? SATURDAY_COUNTER : WEEKDAY_COUNTER;
    const slot = pick(sl.cum, 0, sl.cum.length, D[2]);
    const receipt = floorSec(dayStart + sl.start[slot] + sl.len * D[3]);
    const receiptMaybe = receipt < to && dayStart + RECEIPT_END[wd * 48 + floor((receipt - dayStart) / HALF_HOUR)] + reach >= from;
    if (!receiptMaybe && !laterLive) {
      sk.nextLb = receipt >= to ? receipt : INF;
      return false;
    }

    const members = CLASS_PROCS[group.dueClass];
    const base = ((kind * 3 + group.path) * 2 + (online ? 1 : 0)) * P + CLASS_OFFSET[group.dueClass];
    const proc = PROCS[members[pick(u.procCum, base, members.length, D[4])]];
    const postal = !online && D[5] < u.pPostal;
    const w0 = toWork(receipt);

    // Receipt cluster: digitisation and payment (instants only when they matter: fromWork is the costly part).
    const A = this.drawsA;
    this.auxRng.seed(mix(seed, 0xa)).fill(A, 4);
    const digitized = A[0] < (online ? u.pDigOnline : u.pDigOffline);
    const digLag = A[1];
    const payOnline = A[2] < (online ? u.pPayOnlineOnlineChannel : u.pPayOnlineCounter);
    const payLag = A[3];
    // Contract v1.1: the portal sync within 2 hours of the receipt (inside the receipt cluster's bound), and the attributes.
    const E = this.drawsE;
    this.auxRng.seed(mix(seed, 0xe)).fill(E, 6);
    const syncAt = E[0] < u.syncRate ? receipt + floorSec((1 + 119 * E[1]) * MINUTE) : 0;
    const receiptLive =
      receiptMaybe &&
      max(receipt, syncAt, digitized ? digitizedAt(online, receipt, w0, digLag) : 0, proc.fee ? paidAt(online, payOnline, receipt, w0, payLag) : 0) + reach >= from;

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
    const x = B[0];
    const y = B[1];
    const electronic = B[2] < (online ? u.pEResOnline : u.pEResOffline);
    const resultLag = floorSec((1 + 19 * B[3]) * MINUTE);
    let outcome: Outcome = x < u.rejectRate ? 'rejected' : x < u.rejectRate + u.stopRate ? 'stopped' : 'resolved';
    const complaint = B[4] < u.complaintRate * (group.path === PATH_LATE ? 3 : 1) * (outcome === 'rejected' ? 2 : 1);
    const rated = B[5] < u.ratingRate;
    const satisfiedDraw = B[6];
    const rateLag = floorSec(min(RATING_CAP_MS, 5 * MINUTE - 3 * HOUR_MS * log(1 - B[7])));
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
    const firstLater = group.path === PATH_SUPPLEMENT ? occ[SLOT_SUPREQ1] : done;
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
      sk.reuse = E[2] < clamp(u.reuseRate + 0.03 * months, 0.02, 0.95);
      sk.citizenData = E[3] < clamp(u.citizenDataRate + 0.025 * months, 0.05, 0.97);
      sk.fromStore = E[4] < 0.25;
      sk.storeSynced = hasResult && electronic ? E[5] < 0.6 : undefined;
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
      const wReq1 = w0 + max(10 * MINUTE, (0.1 + 0.5 * C[0]) * span);
      occ[SLOT_SUPREQ1] = floorSec(fromWork(wReq1));
      if (C[1] < u.noReply) {
        // The citizen never supplies the documents: processing stops.
        outcome = 'stopped';
        wDone = wReq1 + (3 + 5 * C[2]) * WDAY;
      } else {
        let wLast = wReq1 + (0.3 + 2.7 * C[2]) * WDAY;
        occ[SLOT_SUPREC1] = floorSec(fromWork(wLast));
        if (C[3] < u.secondSupplement) {
          // A second request makes the dossier overdue (766 §2.1).
          const wReq2 = wLast + (0.1 + 0.9 * C[4]) * WDAY;
          occ[SLOT_SUPREQ2] = floorSec(fromWork(wReq2));
          wLast = wReq2 + (0.3 + 1.7 * C[5]) * WDAY;
          occ[SLOT_SUPREC2] = floorSec(fromWork(wLast));
          late = true;
        }
        wDone = wLast + min(3 * WDAY, (0.1 + 0.9 * C[6]) * max(WDAY, span));
        if (C[7] < 0.05) outcome = 'rejected';
      }
    } else if (group.path === PATH_LATE) {
      // Truncated exponential delay past the appointment, inside the band.
      const a = LATE_BANDS[group.band][0];
      const b = min(LATE_BANDS[group.band][1], LATE_CAP_WD[u.lateVariant]);
      const m = LATE_MEAN_WD[u.lateVariant];
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

  /**
   * Bound on (deliverAt − occurredAt) for events delivered at or after `from`
   * that occurred before it: minutes, unless an outage is holding events then.
   * (A held event goes out after an outage with start < from and end ≥ from − BURST_MS.)
   */
  private reachAt(u: UnitState, from: number): number {
    const day = localDay(from);
    for (let dd = day - 2; dd <= day; dd++) {
      if (this.outage(u, dd) && this.outS < from && this.outE + BURST_MS >= from) return u.reach;
    }
    return FAST_REACH_MS;
  }

  /** Delivery instant(s) of an event that occurred at t, into delAt / dupAt (NaN: no duplicate). */
  private deliver(u: UnitState, t: number, seed: number): void {
    const R = this.drawsD;
    this.auxRng.seed(seed).fill(R, 6);
    // Seconds normally; 1% wait for a batch sync of a few minutes.
    let at = t + 700 + 11_300 * R[0];
    if (R[1] < 0.01) at += MINUTE + 9 * MINUTE * R[2];
    if ((u.outageRate > 0 || u.silentRate > 0) && this.relayed[u.idx] === 0) at = this.afterOutages(u, t, at, R[3]);
    at = floor(min(at, t + u.deliveryCap));
    this.delAt = at;
    this.dupAt = R[4] < this.duplicateRate ? at + floor(2_000 + (DUPLICATE_LAG_MS - 2_000) * R[5]) : NAN;
  }

  /**
   * The unit's connectivity outages overlapping [from, to), in time order: the same windows
   * that hold its events back, so the demo's heartbeats fall silent exactly when its data does.
   */
  outageWindows(code: string, from: number, to: number): { from: number; to: number }[] {
    const u = this.byCode.get(code);
    if (!u || (u.outageRate <= 0 && u.silentRate <= 0)) return [];
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
    const dayStart = day * DAY_MS - VN_OFFSET_MS;
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

// ---------------------------------------------------------------------------
// Citizen feedback (PAKN), ingest contract v1.1: about 1–3 items per 1,000
// dossiers, each a function of (seed, unit, local day of receipt, index) like the
// dossiers, from streams of their own so the dossier events are unchanged.

export interface FeedbackDelivery {
  /** Epoch ms when the source system sends it. */
  deliverAt: number;
  event: FeedbackEvent;
}

/** Days from the receipt to the due date of an answer. */
export const SIM_FEEDBACK_DUE_DAYS = 10;
/** Upper bound on deliverAt minus local midnight of the receipt day, for any feedback event (follow-ups included). */
export const SIM_FEEDBACK_LIFECYCLE_MS = 40 * DAY_MS;
/** Share of items answered by the due date, answered late; the rest are never answered (overdue once due). */
const FEEDBACK_ON_TIME = 0.86;
const FEEDBACK_LATE = 0.08;
const FEEDBACK_TOPICS_CUM: readonly [FeedbackTopic, number][] = [
  ['procedure', 0.55],
  ['staff', 0.75],
  ['other', 1],
];
/** Receipt days of feedback kept generated: the lifecycle plus a few. */
const FEEDBACK_MEMO_DAYS = ceil(SIM_FEEDBACK_LIFECYCLE_MS / DAY_MS) + 4;

function feedbackTopic(u: number): FeedbackTopic {
  for (const [t, c] of FEEDBACK_TOPICS_CUM) if (u < c) return t;
  return 'other';
}

/**
 * The feedback a unit received on local day d (on the portal, so weekends too, at a
 * quarter of a working day's rate), with every event it will lead to, appended to `out`: most answered on time, some late, a few never;
 * half the answered ones rated (unsatisfied more often when late); a few followed up
 * by a second item, more often after an unsatisfied rating.
 */
function feedbackOfUnitDay(u: UnitState, d: number, label: string, rng: Rng, out: FeedbackDelivery[]): void {
  const wd = (d + 4) % 7;
  const base = mix(u.seed, 0xfeedbac);
  // The unit's own rate per dossier, 1–3 per 1,000.
  const rate = rng.seed(base).range(0.001, 0.003);
  rng.seed(mix(base, d));
  const n = rng.poisson(u.profile.weekdayVolume * rate * (wd === 0 || wd === 6 ? 0.25 : 1));
  const dayStart = d * DAY_MS - VN_OFFSET_MS;
  const unit = u.unit.code.length === 2 ? { provinceCode: u.unit.code } : { communeCode: u.unit.code };
  const emit = (event: FeedbackEvent, at: number) => out.push({ deliverAt: at + floorSec(rng.next() * 10 * MINUTE), event });
  for (let i = 0; i < n; i++) {
    const feedbackId = `PAKN-${u.unit.code}-${label}-${i + 1}`;
    const receivedAt = floorSec(dayStart + AM_START + rng.next() * (17 * HOUR_MS - AM_START));
    const dueAt = dayStart + SIM_FEEDBACK_DUE_DAYS * DAY_MS + 17 * HOUR_MS;
    const topic = feedbackTopic(rng.next());
    emit({ eventId: `${feedbackId}-r`, type: 'feedback_received', occurredAt: iso7(receivedAt), feedbackId, ...unit, dueAt: iso7(dueAt), topic }, receivedAt);
    const fate = rng.next();
    if (fate >= FEEDBACK_ON_TIME + FEEDBACK_LATE) continue;
    const onTime = fate < FEEDBACK_ON_TIME;
    const answeredAt = floorSec(onTime ? receivedAt + (dueAt - receivedAt) * rng.range(0.1, 0.95) : dueAt + rng.range(0.5, 6) * DAY_MS);
    emit({ eventId: `${feedbackId}-a`, type: 'feedback_answered', occurredAt: iso7(answeredAt), feedbackId, ...unit }, answeredAt);
    let satisfied = true;
    if (rng.chance(0.5)) {
      const ratedAt = floorSec(answeredAt + rng.range(2, 72) * HOUR_MS);
      satisfied = rng.chance(onTime ? 0.85 : 0.4);
      emit({ eventId: `${feedbackId}-s`, type: 'feedback_rated', occurredAt: iso7(ratedAt), feedbackId, ...unit, satisfied }, ratedAt);
    }
    if (!rng.chance(satisfied ? 0.03 : 0.4)) continue;
    // The citizen comes back: a follow-up, answered on time nine times in ten.
    const followId = `${feedbackId}-2`;
    const followAt = floorSec(answeredAt + rng.range(1, 5) * DAY_MS);
    const followDue = followAt + SIM_FEEDBACK_DUE_DAYS * DAY_MS;
    emit(
      { eventId: `${followId}-r`, type: 'feedback_received', occurredAt: iso7(followAt), feedbackId: followId, ...unit, dueAt: iso7(followDue), topic, followUpOf: feedbackId },
      followAt,
    );
    if (rng.chance(0.9)) {
      const followAnswered = floorSec(followAt + (followDue - followAt) * rng.range(0.1, 0.9));
      emit({ eventId: `${followId}-a`, type: 'feedback_answered', occurredAt: iso7(followAnswered), feedbackId: followId, ...unit }, followAnswered);
    }
  }
}

const byDelivery = (a: FeedbackDelivery, b: FeedbackDelivery) => a.deliverAt - b.deliverAt || (a.event.eventId < b.event.eventId ? -1 : a.event.eventId > b.event.eventId ? 1 : 0);

// ---------------------------------------------------------------------------
// Reported indicator values (contract v1.1): the catalogue sub-indicators a province keeps on the national portal.

/** Provinces whose catalogue team reports every month; the others never do, so "no data" shows for them. */
export const DEMO_REPORTING_PROVINCES = ['01', '22', '48', '79', '92'] as const;

export interface DemoReportedValue {
  unitCode: string;
  /** YYYY-MM */
  month: string;
  subIndicator: '1.1' | '1.2' | '1.3' | '3.5a' | '4.c' | '4.5a';
  numerator: number;
  denominator: number;
}

/**
 * What a reporting province sends for a month: its procedure catalogue figures (1.1, 1.2,
 * 1.3, 3.5a, 4.5a, for the province itself) and, for each of its communes, whether it
 * provides electronic certified copies (4.c). Pure: the same seed, province and month give
 * the same values; empty for a province that does not report.
 */
export function demoReportedValues(seed: number, provinceCode: string, month: string, communeCodes: readonly string[]): DemoReportedValue[] {
  if (!(DEMO_REPORTING_PROVINCES as readonly string[]).includes(provinceCode)) return [];
  const rng = new Rng().seed(mix(mix(seed >>> 0, hashString(provinceCode)), hashString(month)));
  const pair = (subIndicator: DemoReportedValue['subIndicator'], lo: number, hi: number, rateLo: number, rateHi: number): DemoReportedValue => {
    const denominator = floor(rng.range(lo, hi));
    return { unitCode: provinceCode, month, subIndicator, numerator: min(denominator, round(denominator * rng.range(rateLo, rateHi))), denominator };
  };
  const out = [
    pair('1.1', 15, 60, 0.85, 1),
    pair('1.2', 30, 90, 0.8, 1),
    pair('1.3', 120, 320, 0.9, 1),
    pair('3.5a', 80, 160, 0.7, 0.98),
    pair('4.5a', 100, 220, 0.55, 0.92),
  ];
  // Electronic certified copies: most communes of a reporting province, more as the months pass.
  const unitRng = new Rng();
  for (const c of communeCodes) {
    const provides = unitRng.seed(mix(hashString(c), seed >>> 0)).next() < 0.6 + 0.03 * (Number(month.slice(5, 7)) % 12);
    out.push({ unitCode: c, month, subIndicator: '4.c', numerator: provides ? 1 : 0, denominator: 1 });
  }
  return out;
}
