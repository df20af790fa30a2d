/**
 * Local time for Vietnam: Asia/Ho_Chi_Minh is UTC+7 all year (no DST since 1975),
 * so bucketing is fixed-offset arithmetic on epoch milliseconds.
 */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const VN_OFFSET_MS = 7 * 3_600_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;
export type Grain = 'hour' | 'day' | 'month';
export const GRAINS: readonly Grain[] = ['hour', 'day', 'month'];

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Epoch ms of local midnight at the start of `date`. */
export function startOfLocalDate(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  if (!m || !isLocalDate(date)) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - VN_OFFSET_MS;
}

/**
 * Per local day (its number since the epoch): its date and the start of its month.
 * Both are asked for millions of times while folding a history, for a few thousand
 * days; kept, they cost no Date and no string each time.
 */
const DAY_DATES = new Map<number, LocalDate>();
const DAY_MONTHS = new Map<number, number>();
/** Days of years 1900–2200 are kept; others (never in real data) are computed each time. */
const KEEP_DAYS = { min: -25_567, max: 84_006 };

/** Local date of an instant. */
export function localDateOf(ms: number): LocalDate {
  const day = Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
  let date = DAY_DATES.get(day);
  if (date === undefined) {
    date = new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10);
    if (day >= KEEP_DAYS.min && day <= KEEP_DAYS.max) DAY_DATES.set(day, date);
  }
  return date;
}

/** Local `YYYY-MM-DDTHH:mm` of an instant (for labels). */
export function localDateTimeOf(ms: number): string {
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 16);
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return localDateOf(startOfLocalDate(date) + n * DAY_MS);
}

/** Local hour of day (0–23) of an instant. */
export function localHourOf(ms: number): number {
  return new Date(ms + VN_OFFSET_MS).getUTCHours();
}

/** Local day of week of an instant, 0 = Sunday. */
export function localWeekdayOf(ms: number): number {
  return new Date(ms + VN_OFFSET_MS).getUTCDay();
}

/** Epoch ms where the local bucket of `grain` containing `ms` starts. */
export function bucketStart(ms: number, grain: Grain): number {
  const shifted = ms + VN_OFFSET_MS;
  switch (grain) {
    case 'hour':
      return Math.floor(shifted / HOUR_MS) * HOUR_MS - VN_OFFSET_MS;
    case 'day':
      return Math.floor(shifted / DAY_MS) * DAY_MS - VN_OFFSET_MS;
    case 'month': {
      const day = Math.floor(shifted / DAY_MS);
      let start = DAY_MONTHS.get(day);
      if (start === undefined) {
        const d = new Date(shifted);
        start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - VN_OFFSET_MS;
        if (day >= KEEP_DAYS.min && day <= KEEP_DAYS.max) DAY_MONTHS.set(day, start);
      }
      return start;
    }
  }
}

/** Epoch ms where the bucket after the one starting at `start` starts. */
export function nextBucket(start: number, grain: Grain): number {
  switch (grain) {
    case 'hour':
      return start + HOUR_MS;
    case 'day':
      return start + DAY_MS;
    case 'month': {
      const d = new Date(start + VN_OFFSET_MS);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - VN_OFFSET_MS;
    }
  }
}

/** Bucket starts of `grain` covering [from, to). */
export function bucketsBetween(from: number, to: number, grain: Grain): number[] {
  const out: number[] = [];
  for (let b = bucketStart(from, grain); b < to; b = nextBucket(b, grain)) out.push(b);
  return out;
}

/**
 * Hour-by-hour figures are kept for the local day of `now` and the `days` days
 * before it (KPI_HOURLY_RETENTION_DAYS); older periods are read by day. The first
 * instant kept, or -Infinity when `days` is 0 (kept for ever).
 */
export function hourlyKeptFrom(now: number, days: number): number {
  return days > 0 ? bucketStart(now, 'day') - days * DAY_MS : Number.NEGATIVE_INFINITY;
}

/** The fewest days of hourly figures a retention may keep: the surge alert compares this hour with the same hour of the 4 weeks before. */
export const MIN_HOURLY_RETENTION_DAYS = 29;
