import { type LivePeriod, type LocalDate, addDays, localDateOf } from '@ioc/shared';

/**
 * Report periods for the period selector. Days are local days in
 * Asia/Ho_Chi_Minh whatever the browser's own time zone is: a leader in Paris
 * looking at "Hôm nay" at 01:00 UTC must see Vietnam's today.
 */
export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export const PERIOD_PRESETS = ['today', 'last7', 'last30', 'thisMonth'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export const PERIOD_LABELS: Readonly<Record<PeriodPreset, string>> = {
  today: 'Hôm nay',
  last7: '7 ngày',
  last30: '30 ngày',
  thisMonth: 'Tháng này',
};

/** The live stream's rolling period for each preset; null would mean the preset is served by REST only. */
const LIVE_PERIODS: Readonly<Record<PeriodPreset, LivePeriod | null>> = {
  today: 'today',
  last7: '7d',
  last30: '30d',
  thisMonth: 'month',
};

export function livePeriodOf(preset: PeriodPreset): LivePeriod | null {
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

/** Inclusive local date range of a preset, ending today in Vietnam. */
export function periodRange(preset: PeriodPreset, now: Date): DateRange {
  const today = vietnamDateOf(now);
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'thisMonth':
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

export function isPeriodPreset(s: string): s is PeriodPreset {
  return (PERIOD_PRESETS as readonly string[]).includes(s);
}
