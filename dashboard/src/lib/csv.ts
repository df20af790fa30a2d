import { VN_OFFSET_MS } from '@ioc/shared';

/**
 * Exports of the dashboard's tables, as CSV and as Excel workbooks (lib/xlsx),
 * from one description of the columns.
 *
 * CSV: UTF-8 with a byte-order mark so Excel shows Vietnamese diacritics, CRLF
 * line ends (RFC 4180), figures as plain numbers with a dot decimal (one value per
 * cell, whatever the screen's language), so a spreadsheet can compute with them.
 * Each column says how a spreadsheet must read it:
 * - `number` (default): as written;
 * - `text`: codes such as 00004 (a commune) or 01 (a province). Excel would read
 *   digits as a number and drop the leading zeros, so digit-only codes are written
 *   as the formula `="00004"`, whose value is the text itself (Excel and
 *   LibreOffice show 00004); other text is written as is;
 * - `date`: a local date, ISO `2025-11-21`, which Excel reads as a date;
 * - `datetime`: an instant, written as Vietnam's local time `2025-11-21 14:05:09`,
 *   which Excel reads as a date and time (an ISO instant with `Z` it would not).
 */
export type CellValue = string | number | null | undefined;
export type ColumnKind = 'number' | 'text' | 'date' | 'datetime';

export interface CsvColumn<R> {
  header: string;
  value: (row: R) => CellValue;
  kind?: ColumnKind;
}

const BOM = '\uFEFF';

/** `"2025-11-21T07:05:09Z"` → `"2025-11-21 14:05:09"` (Vietnam's time); not an instant → null. */
export function vietnamDateTime(instant: string | number): string | null {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return Number.isNaN(ms) ? null : new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** A value as the column's kind has it written: dates and instants as Excel reads them. */
export function cellText(v: CellValue, kind: ColumnKind = 'number'): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    return kind === 'datetime' ? (vietnamDateTime(v) ?? '') : String(v);
  }
  if (kind === 'datetime') return vietnamDateTime(v) ?? v;
  return v;
}

function quote(s: string): string {
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function cell(v: CellValue, kind: ColumnKind = 'number'): string {
  const s = cellText(v, kind);
  if (s === '') return '';
  // Digits only: nothing a formula could run, and `="…"` keeps them as text.
  if (kind === 'text' && /^\d+$/.test(s)) return quote(`="${s}"`);
  // Quote what would break the row, and defuse what a spreadsheet would run as a formula.
  if (typeof v === 'string' && kind !== 'date' && kind !== 'datetime' && /^[=+\-@\t\r]/.test(s)) return quote(`'${s}`);
  return quote(s);
}

export function toCsv<R>(columns: readonly CsvColumn<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => cell(c.header, 'text')).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value(r), c.kind)).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** `ioc-xep-hang-province-01-2026-11-01_2026-11-21`: a name that says what and when, safe on every file system. */
export function exportBaseName(...parts: string[]): string {
  const name = parts
    .join('-')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `ioc-${name}`;
}

/** `ioc-xep-hang-province-01-2026-11-01_2026-11-21.csv`. */
export function csvFileName(...parts: string[]): string {
  return `${exportBaseName(...parts)}.csv`;
}

/** Saves a file through the browser's download. */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Saves the CSV through the browser's download. */
export function downloadCsv<R>(fileName: string, columns: readonly CsvColumn<R>[], rows: readonly R[]): void {
  saveBlob(fileName, new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }));
}
