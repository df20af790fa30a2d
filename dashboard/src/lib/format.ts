import type { LocalDate } from '@ioc/shared';
import { VN_TIME_ZONE } from './period';

/** Shown wherever a value does not exist (zero denominator), never 0%. */
export const NO_VALUE = '—';

const LOCALE = 'vi-VN';

const twoDecimals = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const wholePercent = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

function isNumber(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** `52.3` → `"52,30%"`; null → `"—"`. The value is already a percentage. */
export function formatPercent(value: number | null | undefined): string {
  return isNumber(value) ? `${twoDecimals.format(value)}%` : NO_VALUE;
}

/** `85.123` → `"85,12"`; null → `"—"`. */
export function formatDecimal(value: number | null | undefined): string {
  return isNumber(value) ? twoDecimals.format(value) : NO_VALUE;
}

/** `1234` → `"1.234"`. */
export function formatCount(value: number | null | undefined): string {
  return isNumber(value) ? integer.format(value) : NO_VALUE;
}

/** `(1234, 2360)` → `["1.234 /", "2.360 hồ sơ"]`: the two halves a line may break between. */
export function formatRatioParts(numerator: number, denominator: number): [string, string] {
  return [`${formatCount(numerator)} /`, `${formatCount(denominator)} hồ sơ`];
}

/** `(1234, 2360)` → `"1.234 / 2.360 hồ sơ"`. */
export function formatRatio(numerator: number, denominator: number): string {
  return formatRatioParts(numerator, denominator).join(' ');
}

/** A 0..1 fraction as a whole percent: `0.423` → `"42%"`; null → `"—"`. */
export function formatProgress(fraction: number | null | undefined): string {
  return isNumber(fraction) ? `${wholePercent.format(Math.min(1, Math.max(0, fraction)) * 100)}%` : NO_VALUE;
}

/** `"2025-11-21"` → `"21/11/2025"` (pure string work, no time zone). */
export function formatLocalDate(date: LocalDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

/** `("2025-11-15", "2025-11-21")` → `"15/11/2025 – 21/11/2025"`; one day → `"21/11/2025"`. */
export function formatDateRange(from: LocalDate, to: LocalDate): string {
  return from === to ? formatLocalDate(from) : `${formatLocalDate(from)} – ${formatLocalDate(to)}`;
}

const dateTimeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: VN_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * An instant as Vietnam local time: `"2025-11-21T07:05:09Z"` →
 * `"14:05:09 ngày 21/11/2025"`. Invalid input → `"—"`.
 */
export function formatInstant(instant: string | number | Date): string {
  const d = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(d.getTime())) return NO_VALUE;
  const p: Record<string, string> = {};
  for (const part of dateTimeParts.formatToParts(d)) p[part.type] = part.value;
  return `${p.hour}:${p.minute}:${p.second} ngày ${p.day}/${p.month}/${p.year}`;
}

/** Vietnam local clock time only: `"14:05:09"`. */
export function formatClock(instant: string | number | Date): string {
  const full = formatInstant(instant);
  return full === NO_VALUE ? full : full.slice(0, 8);
}

/** Vietnam local hour and minute: `"14:05"`. */
export function formatHourMinute(instant: string | number | Date): string {
  const full = formatInstant(instant);
  return full === NO_VALUE ? full : full.slice(0, 5);
}
