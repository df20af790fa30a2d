import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { type ImportLineError, type ImportResponse, MAX_IMPORT_BYTES, MAX_IMPORT_ERRORS_LISTED } from '@ioc/shared';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AppError, ErrorCode, badRequest } from '../common/app-error.js';
import type { IngestSource } from '../auth/auth.types.js';
import { ChangeFeed } from '../ingest/change-feed.js';
import { UnitsService } from '../units/units.service.js';
import { type ImportResult, runImport } from './importer.js';
import { FileProblem, type ImportFormat } from './record-reader.js';
import { databaseUrlOf } from '../database/data-source.js';

/** The body's media types, and the format each means. */
const FORMATS: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** What a request body is, from its headers: the format and whether it is gzipped; 415 for anything else. */
export function bodyFormat(contentType: string | undefined, contentEncoding: string | undefined): { format: ImportFormat; gzip: boolean } {
  const [type = '', ...params] = (contentType ?? '').split(';').map((p) => p.trim());
  const format = FORMATS[type.toLowerCase()];
  if (!contentType)
    throw new AppError(ErrorCode.UnsupportedMediaType, 'The request has no Content-Type: send the file as text/csv (with a header line) or application/x-ndjson (one JSON record per line).');
  if (format === undefined) {
    throw new AppError(ErrorCode.UnsupportedMediaType, `An import is sent as text/csv (with a header line) or application/x-ndjson (one JSON record per line); got "${contentType.slice(0, 100)}".`);
  }
  const charset = params.map((p) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(p)?.[1]).find((c) => c !== undefined);
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new AppError(ErrorCode.UnsupportedMediaType, `An import must be UTF-8 text; charset "${charset.slice(0, 40)}" is not supported.`);
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip')
    throw new AppError(ErrorCode.UnsupportedMediaType, `Content-Encoding "${encoding.slice(0, 40)}" is not supported: send the file as it is, or gzip-compressed (Content-Encoding: gzip).`);
  return { format, gzip: encoding === 'gzip' };
}

/**
 * The streaming import endpoint's work: the body is read as it arrives (never held
 * whole), through gunzip when compressed, and imported chunk by chunk as the CLI
 * does, on a connection of its own. Bad lines are answered with their line
 * numbers; a body that is not an import at all is a 4xx with a sentence.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly changes: ChangeFeed,
  ) {}

  async importBody(body: Readable, headers: { contentType?: string; contentEncoding?: string; contentLength?: string }, source: IngestSource): Promise<ImportResponse> {
    const { format, gzip } = bodyFormat(headers.contentType, headers.contentEncoding);
    if (headers.contentLength !== undefined && Number(headers.contentLength) > MAX_IMPORT_BYTES) {
      throw new AppError(
        ErrorCode.PayloadTooLarge,
        `An import may be at most ${MB(MAX_IMPORT_BYTES)}; this one is ${MB(Number(headers.contentLength))}. Split the file and send the parts one after the other.`,
      );
    }
    const input = gzip ? body.pipe(createGunzip()) : body;
    if (gzip) body.on('error', (e) => input.destroy(e));
    // The importer's reading sees a broken body as an error; a late one (after it stopped reading) is no crash.
    input.on('error', () => undefined);
    const errors: ImportLineError[] = [];
    let errorsTruncated = false;
    const client = new pg.Client({ connectionString: databaseUrlOf(this.db), application_name: 'ioc-import' });
    // A connection lost mid-import fails the import's own query (503); it must never reach the process as an unhandled 'error'.
    client.on('error', () => undefined);
    await client.connect();
    let r: ImportResult;
    try {
      r = await runImport(client, input, {
        format,
        source,
        units: this.units,
        maxBytes: MAX_IMPORT_BYTES,
        onCommitted: () => this.changes.appended(),
        onErrors: (list) => {
          for (const e of list) {
            if (errors.length < MAX_IMPORT_ERRORS_LISTED) errors.push(e);
            else errorsTruncated = true;
          }
        },
      });
    } catch (e) {
      throw inputProblem(e) ?? e;
    } finally {
      await client.end().catch(() => undefined);
    }
    const answer: ImportResponse = {
      records: r.records,
      imported: r.imported,
      duplicates: r.duplicates,
      conflicts: r.conflicts,
      rejected: r.rejected,
      seconds: Math.round(r.seconds * 1000) / 1000,
      errors,
      errorsTruncated,
    };
    if (r.tooLarge) {
      throw new AppError(
        ErrorCode.PayloadTooLarge,
        `An import may be at most ${MB(MAX_IMPORT_BYTES)} (uncompressed). The lines up to line ${r.linesDone.toLocaleString('en')} were imported ` +
          `(${r.imported} imported, ${r.duplicates} duplicates, ${r.conflicts} conflicts, ${r.rejected} rejected); send the rest of the file as another import.`,
        answer,
      );
    }
    if (r.records === 0 && r.linesDone === 0) throw badRequest('The body holds no records: send one dossier record per line.');
    return answer;
  }
}

/** A failure that lies in the body sent (a broken header, broken gzip), as a 400; null for anything else. */
function inputProblem(e: unknown): AppError | null {
  if (e instanceof FileProblem) return badRequest(`Nothing was imported: ${e.message}`);
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return badRequest(
      'The body is not valid gzip (Content-Encoding: gzip): it could not be decompressed. Records before the broken part may have been imported; send the file again (stored records count as duplicates).',
    );
  }
  return null;
}
