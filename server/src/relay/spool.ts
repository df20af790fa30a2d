import { mkdir, readFile, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DurableLog, fsyncDir, unlinkIfPresent, writeFileDurably } from './durable.js';
import { Journal } from './journal.js';

/**
 * The spool: everything taken from the watched folder waits here, on disk, until the
 * server has acknowledged it.
 *
 *   queue/         segments, one request each, gzipped as sent, oldest first by name
 *   tmp/           files being written (emptied at start: a crash leaves only these behind)
 *   failed/        exported files the relay could not read, with the reason beside them
 *   journal.ndjson acknowledged progress (journal.ts)
 *   rejected.ndjson events and records the server refused, with its reasons: never sent again
 *   relay.lock     the process using the spool
 */
export type SegmentKind = 'events' | 'records-csv' | 'records-ndjson';

export interface Segment {
  name: string;
  /** `<file hash>p<part>`: the same file cut the same way gives the same keys. */
  key: string;
  kind: SegmentKind;
  count: number;
  spooledAt: number;
}

const EXT: Record<SegmentKind, string> = { events: 'events.json.gz', 'records-csv': 'records.csv.gz', 'records-ndjson': 'records.ndjson.gz' };
const SEGMENT_RE = /^(\d{15})-([0-9a-f]{16}p\d{5})-(\d+)\.(events\.json|records\.csv|records\.ndjson)\.gz$/;

export function segmentName(s: Omit<Segment, 'name'>): string {
  return `${String(s.spooledAt).padStart(15, '0')}-${s.key}-${s.count}.${EXT[s.kind]}`;
}

export function parseSegmentName(name: string): Segment | null {
  const m = SEGMENT_RE.exec(name);
  if (!m) return null;
  const kind = (Object.keys(EXT) as SegmentKind[]).find((k) => EXT[k] === `${m[4]}.gz`)!;
  return { name, key: m[2]!, kind, count: Number(m[3]), spooledAt: Number(m[1]) };
}

export interface RejectedEntry {
  at: string;
  /** The exported file it came from (null when the relay no longer knows). */
  source: string | null;
  status: string;
  reason: string;
  eventId?: string | null;
  event?: unknown;
  line?: number | null;
  dossierId?: string | null;
}

export class Spool {
  readonly queueDir: string;
  readonly tmpDir: string;
  readonly failedDir: string;
  /** Queued segments by key, in the order they are sent. */
  private readonly queue = new Map<string, Segment>();
  private rejectedLog: DurableLog | null = null;

  private constructor(
    readonly dir: string,
    readonly journal: Journal,
  ) {
    this.queueDir = join(dir, 'queue');
    this.tmpDir = join(dir, 'tmp');
    this.failedDir = join(dir, 'failed');
  }

  /** Opens (or creates) a spool: clears half-written files, drops segments the journal says were acknowledged. */
  static async open(dir: string): Promise<Spool> {
    for (const d of ['', 'queue', 'tmp', 'failed']) await mkdir(join(dir, d), { recursive: true });
    await rm(join(dir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(dir, 'tmp'));
    const journal = await Journal.open(join(dir, 'journal.ndjson'));
    const spool = new Spool(dir, journal);
    const names = (await readdir(spool.queueDir)).sort();
    let dropped = 0;
    for (const name of names) {
      const s = parseSegmentName(name);
      if (!s) continue;
      if (journal.acked.has(s.key) || spool.queue.has(s.key)) {
        // Acknowledged before a crash that came before its deletion, or a second copy of a queued segment.
        await unlink(join(spool.queueDir, name));
        dropped++;
      } else spool.queue.set(s.key, s);
    }
    if (dropped > 0) await fsyncDir(spool.queueDir);
    spool.rejectedLog = await DurableLog.open(join(dir, 'rejected.ndjson'));
    return spool;
  }

  /** True when this part of a file is queued or was acknowledged already. */
  known(key: string): boolean {
    return this.queue.has(key) || this.journal.acked.has(key);
  }

  /** Writes a segment into the queue (the caller flushes the queue folder once the file's segments are written). */
  async add(s: Omit<Segment, 'name'>, gzipped: Buffer): Promise<void> {
    const seg = { ...s, name: segmentName(s) };
    await writeFileDurably(this.queueDir, this.tmpDir, seg.name, gzipped);
    this.queue.set(seg.key, seg);
  }

  oldest(): Segment | null {
    for (const s of this.queue.values()) return s;
    return null;
  }

  read(s: Segment): Promise<Buffer> {
    return readFile(join(this.queueDir, s.name));
  }

  /** The items (events or record lines) of a segment, for the rejected file. */
  async items(s: Segment): Promise<string[]> {
    const text = gunzipSync(await this.read(s)).toString('utf8');
    if (s.kind === 'events') return (JSON.parse(text) as { events: unknown[] }).events.map((e) => JSON.stringify(e));
    return text.split('\n');
  }

  /** Records the server's answer on disk, then deletes the segment: from here on it is never sent again. */
  async acknowledge(s: Segment, counts: { accepted: number; duplicates: number; rejected: number }, rejected: RejectedEntry[]): Promise<void> {
    await this.reject(rejected);
    await this.journal.record({ t: 'acked', at: Date.now(), key: s.key, ...counts });
    await unlinkIfPresent(join(this.queueDir, s.name));
    this.queue.delete(s.key);
  }

  async reject(entries: RejectedEntry[]): Promise<void> {
    await this.rejectedLog!.append(entries.map((e) => JSON.stringify(e)));
  }

  sourceOf(key: string): { source: string; firstLine: number } | null {
    return this.journal.segments.get(key) ?? null;
  }

  backlog(now = Date.now()): { segments: number; items: number; oldestSeconds: number | null } {
    let items = 0;
    let oldest = Infinity;
    for (const s of this.queue.values()) {
      items += s.count;
      oldest = Math.min(oldest, s.spooledAt);
    }
    return { segments: this.queue.size, items, oldestSeconds: oldest === Infinity ? null : Math.max(0, Math.round((now - oldest) / 1000)) };
  }

  async close(): Promise<void> {
    await this.rejectedLog?.close();
    await this.journal.close();
  }
}
