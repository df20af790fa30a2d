import type { LocalDate } from '@ioc/shared';
import { currentLocale, t } from '../i18n';
import { VN_TIME_ZONE } from './period';

/**
 * Numbers and dates in the current language's formats (`vi-VN`: "52,30%",
 * "1.234"; `en-GB`: "52.30%", "1,234"; both "21/11/2025"), read at every call so
 * a switch of language shows at the next render. Times are always Vietnam's.
 */

/** Shown wherever a value does not exist (zero denominator), never 0%. */
export const NO_VALUE = '—';

interface NumberFormats {
  twoDecimals: Intl.NumberFormat;
  integer: Intl.NumberFormat;
  wholePercent: Intl.NumberFormat;
}

const numberFormats = new Map<string, NumberFormats>();

function numbers(): NumberFormats {
  const locale = currentLocale();
  let f = numberFormats.get(locale);
  if (!f) {
    f = {
      twoDecimals: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      integer: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
      wholePercent: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
    };
    numberFormats.set(locale, f);
  }
  return f;
}

function isNumber(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** `52.3` → `"52,30%"` (en: `"52.30%"`); null → `"—"`. The value is already a percentage. */
export function formatPercent(value: number | null | undefined): string {
  return isNumber(value) ? `${numbers().twoDecimals.format(value)}%` : NO_VALUE;
}

/** `85.123` → `"85,12"` (en: `"85.12"`); null → `"—"`. */
export function formatDecimal(value: number | null | undefined): string {
  return isNumber(value) ? numbers().twoDecimals.format(value) : NO_VALUE;
}

/** `1234` → `"1.234"` (en: `"1,234"`). */
export function formatCount(value: number | null | undefined): string {
  return isNumber(value) ? numbers().integer.format(value) : NO_VALUE;
}

/** `(1234, 2360)` → `["1.234 /", "2.360 hồ sơ"]` (en: `["1,234 /", "2,360 dossiers"]`): the two halves a line may break between. */
export function formatRatioParts(numerator: number, denominator: number): [string, string] {
  return [`${formatCount(numerator)} /`, t('format.dossiers', { ns: 'common', count: denominator, n: formatCount(denominator) })];
}

/** `(1234, 2360)` → `"1.234 / 2.360 hồ sơ"`. */
export function formatRatio(numerator: number, denominator: number): string {
  return formatRatioParts(numerator, denominator).join(' ');
}

/** A 0..1 fraction as a whole percent: `0.423` → `"42%"`; null → `"—"`. */
export function formatProgress(fraction: number | null | undefined): string {
  return isNumber(fraction) ? `${numbers().wholePercent.format(Math.min(1, Math.max(0, fraction)) * 100)}%` : NO_VALUE;
}

/** `"2025-11-21"` → `"21/11/2025"` in both languages (pure string work, no time zone). */
export function formatLocalDate(date: LocalDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

/** `("2025-11-15", "2025-11-21")` → `"15/11/2025 – 21/11/2025"`; one day → `"21/11/2025"`. */
export function formatDateRange(from: LocalDate, to: LocalDate): string {
  return from === to ? formatLocalDate(from) : `${formatLocalDate(from)} – ${formatLocalDate(to)}`;
}

// Digits only, so one formatter serves every language: the words around them come from the texts.
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

interface VietnamTime {
  clock: string;
  date: string;
}

function vietnamTimeOf(instant: string | number | Date): VietnamTime | null {
  const d = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(d.getTime())) return null;
  const p: Record<string, string> = {};
  for (const part of dateTimeParts.formatToParts(d)) p[part.type] = part.value;
  return { clock: `${p.hour}:${p.minute}:${p.second}`, date: `${p.day}/${p.month}/${p.year}` };
}

/**
 * An instant as Vietnam local time: `"2025-11-21T07:05:09Z"` →
 * `"14:05:09 ngày 21/11/2025"` (en: `"14:05:09 on 21/11/2025"`). Invalid input → `"—"`.
 */
export function formatInstant(instant: string | number | Date): string {
  const v = vietnamTimeOf(instant);
  return v ? t('format.instant', { ns: 'common', time: v.clock, date: v.date }) : NO_VALUE;
}

/** Vietnam local clock time only: `"14:05:09"`. */
export function formatClock(instant: string | number | Date): string {
  return vietnamTimeOf(instant)?.clock ?? NO_VALUE;
}

/** Vietnam local hour and minute: `"14:05"`. */
export function formatHourMinute(instant: string | number | Date): string {
  return vietnamTimeOf(instant)?.clock.slice(0, 5) ?? NO_VALUE;
}
