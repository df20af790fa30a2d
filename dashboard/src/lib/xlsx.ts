import type { CellValue as ExcelCellValue, Worksheet } from 'exceljs';
import { type CsvColumn, cellText, saveBlob } from './csv';

/**
 * Excel workbooks of the dashboard's tables (exceljs, loaded only when a person
 * asks for one: it is ~1 MB). The same columns as the CSV, written as typed
 * cells: codes as text (00004 stays 00004), dates and times as real Excel dates
 * shown dd/mm/yyyy, figures as numbers with two decimals. Each sheet has a bold,
 * frozen header row with filters, and widths that fit its content; a first
 * sheet says what the workbook holds, for whom and when.
 */
export interface XlsxSheet<R> {
  name: string;
  columns: readonly CsvColumn<R>[];
  rows: readonly R[];
}

/** A sheet whose rows have been read: what the workbook writer needs, whatever the rows were. */
interface ReadSheet {
  name: string;
  columns: readonly Pick<CsvColumn<unknown>, 'header' | 'kind'>[];
  cells: CellValue[][];
}
type CellValue = ReturnType<CsvColumn<unknown>['value']>;

export function readSheet<R>(sheet: XlsxSheet<R>): ReadSheet {
  return { name: sheet.name, columns: sheet.columns, cells: sheet.rows.map((r) => sheet.columns.map((c) => c.value(r))) };
}

/** About the export: label and value pairs on the first sheet ("Phạm vi", "Hà Nội"). */
export interface XlsxAbout {
  title: string;
  sheetName: string;
  lines: readonly (readonly [string, string])[];
}

/**
 * A local date or a Vietnam local time as the Date exceljs writes: exceljs stores
 * the UTC fields as the serial day, so the local fields are put there.
 */
export function excelDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)));
}

/** The typed value of a cell and its Excel number format. */
export function excelCell(v: CellValue, kind: CsvColumn<unknown>['kind'] = 'number'): { value: ExcelCellValue; numFmt?: string } {
  const text = cellText(v, kind);
  if (text === '') return { value: null };
  switch (kind) {
    case 'date':
      return { value: excelDate(text) ?? text, numFmt: 'dd/mm/yyyy' };
    case 'datetime':
      return { value: excelDate(text) ?? text, numFmt: 'dd/mm/yyyy hh:mm:ss' };
    case 'text':
      return { value: text, numFmt: '@' };
    default:
      if (typeof v === 'number') return { value: v, numFmt: Number.isInteger(v) ? '#,##0' : '#,##0.00' };
      return { value: text };
  }
}

const HEADER_FILL = 'FF1F4E79';

function widthOf(v: ExcelCellValue, numFmt: string | undefined): number {
  if (v instanceof Date) return (numFmt ?? '').length + 2;
  return (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')).length + 2;
}

function writeSheet(ws: Worksheet, sheet: ReadSheet): void {
  const widths = sheet.columns.map((c) => Math.min(60, c.header.length + 2));
  const header = ws.addRow(sheet.columns.map((c) => c.header));
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
  header.alignment = { vertical: 'middle', wrapText: true };
  for (const cells of sheet.cells) {
    const row = ws.addRow([]);
    cells.forEach((v, i) => {
      const { value, numFmt } = excelCell(v, sheet.columns[i]?.kind);
      const cell = row.getCell(i + 1);
      cell.value = value;
      if (numFmt) cell.numFmt = numFmt;
      widths[i] = Math.min(60, Math.max(widths[i] ?? 8, widthOf(value, numFmt)));
    });
  }
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = Math.max(8, w)));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  if (sheet.columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, sheet.cells.length + 1), column: sheet.columns.length } };
}

/** Excel allows 31 characters and none of `[]:*?/\` in a sheet's name. */
export function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';
}

/** The workbook as bytes (an .xlsx file). */
export async function xlsxBytes(about: XlsxAbout, sheets: readonly ReadSheet[]): Promise<ArrayBuffer> {
  const { Workbook } = (await import('exceljs')).default;
  const wb = new Workbook();
  wb.creator = 'IOC';
  wb.created = new Date();
  const info = wb.addWorksheet(sheetName(about.sheetName));
  info.addRow([about.title]).font = { bold: true, size: 14 };
  info.addRow([]);
  for (const [label, value] of about.lines) info.addRow([label, value]).getCell(1).font = { bold: true };
  info.getColumn(1).width = Math.max(12, ...about.lines.map(([l]) => l.length + 2));
  info.getColumn(2).width = Math.min(80, Math.max(20, ...about.lines.map(([, v]) => v.length + 2)));
  for (const s of sheets) writeSheet(wb.addWorksheet(sheetName(s.name)), s);
  return wb.xlsx.writeBuffer();
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Builds the workbook and saves it through the browser's download. */
export async function downloadXlsx(fileName: string, about: XlsxAbout, sheets: readonly ReadSheet[]): Promise<void> {
  const bytes = await xlsxBytes(about, sheets);
  saveBlob(fileName, new Blob([bytes], { type: XLSX_TYPE }));
}
