import { randomUUID } from 'node:crypto';
import { type DossierEvent, type DossierRecord, type ImportLineError, type UnitRef, localDateOf, parseRecord, recordEventId, within } from '@ioc/shared';
import type pg from 'pg';
import { RECORD_TYPE, type LoggedEvent, appendRows, eventFingerprint, lockLogForAppend, lookUpForAppend, recordFromLog, recordPayloadText, storedRows } from '../ingest/event-log.js';
import { extendHistoryLoad, finishHistoryLoad } from '../projection/history-loads.js';
import { type ImportFormat, type ReadLine, RecordReader } from './record-reader.js';

/** Who imports: an ingest key (its id and scope), or the operator's CLI without a key (the nation, no key id). */
export interface ImportSource {
  keyId: string | null;
  name: string;
  scope: UnitRef;
}

/** The reference units, as the ingest path checks them (UnitsService). */
export interface UnitDirectory {
  hasCommune(code: string): boolean;
  hasProvince(code: string): boolean;
  unitRef(unitCode: string): UnitRef;
  scopeName(scope: UnitRef): string;
}

/** Lines per chunk: one COPY and one transaction each. Large enough that a chunk's fixed costs vanish, small enough that an interruption loses little. */
export const DEFAULT_CHUNK_LINES = 20_000;

/** Lines validated between two turns of the event loop (about a millisecond of work). */
const YIELD_EVERY_LINES = 256;

export interface ImportOptions {
  format: ImportFormat;
  source: ImportSource;
  units: UnitDirectory;
  chunkLines?: number;
  /** A resumable job (the CLI): the file's content hash and name; `restart` imports it again from the first line. */
  job?: { hash: string; fileName: string; restart?: boolean };
  /** Once the job is known: where this run starts. */
  onStart?: (info: { resumedAfter: number }) => void | Promise<void>;
  /** Each committed chunk's errors, in line order (errors of a chunk that did not commit are never reported). */
  onErrors?: (errors: readonly ImportLineError[]) => void | Promise<void>;
  onProgress?: (p: ImportProgress) => void;
  /** After each commit (the server wakes its projector). */
  onCommitted?: () => void;
  /** Bytes the input may hold; reading stops at the line that crosses it (`tooLarge` in the result). */
  maxBytes?: number;
  /** How much of the input has been read, 0–1 (null when unknown): shown with the "history still loading" mark. */
  progressOf?: () => number | null;
  /** Stop after this many chunks have committed, as if interrupted (tests). */
  stopAfterChunks?: number;
  /** Asked before each chunk: true stops the import there, as an interruption would (the server is shutting down). */
  shouldStop?: () => boolean;
  now?: number;
}

export interface ImportCounts {
  records: number;
  imported: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}
export interface ImportProgress extends ImportCounts {
  bytes: number;
  lines: number;
}
export interface ImportResult extends ImportCounts {
  seconds: number;
  /** The last line committed. */
  linesDone: number;
  /** The line the run started after (a resumed job), 0 for a fresh one. */
  resumedAfter: number;
  /** The job had finished before: nothing was read (counts are the job's). */
  alreadyDone: boolean;
  /** Stopped on purpose (stopAfterChunks, shouldStop) or at the size limit, before the end of the input. */
  stopped: boolean;
  tooLarge: boolean;
  /** Log position of the last record appended (null when none was). */
  position: number | null;
}

/** A valid record of the file on its way to the log. */
interface Good {
  line: number;
  record: DossierRecord;
  /** The receipt's instant (epoch ms). */
  receivedAtMs: number;
  /** The record's events, built when first read (a record already stored or met twice in a chunk). */
  events: () => DossierEvent[];
  unit: string;
  eventId: string;
  /** What the log row stores besides its columns, as JSON text (made while reading, off the database's time). */
  payload: string;
}

interface Chunk {
  lastLine: number;
  records: number;
  good: Good[];
  errors: ImportLineError[];
  /** Duplicates found inside the chunk (a dossier twice with the same content). */
  duplicates: number;
}

/**
 * Imports dossier records from a stream of CSV or NDJSON: each line is validated on
 * its own (a bad line is reported, never holds back the good ones), and chunks of
 * lines are appended to the raw log by COPY under the log's append lock, after the
 * ingest path's scope checks and idempotency lookup, with its claims, one
 * transaction per chunk. Reading and validating the next chunk overlaps the
 * database work on the current one. A job's progress commits with each chunk, so a
 * re-run resumes after the last committed line; idempotency (one log row per
 * dossier, `record:<dossierId>`) covers the rest.
 */
export async function runImport(client: pg.Client, input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, o: ImportOptions): Promise<ImportResult> {
  const t0 = performance.now();
  const counts: ImportCounts = { records: 0, imported: 0, duplicates: 0, conflicts: 0, rejected: 0 };
  await prepareSession(client);
  let resumedAfter = 0;
  if (o.job) {
    const job = await openJob(client, o);
    if (job.finished && !o.job.restart) {
      return { ...job.counts, seconds: 0, linesDone: job.linesDone, resumedAfter: job.linesDone, alreadyDone: true, stopped: false, tooLarge: false, position: null };
    }
    resumedAfter = job.linesDone;
    Object.assign(counts, job.counts);
  }
  await o.onStart?.({ resumedAfter });
  // Until the import is done and folded, answers for the days it covers say they are incomplete.
  // A file's import keeps its mark while interrupted (it resumes); a stream's ends with the request.
  const load = o.job ? `import:${o.job.hash.slice(0, 16)}` : `import:${randomUUID()}`;
  const state = { linesDone: resumedAfter, chunks: 0, position: null as number | null, bytes: 0, lines: 0, stopped: false, tooLarge: false };
  const queue = new ChunkQueue(2);
  let failure: unknown = null;

  const produce = async () => {
    const chunker = new Chunker(o, resumedAfter);
    const reader = new RecordReader(o.format);
    const lines: ReadLine[] = [];
    try {
      for await (const piece of input) {
        const buf = typeof piece === 'string' ? Buffer.from(piece) : piece;
        if (failure !== null || state.stopped) break;
        if (o.maxBytes !== undefined && state.bytes + buf.length > o.maxBytes) {
          // Up to the last whole line before the limit: what was read is imported, the rest is not.
          reader.push(buf.subarray(0, Math.max(0, o.maxBytes - state.bytes)), lines);
          state.tooLarge = true;
          state.stopped = true;
        } else reader.push(buf, lines);
        state.bytes += buf.length;
        state.lines = reader.lines;
        for (let i = 0; i < lines.length; i++) {
          const full = chunker.add(lines[i]!);
          if (full) await queue.put(full);
          // Validation shares the thread with the database's answers to the chunk being written: it steps aside
          // now and then so they are read as they come, else each round trip waits for a whole piece of the file.
          if (i % YIELD_EVERY_LINES === YIELD_EVERY_LINES - 1) await new Promise<void>((r) => setImmediate(r));
        }
        lines.length = 0;
        if (state.tooLarge) break;
      }
      if (!state.tooLarge && !state.stopped) {
        reader.end(lines);
        state.lines = reader.lines;
        for (const l of lines) {
          const full = chunker.add(l);
          if (full) await queue.put(full);
        }
      }
      const last = chunker.flush();
      if (last) await queue.put(last);
    } catch (e) {
      failure ??= e;
    } finally {
      queue.close();
    }
  };

  const consume = async () => {
    try {
      for (let c = await queue.take(); c !== null; c = await queue.take()) {
        if (failure !== null) continue;
        if ((o.stopAfterChunks !== undefined && state.chunks >= o.stopAfterChunks) || o.shouldStop?.()) {
          state.stopped = true;
          continue;
        }
        const r = await commitChunk(client, c, o, counts, load);
        state.linesDone = c.lastLine;
        state.chunks++;
        if (r.position !== null) state.position = r.position;
        if (r.appended > 0) o.onCommitted?.();
        if (r.errors.length > 0) await o.onErrors?.(r.errors);
        o.onProgress?.({ ...counts, bytes: state.bytes, lines: state.lines });
      }
    } catch (e) {
      failure ??= e;
      // Let the producer finish its current read and stop.
      for (let c = await queue.take(); c !== null; c = await queue.take());
    }
  };

  await Promise.all([produce(), consume()]);
  if (!o.job || (failure === null && !state.stopped)) await finishHistoryLoad(client, load).catch((e: unknown) => (failure ??= e));
  // What failed is rethrown as it was (an Error from the database, the reader or a check).
  if (failure !== null) throw failure as Error;
  if (o.job && !state.stopped) await finishJob(client, o, state.linesDone);
  await makeDurable(client);
  return {
    ...counts,
    seconds: (performance.now() - t0) / 1000,
    linesDone: state.linesDone,
    resumedAfter,
    alreadyDone: false,
    stopped: state.stopped,
    tooLarge: state.tooLarge,
    position: state.position,
  };
}

/**
 * The import's own session: commits need not wait for the disk (a chunk lost to a
 * crash is lost with its job progress, so the re-run redoes it; makeDurable flushes
 * before the answer).
 */
async function prepareSession(client: pg.Client): Promise<void> {
  await client.query(`SET synchronous_commit = off`);
}

/** Waits until every commit of the session is on disk: a transaction with a commit record, committed synchronously, flushes the WAL before it. */
async function makeDurable(client: pg.Client): Promise<void> {
  await client.query(`SET synchronous_commit = on`);
  await client.query(`BEGIN`);
  await client.query(`SELECT pg_current_xact_id()`);
  await client.query(`COMMIT`);
}

/** Turns read lines into validated chunks of at most `chunkLines` lines. */
class Chunker {
  private cur: Chunk;
  private readonly seen = new Map<string, Good>();
  private readonly size: number;
  private readonly now: number;

  constructor(
    private readonly o: ImportOptions,
    private readonly skipThrough: number,
  ) {
    this.size = o.chunkLines ?? DEFAULT_CHUNK_LINES;
    this.now = o.now ?? Date.now();
    this.cur = emptyChunk();
  }

  /** Adds a line; returns the chunk it completed, if any. */
  add(l: ReadLine): Chunk | null {
    if (l.line <= this.skipThrough) return null;
    const c = this.cur;
    c.records++;
    c.lastLine = l.line;
    if ('error' in l) c.errors.push({ line: l.line, dossierId: l.dossierId, status: 'rejected', reason: l.error });
    else this.validate(c, l.line, l.raw);
    return c.records >= this.size ? this.flush() : null;
  }

  /** The chunk under way, null when empty. */
  flush(): Chunk | null {
    const c = this.cur;
    if (c.records === 0) return null;
    this.cur = emptyChunk();
    this.seen.clear();
    return c;
  }

  private validate(c: Chunk, line: number, raw: Record<string, unknown>): void {
    const p = parseRecord(raw, this.now);
    if (!p.ok) {
      c.errors.push({ line, dossierId: p.dossierId, status: 'rejected', reason: p.reason });
      return;
    }
    const problem = unitProblem(p.record, p.unit, this.o);
    if (problem) {
      c.errors.push({ line, dossierId: p.record.dossierId, status: 'rejected', reason: problem });
      return;
    }
    const g: Good = {
      line,
      record: p.record,
      receivedAtMs: p.receivedAtMs,
      events: () => p.events,
      unit: p.unit,
      eventId: recordEventId(p.record.dossierId),
      payload: recordPayloadText(p.record, p.instantsMs),
    };
    // A dossier twice in one chunk: the first stands (as in one ingest batch).
    const earlier = this.seen.get(g.eventId);
    if (earlier) {
      if (fingerprint(earlier.events(), earlier.unit) === fingerprint(g.events(), g.unit)) c.duplicates++;
      else {
        c.errors.push({
          line,
          dossierId: g.record.dossierId,
          status: 'conflict',
          reason: `dossier ${g.record.dossierId} appears again with different content (first on line ${earlier.line}); the first record stands`,
        });
      }
      return;
    }
    this.seen.set(g.eventId, g);
    c.good.push(g);
  }
}

function emptyChunk(): Chunk {
  return { lastLine: 0, records: 0, good: [], errors: [], duplicates: 0 };
}

/** The unit checks of the ingest path, with its messages: a known unit, inside the key's scope. */
function unitProblem(r: DossierRecord, unit: string, o: ImportOptions): string | null {
  if (r.communeCode !== undefined && !o.units.hasCommune(unit)) return `communeCode ${unit} is not a known commune (2025 codes)`;
  if (r.provinceCode !== undefined && !o.units.hasProvince(unit)) return `provinceCode ${unit} is not a known province (2025 codes)`;
  const ref = o.units.unitRef(unit);
  if (!within(ref, o.source.scope)) {
    return `this key (${o.source.name}) may only send records of ${o.units.scopeName(o.source.scope)}; ${o.units.scopeName(ref)} is outside it`;
  }
  return null;
}

/** What a record says, as one string: equal strings mean the same record (instants compared as instants). */
function fingerprint(events: readonly DossierEvent[], unit: string): string {
  return events.map((e) => eventFingerprint(e, Date.parse(e.occurredAt), unit)).join('\n');
}

/** One chunk, in one transaction: check owners and taken ids, append, classify what was taken, record the job's progress. */
async function commitChunk(client: pg.Client, c: Chunk, o: ImportOptions, counts: ImportCounts, load: string): Promise<{ appended: number; position: number | null; errors: ImportLineError[] }> {
  const errors = [...c.errors];
  let appended = 0;
  let position: number | null = null;
  let duplicates = c.duplicates;
  // The log's helpers take rows back, as from an EntityManager.
  const m = { query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as unknown[] };
  await client.query('BEGIN');
  try {
    if (c.good.length > 0) {
      await lockLogForAppend(m);
      const { owners, taken } = await lookUpForAppend(
        m,
        c.good.map((g) => g.record.dossierId),
        c.good.map((g) => g.eventId),
      );
      const fresh: Good[] = [];
      const takenGoods: Good[] = [];
      const claims = new Map<string, string>();
      for (const g of c.good) {
        const home = owners.get(g.record.dossierId);
        // A dossier already stored for another unit: allowed only inside the key's scope, as on the ingest path.
        if (home !== undefined && home !== g.unit) {
          const owner = o.units.unitRef(home);
          if (!within(owner, o.source.scope)) {
            errors.push({
              line: g.line,
              dossierId: g.record.dossierId,
              status: 'rejected',
              reason: `dossier ${g.record.dossierId} belongs to ${o.units.scopeName(owner)}, outside this key's scope (${o.units.scopeName(o.source.scope)}); nothing was stored`,
            });
            continue;
          }
        }
        if (taken.has(g.eventId)) {
          takenGoods.push(g);
          continue;
        }
        fresh.push(g);
        // A new dossier belongs to the unit of its record (ids are unique in a chunk, so are dossiers).
        if (home === undefined) claims.set(g.record.dossierId, g.unit);
      }
      const positions = await appendRows(
        client,
        fresh.map((g) => ({ eventId: g.eventId, dossierId: g.record.dossierId, unit: g.unit, type: RECORD_TYPE, occurredAt: g.record.receivedAt, payload: g.payload, keyId: o.source.keyId })),
        claims,
      );
      appended = positions.length;
      position = positions.length > 0 ? positions[positions.length - 1]! : null;
      if (takenGoods.length > 0) {
        const stored = await storedRows(
          m,
          takenGoods.map((g) => g.eventId),
        );
        for (const g of takenGoods) {
          const s = stored.get(g.eventId);
          // The month of the log holding it was dropped (RAW_LOG_RETENTION_MONTHS): imported once, and in the figures.
          const verdict = s === undefined ? null : classify(s, g, o.source);
          if (verdict === null) duplicates++;
          else errors.push({ line: g.line, dossierId: g.record.dossierId, status: 'conflict', reason: verdict });
        }
      }
    }
    if (appended > 0) {
      // From the earliest receipt on, every day's figures may change (stocks, later completions).
      const first = c.good.reduce((min, g) => Math.min(min, g.receivedAtMs), Infinity);
      await extendHistoryLoad(client, load, localDateOf(first), localDateOf(Date.now()), o.progressOf?.() ?? null);
    }
    const rejected = errors.filter((e) => e.status === 'rejected').length;
    const add: ImportCounts = { records: c.records, imported: appended, duplicates, conflicts: errors.length - rejected, rejected };
    if (o.job) await advanceJob(client, o, c.lastLine, add);
    await client.query('COMMIT');
    for (const k of Object.keys(add) as (keyof ImportCounts)[]) counts[k] += add[k];
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  errors.sort((a, b) => a.line - b.line);
  return { appended, position, errors };
}

/** null when the stored row is this very record from this source (a duplicate), else why it conflicts. */
function classify(stored: LoggedEvent & { key_id: string | null }, g: Good, source: ImportSource): string | null {
  if (stored.type !== RECORD_TYPE) return `the id ${g.eventId} is taken by an event (not a record) in the log; nothing was stored`;
  // The same line imported again stores the very same row: compared as text first, as events only when that differs.
  const sameRow = stored.unit_code === g.unit && stored.occurred_at.getTime() === g.receivedAtMs && JSON.stringify(stored.payload) === g.payload;
  const same = sameRow || fingerprint(parseStoredEvents(recordFromLog(stored)), stored.unit_code) === fingerprint(g.events(), g.unit);
  // A record without a key (the operator's CLI) is compared by content alone.
  const sameSource = stored.key_id === source.keyId || stored.key_id === null || source.keyId === null;
  if (!sameSource) return `a record for dossier ${g.record.dossierId} was already imported by another source; nothing was stored`;
  if (same) return null;
  return `a different record for dossier ${g.record.dossierId} is already stored; a stored record cannot be changed (send later steps as events to POST /api/v1/events)`;
}

function parseStoredEvents(r: DossierRecord): DossierEvent[] {
  const p = parseRecord(r, Number.MAX_SAFE_INTEGER);
  if (!p.ok) throw new Error(`a stored record no longer validates: ${p.reason}`);
  return p.events;
}

async function openJob(client: pg.Client, o: ImportOptions): Promise<{ linesDone: number; counts: ImportCounts; finished: boolean }> {
  const job = o.job!;
  const source = jobSource(o.source);
  if (job.restart) {
    await client.query(`DELETE FROM import_job WHERE content_hash = $1 AND source = $2`, [job.hash, source]);
  }
  await client.query(`INSERT INTO import_job (content_hash, source, file_name, format) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [job.hash, source, job.fileName, o.format]);
  const [r] = (await client.query(`SELECT lines_done, records, imported, duplicates, conflicts, rejected, finished_at FROM import_job WHERE content_hash = $1 AND source = $2`, [job.hash, source]))
    .rows as {
    lines_done: number;
    records: string;
    imported: string;
    duplicates: string;
    conflicts: string;
    rejected: string;
    finished_at: Date | null;
  }[];
  return {
    linesDone: r!.lines_done,
    counts: { records: Number(r!.records), imported: Number(r!.imported), duplicates: Number(r!.duplicates), conflicts: Number(r!.conflicts), rejected: Number(r!.rejected) },
    finished: r!.finished_at !== null,
  };
}

/** The job's source: its key, or the CLI's national import without one. */
function jobSource(s: ImportSource): string {
  return s.keyId === null ? 'cli:nation' : `key:${s.keyId}`;
}

async function advanceJob(client: pg.Client, o: ImportOptions, lastLine: number, add: ImportCounts): Promise<void> {
  await client.query(
    `UPDATE import_job SET lines_done = $3, records = records + $4, imported = imported + $5, duplicates = duplicates + $6, conflicts = conflicts + $7, rejected = rejected + $8, updated_at = now()
     WHERE content_hash = $1 AND source = $2`,
    [o.job!.hash, jobSource(o.source), lastLine, add.records, add.imported, add.duplicates, add.conflicts, add.rejected],
  );
}

async function finishJob(client: pg.Client, o: ImportOptions, linesDone: number): Promise<void> {
  await client.query(`UPDATE import_job SET finished_at = now(), lines_done = greatest(lines_done, $3), updated_at = now() WHERE content_hash = $1 AND source = $2`, [
    o.job!.hash,
    jobSource(o.source),
    linesDone,
  ]);
}

/** A queue of at most `max` chunks between the reader and the writer. */
class ChunkQueue {
  private readonly items: Chunk[] = [];
  private closed = false;
  private wakeTaker: (() => void) | null = null;
  private wakePutter: (() => void) | null = null;

  constructor(private readonly max: number) {}

  async put(c: Chunk): Promise<void> {
    while (this.items.length >= this.max) await new Promise<void>((r) => (this.wakePutter = r));
    this.items.push(c);
    this.wakeTaker?.();
  }

  close(): void {
    this.closed = true;
    this.wakeTaker?.();
  }

  async take(): Promise<Chunk | null> {
    while (this.items.length === 0) {
      if (this.closed) return null;
      await new Promise<void>((r) => (this.wakeTaker = r));
    }
    const c = this.items.shift()!;
    this.wakePutter?.();
    return c;
  }
}
