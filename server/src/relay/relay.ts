import { mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventResult, HeartbeatRequest, HeartbeatResponse, ImportResponse, IngestResponse } from '@ioc/shared';
import { nextDelayMs } from './backoff.js';
import { readyFiles, setAside, spoolFile } from './intake.js';
import { RELAY_AGENT, type RelayOptions } from './options.js';
import { type RejectedEntry, type Segment, Spool } from './spool.js';
import { type SendOutcome, post } from './transport.js';

export interface RelayStats {
  spooledFiles: number;
  sentBatches: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  retries: number;
  lastHeartbeat: { at: string; ok: boolean; latencyMs: number | null; state: string | null; detail: string } | null;
}

type Log = (message: string) => void;

/** The spool's state, as `--status` prints it and the status file keeps it. */
export interface RelayStatus {
  updatedAt: string;
  server: string;
  backlog: { segments: number; items: number; oldestSeconds: number | null };
  stats: RelayStats;
}

/**
 * The relay: takes exported files into the spool, forwards the spool one batch at a
 * time (oldest first, one request in flight, retried until the server answers), and
 * reports a heartbeat with the link's latency and the backlog.
 */
export class Relay {
  private stopping = false;
  private readonly abort = new AbortController();
  private readonly sleepers = new Set<() => void>();
  private lastLatencyMs: number | null = null;
  private readonly skipped = new Set<string>();
  readonly stats: RelayStats = { spooledFiles: 0, sentBatches: 0, accepted: 0, duplicates: 0, rejected: 0, retries: 0, lastHeartbeat: null };

  private constructor(
    private readonly opts: RelayOptions,
    private readonly spool: Spool,
    private readonly log: Log,
  ) {}

  /** Opens the spool; refuses when another live relay uses it (two would send the same batches). */
  static async start(opts: RelayOptions, log: Log): Promise<Relay> {
    await takeLock(opts.spool);
    const spool = await Spool.open(opts.spool);
    const b = spool.backlog();
    if (b.items > 0) log(`spool ${opts.spool}: ${b.items} waiting in ${b.segments} batch(es), oldest ${ago(b.oldestSeconds)}`);
    return new Relay(opts, spool, log);
  }

  /** Runs until stop() (or, with --once, until the folder and the spool are empty). */
  async run(): Promise<void> {
    const heartbeats = this.opts.heartbeatMs > 0 && !this.opts.once ? this.heartbeatLoop() : Promise.resolve();
    try {
      while (!this.stopping) {
        await this.intake(this.opts.once ? 0 : this.opts.settleMs);
        const seg = this.spool.oldest();
        if (seg) {
          await this.forward(seg);
          continue;
        }
        if (this.opts.once) break;
        await this.sleep(this.opts.pollMs);
      }
      if (this.opts.once && this.opts.heartbeatMs > 0 && !this.stopping) await this.heartbeat();
    } finally {
      this.stopping = true;
      for (const wake of this.sleepers) wake();
      await heartbeats;
      await this.writeStatus();
      await this.spool.close();
      await releaseLock(this.opts.spool);
    }
  }

  stop(): void {
    this.stopping = true;
    this.abort.abort();
    for (const wake of this.sleepers) wake();
  }

  private async intake(settleMs: number): Promise<void> {
    let names: string[];
    try {
      names = await readyFiles(this.opts.watch, settleMs);
    } catch (e) {
      this.log(`cannot read the watched folder ${this.opts.watch}: ${(e as Error).message}`);
      return;
    }
    for (const name of names) {
      if (this.stopping || this.skipped.has(name)) continue;
      try {
        const r = await spoolFile(this.spool, this.opts.watch, name, this.opts.batchSize);
        this.stats.spooledFiles++;
        if (r.alreadySpooled) this.log(`${name}: already in the spool (same content), removed from the folder`);
        else
          this.log(
            `${name}: spooled ${r.items} ${r.kind === 'events' ? 'events' : 'dossier records'} in ${r.segments} batch(es)${r.badLines ? `, ${r.badLines} line(s) not JSON (see rejected.ndjson)` : ''}`,
          );
      } catch (e) {
        const reason = (e as Error).message;
        this.log(`${name}: cannot be read (${reason}); moved to ${this.spool.failedDir}`);
        this.skipped.add(name);
        await setAside(this.spool, this.opts.watch, name, reason).catch(() => undefined);
      }
    }
  }

  /** Sends one segment until the server answers it; records the answer; never gives up on a link failure. */
  private async forward(seg: Segment): Promise<void> {
    const body = await this.spool.read(seg);
    const events = seg.kind === 'events';
    const url = `${this.opts.server}/api/v1/${events ? 'events' : 'imports'}`;
    const contentType = seg.kind === 'records-csv' ? 'text/csv; charset=utf-8' : events ? 'application/json' : 'application/x-ndjson';
    for (let attempt = 0; !this.stopping; attempt++) {
      const out: SendOutcome = await post({ url, key: this.opts.key, body, contentType, gzip: true, timeoutMs: this.opts.timeoutMs, signal: this.abort.signal });
      if (this.stopping) return;
      if (out.kind === 'ok') {
        this.lastLatencyMs = Math.round(out.ms);
        await (events ? this.ackEvents(seg, out.body as IngestResponse, out.ms) : this.ackRecords(seg, out.body as ImportResponse, out.ms));
        return;
      }
      if (out.kind === 'refused') {
        // The server will never take this body as it is: everything in it goes to the rejected file, with the server's words.
        const items = await this.spool.items(seg);
        const src = this.spool.sourceOf(seg.key);
        const at = new Date().toISOString();
        const rejected: RejectedEntry[] = events
          ? items.map((e) => ({ at, source: src?.source ?? null, status: 'refused', reason: out.why, eventId: idOf(e), event: JSON.parse(e) as unknown }))
          : [{ at, source: src?.source ?? null, status: 'refused', reason: `${out.why} (${seg.count} records from line ${src?.firstLine ?? '?'})`, line: src?.firstLine ?? null }];
        await this.spool.acknowledge(seg, { accepted: 0, duplicates: 0, rejected: seg.count }, rejected);
        this.stats.rejected += seg.count;
        this.log(`batch ${seg.key} refused by the server (${out.why}): ${seg.count} written to rejected.ndjson`);
        return;
      }
      this.stats.retries++;
      const delay =
        out.kind === 'setup'
          ? Math.max(this.opts.retryMaxMs / 2, nextDelayMs(attempt, null, this.opts.retryBaseMs, this.opts.retryMaxMs))
          : nextDelayMs(attempt, out.retryAfter, this.opts.retryBaseMs, this.opts.retryMaxMs);
      const hint = out.kind === 'setup' ? (out.status === 401 || out.status === 403 ? ' — check --key' : ' — check --server') : '';
      this.log(`batch ${seg.key} (${seg.count}) not delivered: ${out.why}${hint}; retry in ${(delay / 1000).toFixed(1)} s`);
      await this.sleep(delay);
    }
  }

  private async ackEvents(seg: Segment, res: IngestResponse, ms: number): Promise<void> {
    const refused = (res.results ?? []).filter((r: EventResult) => r.status === 'rejected' || r.status === 'conflict');
    let rejected: RejectedEntry[] = [];
    if (refused.length > 0) {
      const items = await this.spool.items(seg);
      const source = this.spool.sourceOf(seg.key)?.source ?? null;
      const at = new Date().toISOString();
      rejected = refused.map((r) => ({
        at,
        source,
        status: r.status,
        reason: r.reason ?? r.status,
        eventId: r.eventId,
        event: items[r.index] !== undefined ? (JSON.parse(items[r.index]!) as unknown) : null,
      }));
    }
    await this.spool.acknowledge(seg, { accepted: res.accepted, duplicates: res.duplicates, rejected: refused.length }, rejected);
    this.count(res.accepted, res.duplicates, refused.length);
    this.log(`sent ${seg.count} events in ${Math.round(ms)} ms: ${res.accepted} accepted, ${res.duplicates} duplicates, ${refused.length} rejected${this.backlogNote()}`);
  }

  private async ackRecords(seg: Segment, res: ImportResponse, ms: number): Promise<void> {
    const src = this.spool.sourceOf(seg.key);
    const at = new Date().toISOString();
    // The server numbers the lines of the batch (a CSV batch starts with its header): map them back onto the exported file.
    const shift = src ? src.firstLine - (seg.kind === 'records-csv' ? 2 : 1) : 0;
    const rejected: RejectedEntry[] = (res.errors ?? []).map((e) => ({
      at,
      source: src?.source ?? null,
      status: e.status,
      reason: e.reason,
      line: src ? e.line + shift : null,
      dossierId: e.dossierId,
    }));
    const refused = res.rejected + res.conflicts;
    if (res.errorsTruncated)
      rejected.push({
        at,
        source: src?.source ?? null,
        status: 'rejected',
        reason: `${refused - (res.errors?.length ?? 0)} more records of this batch refused; the server lists the first ${res.errors?.length ?? 0}`,
      });
    await this.spool.acknowledge(seg, { accepted: res.imported, duplicates: res.duplicates, rejected: refused }, rejected);
    this.count(res.imported, res.duplicates, refused);
    this.log(`sent ${seg.count} dossier records in ${Math.round(ms)} ms: ${res.imported} imported, ${res.duplicates} duplicates, ${refused} rejected${this.backlogNote()}`);
  }

  private count(accepted: number, duplicates: number, rejected: number): void {
    this.stats.sentBatches++;
    this.stats.accepted += accepted;
    this.stats.duplicates += duplicates;
    this.stats.rejected += rejected;
  }

  private backlogNote(): string {
    const b = this.spool.backlog();
    return b.items > 0 ? `; ${b.items} still waiting, oldest ${ago(b.oldestSeconds)}` : '; spool empty';
  }

  private async heartbeatLoop(): Promise<void> {
    while (!this.stopping) {
      await this.heartbeat();
      await this.writeStatus();
      await this.sleep(this.opts.heartbeatMs);
    }
  }

  /** One heartbeat; its round trip is the link's latency reported by the next one. */
  async heartbeat(): Promise<void> {
    const b = this.spool.backlog();
    const body: HeartbeatRequest = {
      ...(this.opts.commune ? { communeCode: this.opts.commune } : {}),
      sentAt: new Date().toISOString(),
      latencyMs: this.lastLatencyMs,
      backlogEvents: b.items,
      oldestBacklogSeconds: b.oldestSeconds,
      intervalSeconds: Math.max(5, Math.min(3600, Math.round(this.opts.heartbeatMs / 1000))),
      agent: RELAY_AGENT,
    };
    const out = await post({
      url: `${this.opts.server}/api/v1/heartbeats`,
      key: this.opts.key,
      body: JSON.stringify(body),
      contentType: 'application/json',
      gzip: false,
      timeoutMs: Math.min(this.opts.timeoutMs, 30_000),
      signal: this.abort.signal,
    });
    const prev = this.stats.lastHeartbeat;
    const at = new Date().toISOString();
    if (out.kind === 'ok') {
      const res = out.body as HeartbeatResponse;
      this.lastLatencyMs = Math.round(out.ms);
      this.stats.lastHeartbeat = { at, ok: true, latencyMs: this.lastLatencyMs, state: res.state, detail: res.reasons.join(', ') };
      if (!prev?.ok || prev.state !== res.state)
        this.log(`heartbeat: link ${res.state}${res.reasons.length ? ` (${res.reasons.join(', ')})` : ''}, latency ${this.lastLatencyMs} ms, backlog ${b.items}`);
    } else if (!this.stopping) {
      this.stats.lastHeartbeat = { at, ok: false, latencyMs: null, state: null, detail: out.why };
      // Said once per failure, not every minute of an outage.
      if (prev?.ok !== false || prev.detail !== out.why) this.log(`heartbeat not delivered: ${out.why}`);
    }
  }

  status(): RelayStatus {
    return { updatedAt: new Date().toISOString(), server: this.opts.server, backlog: this.spool.backlog(), stats: this.stats };
  }

  /** status.json in the spool, for `--status` and for whoever looks at the machine; not essential, so not flushed. */
  private async writeStatus(): Promise<void> {
    const path = join(this.opts.spool, 'status.json');
    try {
      await writeFile(`${path}.new`, `${JSON.stringify(this.status(), null, 2)}\n`);
      await rename(`${path}.new`, path);
    } catch {
      // A full disk shows in the spool's own writes, which do fail loudly.
    }
  }

  /** A wait that stop() cuts short (both loops may be waiting at once). */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.sleepers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}

function idOf(eventJson: string): string | null {
  try {
    const id = (JSON.parse(eventJson) as { eventId?: unknown }).eventId;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

function ago(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${(seconds / 3600).toFixed(1)} h ago`;
}

const lockPath = (spool: string) => join(spool, 'relay.lock');

async function takeLock(spool: string): Promise<void> {
  await mkdir(spool, { recursive: true });
  for (let i = 0; i < 2; i++) {
    try {
      const h = await open(lockPath(spool), 'wx');
      await h.writeFile(String(process.pid));
      await h.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(lockPath(spool), 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && alive(pid)) throw new Error(`another relay (pid ${pid}) uses the spool ${spool}; stop it first, or give this one another --spool`, { cause: e });
      // Left by a relay that was killed: take it over.
      await unlink(lockPath(spool)).catch(() => undefined);
    }
  }
  throw new Error(`cannot lock the spool ${spool}`);
}

async function releaseLock(spool: string): Promise<void> {
  await unlink(lockPath(spool)).catch(() => undefined);
}

/** Whether a process with this id runs (a spool's lock names its relay's process). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
