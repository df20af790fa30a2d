import { type LivePeriod, type LocalDate, MAX_PERIOD_DAYS, addDays, isLocalDate, livePeriodRange, localDateOf } from '@ioc/shared';
import { t } from '../i18n';

/**
 * Report periods for the period selector. Days are local days in
 * Asia/Ho_Chi_Minh whatever the browser's own time zone is: a leader in Paris
 * looking at "Hôm nay" at 01:00 UTC must see Vietnam's today.
 */
export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export const PERIOD_PRESETS = ['today', 'last7', 'last30', 'thisMonth', 'thisQuarter', 'thisYear'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** A preset's name in the current language: `last7` → "7 ngày" (en: "7 days"). */
export function periodLabel(preset: PeriodPreset): string {
  return t(`period.${preset}`, { ns: 'common' });
}

/** The live stream's rolling period for each preset; null would mean the preset is served by REST only. */
const LIVE_PERIODS: Readonly<Record<PeriodPreset, LivePeriod>> = {
  today: 'today',
  last7: '7d',
  last30: '30d',
  thisMonth: 'month',
  thisQuarter: 'quarter',
  thisYear: 'year',
};

export function livePeriodOf(preset: PeriodPreset): LivePeriod {
  return LIVE_PERIODS[preset];
}

export interface DateRange {
  from: LocalDate;
  to: LocalDate;
}

/** The local date (`YYYY-MM-DD`) in Asia/Ho_Chi_Minh at the instant `now`. */
export function vietnamDateOf(now: Date): LocalDate {
  return localDateOf(now.getTime());
}

/** Inclusive local date range of a preset, ending today in Vietnam (the live stream's own ranges). */
export function periodRange(preset: PeriodPreset, now: Date): DateRange {
  return livePeriodRange(LIVE_PERIODS[preset], now.getTime());
}

/** What the person picked: a preset, or their own dates (served by REST only, not live). */
export type PeriodChoice = { preset: PeriodPreset } | { preset: 'custom'; from: LocalDate; to: LocalDate };

export function choiceRange(choice: PeriodChoice, now: Date): DateRange {
  return choice.preset === 'custom' ? { from: choice.from, to: choice.to } : periodRange(choice.preset, now);
}

/** Days in an inclusive range. */
export function rangeDays(r: DateRange): number {
  return Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The period of the same length just before, to compare with: yesterday for today, the 7 days before for 7 days. */
export function previousRange(r: DateRange): DateRange {
  const days = rangeDays(r);
  return { from: addDays(r.from, -days), to: addDays(r.from, -1) };
}

/** The finest useful step of a trend over the range: hours for one day, days up to a quarter, else months. */
export function trendGrain(r: DateRange, hourlyFrom: LocalDate | null = null): 'hour' | 'day' | 'month' {
  const days = rangeDays(r);
  // Hour by hour where the server keeps hours (useHourlyKeptFrom), else by day.
  return days <= 2 && (hourlyFrom === null || r.from >= hourlyFrom) ? 'hour' : days <= 92 ? 'day' : 'month';
}

export function isPeriodPreset(s: string): s is PeriodPreset {
  return (PERIOD_PRESETS as readonly string[]).includes(s);
}

/**
 * The period a page opens on when its address names none: the current month,
 * except in a month's first week, when it holds too few days to read and the
 * last 7 days are shown instead. Both are whole working weeks or more, so they
 * have figures at any hour, on weekends and on holidays, where "today" shows an
 * empty morning until the offices open and a handful of dossiers after.
 */
export function defaultPeriod(now: Date, allowed: readonly PeriodPreset[] = PERIOD_PRESETS): PeriodPreset {
  const dayOfMonth = Number(vietnamDateOf(now).slice(8, 10));
  const wanted: PeriodPreset = dayOfMonth >= 8 ? 'thisMonth' : 'last7';
  return allowed.includes(wanted) ? wanted : (allowed[0] ?? 'last7');
}

/** The address's parameters that name a period: `period=last7`, or `period=custom&from=…&to=…`. */
export function periodParams(choice: PeriodChoice): { period: string; from: string | undefined; to: string | undefined } {
  return choice.preset === 'custom' ? { period: 'custom', from: choice.from, to: choice.to } : { period: choice.preset, from: undefined, to: undefined };
}

/**
 * The period an address names, or null when it names none the page offers (then
 * the page shows its default). Custom dates must be real dates, in order, not in
 * the future and within the longest period the API serves.
 */
export function parsePeriod(params: URLSearchParams, allowed: readonly PeriodPreset[], allowCustom: boolean, now: Date): PeriodChoice | null {
  const period = params.get('period');
  if (period === null) return null;
  if (isPeriodPreset(period)) return allowed.includes(period) ? { preset: period } : null;
  if (period !== 'custom' || !allowCustom) return null;
  const from = params.get('from');
  const to = params.get('to');
  if (from === null || to === null || !isLocalDate(from) || !isLocalDate(to)) return null;
  if (from > to || to > vietnamDateOf(now) || rangeDays({ from, to }) > MAX_PERIOD_DAYS) return null;
  return { preset: 'custom', from, to };
}
