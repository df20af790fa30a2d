import { DAY_MS, type LocalDate, VN_OFFSET_MS, addDays, localDateOf, startOfLocalDate } from '../time.js';

/** Office hours in Asia/Ho_Chi_Minh: the weekdays worked, the hours of each (minutes from midnight), and holidays. */
export interface WorkingCalendar {
  /** ISO weekdays worked: 1 = Monday … 7 = Sunday. */
  days: ReadonlySet<number>;
  ranges: readonly (readonly [number, number])[];
  holidays: ReadonlySet<LocalDate>;
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Vietnamese public offices: Monday to Friday, 07:30–11:30 and 13:30–17:00. */
export const DEFAULT_WORKING_HOURS = 'Mon-Fri 07:30-11:30,13:30-17:00';

/**
 * Parses `Mon-Fri 07:30-11:30,13:30-17:00` (days as a range or a comma list, then
 * time ranges) and a comma-separated list of holiday dates.
 */
export function parseWorkingCalendar(spec: string, holidays = ''): { ok: true; calendar: WorkingCalendar } | { ok: false; reason: string } {
  const m = /^\s*([A-Za-z,-]+)\s+([\d:,-]+)\s*$/.exec(spec);
  if (!m) return { ok: false, reason: `expected days and hours like "${DEFAULT_WORKING_HOURS}", got "${spec}"` };
  const days = new Set<number>();
  for (const part of m[1]!.toLowerCase().split(',')) {
    const [a, b] = part.split('-');
    const from = DAY_NAMES.indexOf(a ?? '');
    const to = b === undefined ? from : DAY_NAMES.indexOf(b);
    if (from < 0 || to < 0 || to < from) return { ok: false, reason: `"${part}" is not a day or a range of days (Mon … Sun)` };
    for (let d = from; d <= to; d++) days.add(d + 1);
  }
  const ranges: [number, number][] = [];
  for (const part of m[2]!.split(',')) {
    const r = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(part);
    const from = r ? Number(r[1]) * 60 + Number(r[2]) : NaN;
    const to = r ? Number(r[3]) * 60 + Number(r[4]) : NaN;
    if (!r || !(from < to) || to > 24 * 60) return { ok: false, reason: `"${part}" is not a time range like 07:30-11:30` };
    ranges.push([from, to]);
  }
  const hs = new Set<LocalDate>();
  for (const h of holidays
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h)) return { ok: false, reason: `holiday "${h}" is not a date YYYY-MM-DD` };
    hs.add(h);
  }
  return { ok: true, calendar: { days, ranges, holidays: hs } };
}

function isoWeekday(date: LocalDate): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function worked(cal: WorkingCalendar, date: LocalDate): boolean {
  return cal.days.has(isoWeekday(date)) && !cal.holidays.has(date);
}

export function isWorkingTime(cal: WorkingCalendar, ms: number): boolean {
  const date = localDateOf(ms);
  if (!worked(cal, date)) return false;
  const minute = Math.floor(((((ms + VN_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
  return cal.ranges.some(([a, b]) => minute >= a && minute < b);
}

/** Working minutes in [from, to), at most `capDays` days back from `to`. */
export function workingMinutesBetween(cal: WorkingCalendar, from: number, to: number, capDays = 31): number {
  if (to <= from) return 0;
  const start = Math.max(from, to - capDays * DAY_MS);
  let total = 0;
  for (let date = localDateOf(start); startOfLocalDate(date) < to; date = addDays(date, 1)) {
    if (!worked(cal, date)) continue;
    const day = startOfLocalDate(date);
    for (const [a, b] of cal.ranges) {
      const lo = Math.max(start, day + a * 60_000);
      const hi = Math.min(to, day + b * 60_000);
      if (hi > lo) total += hi - lo;
    }
  }
  return Math.floor(total / 60_000);
}

/** Working days (per the calendar) among the `n` local days ending the day before `date`. */
export function workingDaysBefore(cal: WorkingCalendar, date: LocalDate, n: number): number {
  let count = 0;
  for (let i = 1; i <= n; i++) if (worked(cal, addDays(date, -i))) count++;
  return count;
}

/**
 * Working minutes from any instant to one instant `to`, as workingMinutesBetween counts
 * them (at most `capDays` days back): the working intervals before `to` are listed once,
 * so measuring thousands of units costs a search each instead of a walk over the days.
 */
export function workingMinutesTo(cal: WorkingCalendar, to: number, capDays = 31): (from: number) => number {
  const earliest = to - capDays * DAY_MS;
  const intervals: { lo: number; hi: number }[] = [];
  for (let date = localDateOf(earliest); startOfLocalDate(date) < to; date = addDays(date, 1)) {
    if (!worked(cal, date)) continue;
    const day = startOfLocalDate(date);
    for (const [a, b] of cal.ranges) {
      const lo = Math.max(earliest, day + a * 60_000);
      const hi = Math.min(to, day + b * 60_000);
      if (hi > lo) intervals.push({ lo, hi });
    }
  }
  // By end: the intervals ending after an instant are a suffix.
  intervals.sort((x, y) => x.hi - y.hi);
  return (from) => {
    if (to <= from) return 0;
    const start = Math.max(from, earliest);
    let first = 0;
    let last = intervals.length;
    while (first < last) {
      const mid = (first + last) >> 1;
      if (intervals[mid]!.hi > start) last = mid;
      else first = mid + 1;
    }
    let total = 0;
    for (let i = first; i < intervals.length; i++) {
      const { lo, hi } = intervals[i]!;
      total += hi - Math.max(start, lo);
    }
    return Math.floor(total / 60_000);
  };
}
