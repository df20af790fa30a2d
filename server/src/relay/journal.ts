import { readFile, rename, writeFile, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DurableLog, fsyncDir } from './durable.js';

/**
 * The journal of acknowledged progress (`journal.ndjson` in the spool): one line per
 * file taken into the spool and per batch the server acknowledged, each on disk
 * before the step it records is undone (the exported file removed, the batch's
 * segment deleted). After kill -9 or power loss it tells what was already done:
 * a segment still on disk but acknowledged is deleted without being sent again, and a
 * file found again in the watched folder is not spooled twice. Only the batch in
 * flight at the crash is sent again, and the server answers its events as duplicates.
 */
export type JournalEntry =
  | { t: 'spooled'; at: number; source: string; hash: string; segments: { key: string; count: number; firstLine: number }[] }
  | { t: 'acked'; at: number; key: string; accepted: number; duplicates: number; rejected: number };

/** How long acknowledgements and spooled files are remembered: far longer than a file stays in the folder after spooling. */
const REMEMBER_MS = 7 * 86_400_000;
/** Entries appended before the journal is rewritten without the forgotten ones. */
const COMPACT_EVERY = 20_000;

export class Journal {
  readonly acked = new Map<string, number>();
  readonly files = new Map<string, { source: string; at: number }>();
  readonly segments = new Map<string, { source: string; firstLine: number; at: number }>();
  private log: DurableLog | null = null;
  private appended = 0;

  private constructor(private readonly path: string) {}

  /** Reads the journal (a line torn by a power loss is dropped) and rewrites it compacted. */
  static async open(path: string, now = Date.now()): Promise<Journal> {
    const j = new Journal(path);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        // Only the last line can be torn (appends are flushed one by one): what it recorded had not happened yet.
        continue;
      }
      j.apply(entry);
    }
    await j.compact(now);
    return j;
  }

  private apply(e: JournalEntry): void {
    if (e.t === 'acked') this.acked.set(e.key, e.at);
    else if (e.t === 'spooled') {
      this.files.set(e.hash, { source: e.source, at: e.at });
      for (const s of e.segments) this.segments.set(s.key, { source: e.source, firstLine: s.firstLine, at: e.at });
    }
  }

  async record(entry: JournalEntry): Promise<void> {
    this.apply(entry);
    await this.log!.append([JSON.stringify(entry)]);
    if (++this.appended >= COMPACT_EVERY) await this.compact(Date.now());
  }

  /** Rewrites the journal with what is still worth remembering (a segment not yet acknowledged is always remembered). */
  private async compact(now: number): Promise<void> {
    if (this.log) await this.log.close();
    const keep = (at: number) => now - at < REMEMBER_MS;
    const lines: string[] = [];
    const files = new Map<string, { source: string; hash: string; at: number; segments: { key: string; count: number; firstLine: number }[] }>();
    for (const [key, s] of this.segments) {
      if (this.acked.has(key) && !keep(s.at)) {
        this.segments.delete(key);
        continue;
      }
      // Segments are regrouped under their file's hash, which is the key's prefix.
      const hash = key.slice(0, key.indexOf('p'));
      const f = files.get(hash) ?? { source: s.source, hash, at: s.at, segments: [] };
      f.segments.push({ key, count: 0, firstLine: s.firstLine });
      files.set(hash, f);
    }
    for (const [hash, f] of this.files) {
      if (!keep(f.at) && !files.has(hash)) this.files.delete(hash);
      else if (!files.has(hash)) files.set(hash, { source: f.source, hash, at: f.at, segments: [] });
    }
    for (const f of files.values()) lines.push(JSON.stringify({ t: 'spooled', at: f.at, source: f.source, hash: f.hash, segments: f.segments } satisfies JournalEntry));
    for (const [key, at] of this.acked) {
      if (!keep(at) && !this.segments.has(key)) this.acked.delete(key);
      else lines.push(JSON.stringify({ t: 'acked', at, key, accepted: 0, duplicates: 0, rejected: 0 } satisfies JournalEntry));
    }
    const tmp = join(dirname(this.path), 'tmp', 'journal.ndjson');
    await writeFile(tmp, lines.map((l) => `${l}\n`).join(''));
    const h = await open(tmp, 'r+');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, this.path);
    await fsyncDir(dirname(this.path));
    this.log = await DurableLog.open(this.path);
    this.appended = 0;
  }

  async close(): Promise<void> {
    await this.log?.close();
    this.log = null;
  }
}
