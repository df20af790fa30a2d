import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gzipSync } from 'node:zlib';
import { MAX_BATCH_BYTES } from '@ioc/shared';
import { fsyncDir } from './durable.js';
import type { RejectedEntry, SegmentKind, Spool } from './spool.js';

/** A request body stays this far under the server's 5 MB, so a batch is never refused for its size. */
const EVENT_BODY_BYTES = Math.floor(MAX_BATCH_BYTES * 0.9);
/** Dossier records per import request: progress over a weak link is kept a few MB at a time. */
const RECORD_LINES = 20_000;
const RECORD_BYTES = 16 * 1024 * 1024;

export type FileFormat = 'ndjson' | 'csv';

/** The format of an exported file by its name, or null for files the relay leaves alone. */
export function formatOfName(name: string): FileFormat | null {
  if (name.startsWith('.') || /(\.part|\.partial|\.tmp|~)$/i.test(name)) return null;
  if (/\.(ndjson|jsonl)(\.gz)?$/i.test(name)) return 'ndjson';
  if (/\.csv(\.gz)?$/i.test(name)) return 'csv';
  return null;
}

function lines(path: string): AsyncIterable<string> {
  const raw = createReadStream(path);
  const input: Readable = /\.gz$/i.test(path) ? raw.pipe(createGunzip()) : raw;
  // A broken gzip stream fails the read of the lines, not the process.
  raw.on('error', (e) => input.destroy(e));
  return createInterface({ input, crlfDelay: Infinity });
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

export interface IntakeResult {
  kind: SegmentKind | null;
  items: number;
  segments: number;
  badLines: number;
  alreadySpooled: boolean;
}

/**
 * Takes one exported file into the spool: cuts it into segments (one request each),
 * writes them durably, records the file in the journal, and only then removes it from
 * the watched folder. Killed anywhere in between, the file is still in the folder
 * and is taken again; its segments keep their keys (the file's hash and the part
 * number), so parts already queued or acknowledged are not queued twice.
 */
export async function spoolFile(spool: Spool, watchDir: string, name: string, batchSize: number): Promise<IntakeResult> {
  const path = join(watchDir, name);
  const format = formatOfName(name)!;
  const hash = (await sha256(path)).slice(0, 16);
  const result: IntakeResult = { kind: null, items: 0, segments: 0, badLines: 0, alreadySpooled: false };
  if (spool.journal.files.has(hash)) {
    result.alreadySpooled = true;
    await unlink(path);
    await fsyncDir(watchDir);
    return result;
  }
  const now = Date.now();
  const parts: { key: string; count: number; firstLine: number }[] = [];
  const bad: RejectedEntry[] = [];
  let part = 0;
  const flush = async (kind: SegmentKind, body: string, count: number, firstLine: number) => {
    const key = `${hash}p${String(part++).padStart(5, '0')}`;
    parts.push({ key, count, firstLine });
    result.segments++;
    result.items += count;
    if (!spool.known(key)) await spool.add({ key, kind, count, spooledAt: now }, gzipSync(body));
  };

  let kind: SegmentKind | null = format === 'csv' ? 'records-csv' : null;
  let header: string | null = null;
  let chunk: string[] = [];
  let chunkBytes = 0;
  let chunkCount = 0;
  let chunkFirst = 0;
  let lineNo = 0;
  for await (const raw of lines(path)) {
    lineNo++;
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (format === 'csv' && header === null) {
      if (line === '') continue;
      header = line;
      continue;
    }
    if (kind === null) {
      // An NDJSON file is events or dossier records, told apart by its first object: events carry an eventId.
      if (line === '') continue;
      let first: unknown;
      try {
        first = JSON.parse(line);
      } catch {
        first = null;
      }
      kind = first !== null && typeof first === 'object' && !Array.isArray(first) && 'eventId' in first ? 'events' : 'records-ndjson';
    }
    if (kind === 'events') {
      if (line === '') continue;
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch {
        event = undefined;
      }
      if (event === null || typeof event !== 'object' || Array.isArray(event)) {
        bad.push({ at: new Date().toISOString(), source: name, status: 'rejected', reason: `line ${lineNo} is not a JSON object: ${line.slice(0, 80)}`, line: lineNo });
        result.badLines++;
        continue;
      }
      const bytes = Buffer.byteLength(line) + 1;
      if (chunkCount >= batchSize || (chunkCount > 0 && chunkBytes + bytes > EVENT_BODY_BYTES)) {
        await flush('events', `{"events":[${chunk.join(',')}]}`, chunkCount, chunkFirst);
        chunk = [];
        chunkBytes = 0;
        chunkCount = 0;
      }
      if (chunkCount === 0) chunkFirst = lineNo;
      chunk.push(line);
      chunkBytes += bytes;
      chunkCount++;
    } else {
      // Record lines keep their blank lines, so the server's line numbers map back onto the file.
      if (chunkCount >= RECORD_LINES || chunkBytes > RECORD_BYTES) {
        await flush(kind, recordBody(kind, header, chunk), chunkCount, chunkFirst);
        chunk = [];
        chunkBytes = 0;
        chunkCount = 0;
      }
      if (chunk.length === 0) chunkFirst = lineNo;
      chunk.push(line);
      chunkBytes += Buffer.byteLength(line) + 1;
      if (line !== '') chunkCount++;
    }
  }
  if (format === 'csv' && header === null) throw new Error('the CSV file has no header line');
  if (chunkCount > 0) await flush(kind!, kind === 'events' ? `{"events":[${chunk.join(',')}]}` : recordBody(kind!, header, chunk), chunkCount, chunkFirst);
  result.kind = kind;
  await fsyncDir(spool.queueDir);
  await spool.reject(bad);
  await spool.journal.record({ t: 'spooled', at: now, source: name, hash, segments: parts });
  await unlink(path);
  await fsyncDir(watchDir);
  return result;
}

function recordBody(kind: SegmentKind, header: string | null, chunk: string[]): string {
  return kind === 'records-csv' ? `${header}\n${chunk.join('\n')}\n` : `${chunk.join('\n')}\n`;
}

/** Files of the folder ready to be taken: a known format, not written to for `settleMs`. */
export async function readyFiles(watchDir: string, settleMs: number, now = Date.now()): Promise<string[]> {
  const out: { name: string; mtime: number }[] = [];
  for (const entry of await readdir(watchDir, { withFileTypes: true })) {
    if (!entry.isFile() || formatOfName(entry.name) === null) continue;
    try {
      const s = await stat(join(watchDir, entry.name));
      if (now - s.mtimeMs >= settleMs) out.push({ name: entry.name, mtime: s.mtimeMs });
    } catch {
      // Gone between the listing and the stat: moved away by its writer.
    }
  }
  // Oldest exports first, so the backlog drains in the order it built up.
  return out.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name)).map((x) => x.name);
}

/** Moves an unreadable export out of the watched folder, with the reason beside it. */
export async function setAside(spool: Spool, watchDir: string, name: string, reason: string): Promise<void> {
  const target = join(spool.failedDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}`);
  await writeFile(`${target}.reason.txt`, `${reason}\n`);
  await rename(join(watchDir, name), target).catch(async () => {
    // Another file system: the export stays where it is, and is skipped by name from now on.
    await writeFile(`${target}.not-moved.txt`, `${join(watchDir, name)}\n`);
  });
}
