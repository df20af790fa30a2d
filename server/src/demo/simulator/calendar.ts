import { DAY_MS, HOUR_MS, VN_OFFSET_MS } from '@ioc/shared';

// Module-level aliases for the hot paths: in a vm context (Jest) every global lookup is slow.
const { floor } = Math;

export const MINUTE = 60_000;

// ---------------------------------------------------------------------------
// Working time: Mon–Fri 7:30–11:30 and 13:30–17:00 local (7.5 h a day).
// A "work coordinate" counts working milliseconds, so adding N working days is
// an addition; non-working instants map to the next opening.

export const AM_START = 7.5 * HOUR_MS;
export const AM_LEN = 4 * HOUR_MS;
const PM_START = 13.5 * HOUR_MS;
const PM_LEN = 3.5 * HOUR_MS;
/** A working day in work coordinates. */
export const WDAY = AM_LEN + PM_LEN;
const WWEEK = 5 * WDAY;

/** The work coordinate of instant t (a non-working instant maps to the next opening). */
export function toWork(t: number): number {
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

/** The instant of work coordinate w (a day boundary is the next day's opening). */
export function fromWork(w: number): number {
  const week = floor(w / WWEEK);
  const rem = w - week * WWEEK;
  const di = floor(rem / WDAY);
  const off = rem - di * WDAY;
  const tod = off < AM_LEN ? AM_START + off : PM_START + (off - AM_LEN);
  return (week * 7 - 3 + di) * DAY_MS + tod - VN_OFFSET_MS;
}

/** Like fromWork, but a day boundary is the previous day's 17:00 (an appointment, not an opening). */
export function fromWorkEnd(w: number): number {
  if (w % WDAY === 0) return fromWork(w - WDAY) + (PM_START + PM_LEN - AM_START);
  return fromWork(w);
}

// ---------------------------------------------------------------------------
// Local days and timestamps.

/** The local (UTC+7) day number of instant t: days since 1970-01-01. */
export const localDay = (t: number) => floor((t + VN_OFFSET_MS) / DAY_MS);
/** Epoch ms of local midnight starting local day d. */
export const localDayStart = (d: number) => d * DAY_MS - VN_OFFSET_MS;
/** Weekday of local day d: 0 = Sunday. */
export const weekdayOf = (d: number) => (d + 4) % 7;
/** `YYMMDD` of local day d, as dossier and feedback numbers carry it. */
export const dayLabel = (d: number) => new Date(d * DAY_MS).toISOString().slice(2, 10).replaceAll('-', '');
export const floorSec = (t: number) => floor(t / 1000) * 1000;

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const isoHours = new Map<number, string>();
/** `YYYY-MM-DDTHH:mm:ss+07:00` of a whole-second instant; the hour prefix is cached (formatting dominates emission). */
export function iso7(ms: number): string {
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
// Time-of-day and day-of-week profiles (local time).

/** Counter receipts per 30-minute slot from 7:30; lunch 11:30–13:30 closed. */
const COUNTER_SLOTS: [number, number][] = [
  [7.5, 0.6],
  [8, 1.0],
  [8.5, 1.2],
  [9, 1.3],
  [9.5, 1.3],
  [10, 1.2],
  [10.5, 1.0],
  [11, 0.7],
  [13.5, 0.7],
  [14, 1.0],
  [14.5, 1.1],
  [15, 1.0],
  [15.5, 0.9],
  [16, 0.7],
  [16.5, 0.4],
];
/** Online filings per local hour: any time, daytime peak, near nothing at night. */
const ONLINE_HOURLY = [0.15, 0.1, 0.08, 0.08, 0.1, 0.25, 0.7, 1.6, 3.6, 4.4, 4.4, 3.6, 2.0, 2.2, 3.8, 4.0, 3.6, 2.6, 1.6, 1.6, 1.5, 1.1, 0.6, 0.3];
/** Day kinds: 0 = working day, 1 = Saturday (counter open in the morning), 2 = Sunday (online only). */
export const KIND_ONLINE = [1, 0.45, 0.3];
export const KIND_COUNTER = [1, 0.3, 0];
/** Working-day volume by weekday (Mon–Fri average 1): Mondays are busiest. */
export const WEEKDAY_MUL = [1, 1.15, 1.05, 1.0, 0.98, 0.82, 1];
/** The day kind of weekday wd (0 = Sunday). */
export const dayKind = (wd: number) => (wd === 0 ? 2 : wd === 6 ? 1 : 0);

/** Receipt slots of a day: their starts (ms after local midnight), common length, and cumulative odds. */
export interface Slots {
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
export const WEEKDAY_COUNTER = slots(COUNTER_SLOTS, 30 * MINUTE);
export const SATURDAY_COUNTER = slots(
  COUNTER_SLOTS.filter((x) => x[0] < 11.5),
  30 * MINUTE,
);
export const ONLINE_SLOTS = slots(
  ONLINE_HOURLY.map((w, h): [number, number] => [h, w]),
  HOUR_MS,
);
