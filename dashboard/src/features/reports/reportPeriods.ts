import { type LocalDate, addDays } from '@ioc/shared';

export interface ReportPeriod {
  from: LocalDate;
  to: LocalDate;
}

export type PeriodOption = 'lastMonth' | 'thisMonth' | 'lastQuarter' | 'custom';

/** The month before `today`'s: what the scheduled monthly report of the 1st covers. */
export function lastMonth(today: LocalDate): ReportPeriod {
  const to = addDays(`${today.slice(0, 8)}01`, -1);
  return { from: `${to.slice(0, 8)}01`, to };
}

/** From the 1st of `today`'s month to `today`. */
export function thisMonth(today: LocalDate): ReportPeriod {
  return { from: `${today.slice(0, 8)}01`, to: today };
}

/** The quarter before `today`'s. */
export function lastQuarter(today: LocalDate): ReportPeriod {
  const m = Number(today.slice(5, 7));
  const start = `${today.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
  const to = addDays(start, -1);
  return { from: `${to.slice(0, 4)}-${String(Number(to.slice(5, 7)) - 2).padStart(2, '0')}-01`, to };
}

export function presetPeriod(option: Exclude<PeriodOption, 'custom'>, today: LocalDate): ReportPeriod {
  return option === 'lastMonth' ? lastMonth(today) : option === 'thisMonth' ? thisMonth(today) : lastQuarter(today);
}

/** `1 234 567` bytes → `"1,2 MB"` in the given locale. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}
