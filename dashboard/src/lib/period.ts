import { type LivePeriod, type LocalDate, addDays, livePeriodRange, localDateOf } from '@ioc/shared';
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
export function trendGrain(r: DateRange): 'hour' | 'day' | 'month' {
  const days = rangeDays(r);
  return days <= 2 ? 'hour' : days <= 92 ? 'day' : 'month';
}

export function isPeriodPreset(s: string): s is PeriodPreset {
  return (PERIOD_PRESETS as readonly string[]).includes(s);
}
