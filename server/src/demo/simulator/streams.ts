import { DAY_MS, HOUR_MS, VN_OFFSET_MS } from '@ioc/shared';
import { MINUTE, WDAY, fromWork, fromWorkEnd, toWork } from './calendar.js';
import { DUES } from './catalogue.js';

const { exp, max, min } = Math;

// ---------------------------------------------------------------------------
// Streams and bands. A stream is the Poisson process of one (appointment length,
// path); each of its dossiers first draws a band (group): the working day it
// completes in (regular), how late (late), or the whole span (supplement).

export const PATH_REGULAR = 0;
export const PATH_LATE = 1;
export const PATH_SUPPLEMENT = 2;
/** Late completions, in working days past the appointment (capped at 4, or 8 for struggling units). */
export const LATE_BANDS: [number, number][] = [
  [0, 1],
  [1, 3],
  [3, 8],
];
export const LATE_GRACE = 10 * MINUTE;
/** After a supplement request (≤ 0.6 of the deadline): ≤ 3 + 1 + 2 + 3 WD, or stopped ≤ 8 WD later. */
const SUPPLEMENT_EXTRA_WD = 9;
/** Completion cluster: result ≤ 20 min, rating ≤ 12 h after completion. */
export const RATING_CAP_MS = 12 * HOUR_MS;
export const POST_MS = RATING_CAP_MS;
/** Receipt cluster: online payment ≤ 3 h after filing; digitisation and counter payment ≤ 90 working minutes. */
const ONLINE_PAY_MS = 3 * HOUR_MS;
export const RECEIPT_WORK = 90 * MINUTE;

/** Regular completions are placed in quarter-working-day bands: narrow bands let a window skip most dossiers. */
export const BANDS_PER_WD = 4;

export interface Group {
  dueClass: number;
  path: number;
  /** Regular: completion quarter-day after the start; late: index in LATE_BANDS. */
  band: number;
  /** Completion lies in (w0 + lo, w0 + hi] in work coordinates (supplement path: the whole lifecycle). */
  lo: number;
  hi: number;
}

export const GROUPS: Group[] = DUES.flatMap((due, dueClass) => {
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
  LATE_BANDS.forEach(([a, b], band) => out.push({ dueClass, path: PATH_LATE, band, lo: (due + a) * WDAY, hi: (n1 + b) * WDAY + LATE_GRACE }));
  out.push({ dueClass, path: PATH_SUPPLEMENT, band: 0, lo: 0, hi: (n1 + SUPPLEMENT_EXTRA_WD) * WDAY });
  return out;
});
/** Number of groups (bands). */
export const G = GROUPS.length;

export interface Stream {
  dueClass: number;
  path: number;
  /** Its bands (indices in GROUPS). */
  groups: number[];
}
export const STREAMS: Stream[] = DUES.flatMap((_, dueClass) =>
  [PATH_REGULAR, PATH_LATE, PATH_SUPPLEMENT].map((path) => ({
    dueClass,
    path,
    groups: GROUPS.flatMap((x, g) => (x.dueClass === dueClass && x.path === path ? [g] : [])),
  })),
);
/** Number of streams. */
export const NS = STREAMS.length;

/** Overdue delay (working days): exponential with this mean, truncated at the cap; [normal, struggling]. */
export const LATE_MEAN_WD = [0.8, 2];
export const LATE_CAP_WD = [4, 8];
/** Cumulative band odds per stream, [normal, struggling]: regular uniform over the working days, late by the delay law. */
export const BAND_CUM: Float32Array[][] = LATE_MEAN_WD.map((m, variant) =>
  STREAMS.map((st) => {
    const cap = LATE_CAP_WD[variant]!;
    const w = st.groups.map((g) => {
      if (st.path !== PATH_LATE) return 1;
      const [a, b] = LATE_BANDS[GROUPS[g]!.band]!;
      return a >= cap ? 0 : exp(-a / m) - exp(-min(b, cap) / m);
    });
    const total = w.reduce((x, y) => x + y, 0);
    let acc = 0;
    return Float32Array.from(w, (x) => (acc += x / total));
  }),
);

// ---------------------------------------------------------------------------
// Where a unit-day's events can fall, so a window draws only what may reach it.

/**
 * Per weekday of receipt (0 = Sunday), relative to local midnight: the receipt
 * cluster's end, and each group's completion cluster [CLO, CHI] (CHI includes the
 * rating). fromWork∘toWork is monotone, so the day's first and last instants bound them.
 */
export const RHI = new Float64Array(7);
export const CLO = new Float64Array(7 * G);
export const CHI = new Float64Array(7 * G);
/** The same for streams (hull of their bands), and streams by descending SCHI: a deep lookback day needs a prefix. */
export const SCLO = new Float64Array(7 * NS);
export const SCHI = new Float64Array(7 * NS);
export const SORDER: Int32Array[] = [];
for (let wd = 0; wd < 7; wd++) {
  // 2026-01-04 was a Sunday.
  const dayStart = Date.UTC(2026, 0, 4 + wd) - VN_OFFSET_MS;
  const first = toWork(dayStart);
  const last = toWork(dayStart + DAY_MS - 1);
  RHI[wd] = max(DAY_MS + ONLINE_PAY_MS, fromWorkEnd(last + RECEIPT_WORK) - dayStart);
  GROUPS.forEach((group, g) => {
    CLO[wd * G + g] = fromWork(first + group.lo) - dayStart;
    CHI[wd * G + g] = max(fromWorkEnd(last + group.hi) - dayStart, DAY_MS + MINUTE) + POST_MS;
  });
  STREAMS.forEach((st, i) => {
    SCLO[wd * NS + i] = min(...st.groups.map((g) => CLO[wd * G + g]!));
    SCHI[wd * NS + i] = max(...st.groups.map((g) => CHI[wd * G + g]!));
  });
  SORDER.push(Int32Array.from(STREAMS.map((_, i) => i).sort((a, b) => SCHI[wd * NS + b]! - SCHI[wd * NS + a]! || a - b)));
}
/** The latest completion cluster end of any group, relative to local midnight of the receipt day. */
export const MAX_CHI = CHI.reduce((m, x) => max(m, x), 0);

/** Receipt cluster end per (weekday, half-hour of receipt), relative to local midnight. */
export const HALF_HOUR = 30 * MINUTE;
export const RECEIPT_END = new Float64Array(7 * 48);
for (let wd = 0; wd < 7; wd++) {
  const dayStart = Date.UTC(2026, 0, 4 + wd) - VN_OFFSET_MS;
  for (let h = 0; h < 48; h++) {
    const r = dayStart + (h + 1) * HALF_HOUR - 1;
    RECEIPT_END[wd * 48 + h] = max(r + ONLINE_PAY_MS, fromWorkEnd(toWork(r) + RECEIPT_WORK)) - dayStart;
  }
}
