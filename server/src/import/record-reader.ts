import { StringDecoder } from 'node:string_decoder';
import { type DossierRecord, MAX_RECORD_LINE_CHARS, RECORD_COLUMNS, RECORD_FIELDS } from '@ioc/shared';

export type ImportFormat = 'csv' | 'ndjson';

/** One line of the file: a record's fields as read (not yet validated), or why the line is unreadable. */
export type ReadLine = { line: number; raw: Record<string, unknown> } | { line: number; error: string; dossierId: string | null };

/** A problem with the file as a whole (the CSV header): nothing of it can be read. */
export class FileProblem extends Error {}

const COLUMN_BY_NAME = new Map(RECORD_COLUMNS.map((c) => [c.toLowerCase(), c]));
const REQUIRED = RECORD_COLUMNS.filter((c) => RECORD_FIELDS[c].required);

/**
 * Turns the text of an import, in pieces as they arrive, into lines of records:
 * physical lines are split here (CRLF or LF, a BOM dropped), a CSV field in quotes
 * may span lines (the record keeps the number of its first line), and a line longer
 * than MAX_RECORD_LINE_CHARS is reported instead of held in memory.
 */
export class RecordReader {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  /** Physical lines consumed so far. */
  private physical = 0;
  private overlong = false;
  private started = false;
  private columns: (keyof DossierRecord)[] | null = null;
  /** A CSV record whose quoted field continues on the next line, and the line it started on. */
  private open: { text: string; line: number } | null = null;

  constructor(private readonly format: ImportFormat) {}

  /** The lines completed by this piece of the file. */
  push(bytes: Buffer, out: ReadLine[]): void {
    let text = this.carry + this.decoder.write(bytes);
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
      const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.physical++;
      if (this.overlong) {
        this.overlong = false;
        out.push({ line: this.physical, error: `the line is longer than ${MAX_RECORD_LINE_CHARS.toLocaleString('en')} characters`, dossierId: null });
      } else this.line(text.slice(from, end), this.physical, out);
      from = nl + 1;
    }
    this.carry = text.slice(from);
    if (this.carry.length > MAX_RECORD_LINE_CHARS) {
      // Read on to the end of the line without keeping it.
      this.overlong = true;
      this.carry = '';
    }
  }

  /** The last line (without a final newline), and a quoted field never closed. */
  end(out: ReadLine[]): void {
    this.carry += this.decoder.end();
    if (this.carry.length > 0 || this.overlong) this.push(Buffer.from('\n'), out);
    if (this.open) {
      out.push({ line: this.open.line, error: 'a quoted field is never closed (a " is missing before the end of the file)', dossierId: null });
      this.open = null;
    }
    if (this.format === 'csv' && this.columns === null) throw new FileProblem('The file is empty: a CSV import starts with a header line naming its columns.');
  }

  /** The physical lines read so far (the last line of the file after end()). */
  get lines(): number {
    return this.physical;
  }

  private line(text: string, n: number, out: ReadLine[]): void {
    if (this.format === 'ndjson') {
      if (text.trim() === '') return;
      out.push(ndjsonLine(text, n));
      return;
    }
    if (this.open) {
      this.open.text += `\n${text}`;
      if (this.open.text.length > MAX_RECORD_LINE_CHARS) {
        out.push({ line: this.open.line, error: `the record is longer than ${MAX_RECORD_LINE_CHARS.toLocaleString('en')} characters`, dossierId: null });
        this.open = null;
        return;
      }
      if (quotesBalanced(this.open.text)) {
        const { text: whole, line } = this.open;
        this.open = null;
        this.csvRecord(whole, line, out);
      }
      return;
    }
    if (text.indexOf('"') !== -1 && !quotesBalanced(text)) {
      this.open = { text, line: n };
      return;
    }
    this.csvRecord(text, n, out);
  }

  private csvRecord(text: string, n: number, out: ReadLine[]): void {
    if (text.trim() === '') return;
    const cells = splitCsv(text);
    if (this.columns === null) {
      this.columns = header(cells);
      return;
    }
    const columns = this.columns;
    if (cells.length !== columns.length) {
      const idAt = columns.indexOf('dossierId');
      out.push({ line: n, error: `the line has ${cells.length} fields; the header has ${columns.length}`, dossierId: cells[idAt]?.trim() || null });
      return;
    }
    const raw: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const cell = cells[i]!;
      if (cell === '') continue;
      raw[columns[i]!] = csvValue(columns[i]!, cell);
    }
    out.push({ line: n, raw });
  }
}

/** An even number of quote characters: every quoted field that opened has closed (an escaped quote is two). */
function quotesBalanced(s: string): boolean {
  let n = 0;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) n++;
  return n % 2 === 0;
}

/** The fields of one CSV record (RFC 4180: quotes around a field, "" for a quote inside one). */
export function splitCsv(s: string): string[] {
  if (s.indexOf('"') === -1) return s.split(',');
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (s.charCodeAt(i) === 34) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q === -1) {
          v += s.slice(j);
          j = s.length;
          break;
        }
        v += s.slice(j, q);
        if (s.charCodeAt(q + 1) === 34) {
          v += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      const comma = s.indexOf(',', j);
      // Text between the closing quote and the comma is kept, as most readers do.
      v += s.slice(j, comma === -1 ? s.length : comma);
      cells.push(v);
      if (comma === -1) return cells;
      i = comma + 1;
    } else {
      const comma = s.indexOf(',', i);
      if (comma === -1) {
        cells.push(s.slice(i));
        return cells;
      }
      cells.push(s.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** The record field of each column; a header naming unknown, repeated or too few columns is a problem of the whole file. */
function header(cells: string[]): (keyof DossierRecord)[] {
  const columns: (keyof DossierRecord)[] = [];
  const unknown: string[] = [];
  for (const c of cells) {
    const col = COLUMN_BY_NAME.get(c.trim().toLowerCase());
    if (col === undefined) unknown.push(c.trim());
    else if (columns.includes(col)) throw new FileProblem(`The CSV header names the column ${col} twice.`);
    else columns.push(col);
  }
  if (unknown.length > 0) {
    throw new FileProblem(
      `The CSV header names unknown column(s): ${unknown
        .slice(0, 5)
        .map((u) => JSON.stringify(u.slice(0, 40)))
        .join(', ')}. The columns are: ${RECORD_COLUMNS.join(', ')}.`,
    );
  }
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new FileProblem(`The CSV header lacks the required column(s): ${missing.join(', ')}.`);
  return columns;
}

/** A CSV cell as the record's value: booleans true/false (or 1/0), counts as numbers; anything else stays text for validation to judge. */
function csvValue(column: keyof DossierRecord, cell: string): unknown {
  switch (RECORD_FIELDS[column].kind) {
    case 'boolean': {
      const v = cell.trim().toLowerCase();
      return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : cell;
    }
    case 'count':
      return /^\s*\d{1,9}\s*$/.test(cell) ? Number(cell) : cell;
    default:
      return cell;
  }
}

function ndjsonLine(text: string, n: number): ReadLine {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { line: n, error: `the line is not valid JSON (${(e as Error).message})`, dossierId: null };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { line: n, error: 'the line must be one JSON object (a record)', dossierId: null };
  // Exports often write an absent value as null.
  const raw = v as Record<string, unknown>;
  for (const k of Object.keys(raw)) if (raw[k] === null) delete raw[k];
  return { line: n, raw };
}
