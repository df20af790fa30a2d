import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { appendFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ImportLineError } from '@ioc/shared';
import type pg from 'pg';
import { type ImportCounts, type ImportResult, type ImportSource, type UnitDirectory, runImport } from './importer.js';
import type { ImportFormat } from './record-reader.js';

export interface FileImportOptions {
  source: ImportSource;
  units: UnitDirectory;
  /** Else from the name: .csv, .ndjson or .jsonl, each optionally .gz. */
  format?: ImportFormat;
  chunkLines?: number;
  /** Import the file again from its first line, although a job for it finished or stopped. */
  restart?: boolean;
  stopAfterChunks?: number;
  onProgress?: (p: { bytes: number; totalBytes: number; lines: number; counts: ImportCounts }) => void;
}

export interface FileImportResult extends ImportResult {
  file: string;
  /** Where the bad lines are listed (null when there were none). */
  errorsFile: string | null;
}

/** The format a file's name says, or null. */
export function formatOfName(path: string): ImportFormat | null {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  return null;
}

/** SHA-256 of the file's bytes: the job's key, so a re-run of the same content resumes it. */
export async function contentHash(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const b of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(b as Buffer);
  return h.digest('hex');
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Imports a file of dossier records (the CLI): a job keyed by the file's content
 * hash, so a re-run after an interruption resumes after the last committed line;
 * bad lines are listed in `<file>.errors.csv` (line, dossierId, status, reason),
 * appended to when a run resumes.
 */
export async function importFile(client: pg.Client, path: string, o: FileImportOptions): Promise<FileImportResult> {
  const format = o.format ?? formatOfName(path);
  if (format === null) throw new Error(`cannot tell the format of ${path} from its name: use --format csv or --format ndjson`);
  const totalBytes = (await stat(path)).size;
  const hash = await contentHash(path);
  const errorsFile = `${path}.errors.csv`;
  let errorsWritten = 0;
  let fresh = true;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = path.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => input.destroy(e));
  input.on('error', () => undefined);
  let lastCounts: ImportCounts = { records: 0, imported: 0, duplicates: 0, conflicts: 0, rejected: 0 };
  const writeErrors = async (errors: readonly ImportLineError[]) => {
    const text = errors.map((e) => [String(e.line), e.dossierId ?? '', e.status, e.reason].map(csvCell).join(',')).join('\n') + '\n';
    if (errorsWritten === 0 && (fresh || !existsSync(errorsFile))) await writeFile(errorsFile, `line,dossierId,status,reason\n${text}`);
    else await appendFile(errorsFile, text);
    errorsWritten += errors.length;
  };
  const result = await runImport(client, input, {
    format,
    source: o.source,
    units: o.units,
    chunkLines: o.chunkLines,
    stopAfterChunks: o.stopAfterChunks,
    progressOf: () => (totalBytes > 0 ? raw.bytesRead / totalBytes : null),
    job: { hash, fileName: basename(path), restart: o.restart },
    onStart: async ({ resumedAfter }) => {
      fresh = resumedAfter === 0;
      // The list of an earlier, finished run would be mistaken for this one's.
      if (fresh) await rm(errorsFile, { force: true });
    },
    onErrors: writeErrors,
    onProgress: (p) => {
      lastCounts = p;
      o.onProgress?.({ bytes: raw.bytesRead, totalBytes, lines: p.lines, counts: lastCounts });
    },
  });
  raw.destroy();
  const anyErrors = errorsWritten > 0 || (!fresh && existsSync(errorsFile));
  return { ...result, file: path, errorsFile: anyErrors && !result.alreadyDone ? errorsFile : result.alreadyDone && existsSync(errorsFile) ? errorsFile : null };
}
