/**
 * CSV exports of the dashboard's tables: UTF-8 with a byte-order mark so Excel
 * shows Vietnamese diacritics, CRLF line ends (RFC 4180), and figures as plain
 * numbers with a dot decimal (one value per cell, whatever the screen's language),
 * so a spreadsheet can compute with them.
 */
export interface CsvColumn<R> {
  header: string;
  value: (row: R) => string | number | null | undefined;
}

const BOM = '\uFEFF';

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  // Quote what would break the row, and what a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n;]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv<R>(columns: readonly CsvColumn<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value(r))).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** `ioc-xep-hang-province-01-2026-11-01_2026-11-21.csv`: a name that says what and when, safe on every file system. */
export function csvFileName(...parts: string[]): string {
  const name = parts
    .join('-')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `ioc-${name}.csv`;
}

/** Saves the CSV through the browser's download. */
export function downloadCsv<R>(fileName: string, columns: readonly CsvColumn<R>[], rows: readonly R[]): void {
  const blob = new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
