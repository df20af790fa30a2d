import { isCausedByData } from '../database/db-errors.js';

/** What became of one event of a batch in the store. */
/** `position`: the accepted event's log seq. */
export type StoreOutcome = { status: 'accepted'; position: number } | { status: 'duplicate' } | { status: 'conflict' | 'rejected'; reason: string };

/** An event as the writer sees it: its id, who sent it and what it says. */
export interface Submission {
  eventId: string;
  /** The sending key. */
  sourceId: string;
  /** The event's content in a canonical form: equal strings mean the same event. */
  fingerprint: string;
}

interface Pending<E extends Submission> {
  events: readonly E[];
  resolve: (outcomes: Map<string, StoreOutcome>) => void;
  reject: (e: unknown) => void;
}

/**
 * One writer per process. Batches that arrive while a transaction runs are
 * merged into the next one (group commit): many source systems sending at once
 * share one commit, and a rollup row touched by several of them is written once.
 *
 * A shared commit never fails a request for another request's data: when one
 * fails for a reason that lies in the data sent, each request is stored again on
 * its own, and a request that still fails is split until the one event that
 * cannot be stored is found and rejected alone. Failures that are not about the
 * data (the database is down) fail every request of the group, which then
 * acknowledges nothing.
 */
export class GroupCommitWriter<E extends Submission> {
  private readonly pending: Pending<E>[] = [];
  private busy = false;

  constructor(
    private readonly store: (events: readonly E[]) => Promise<Map<string, StoreOutcome>>,
    private readonly maxEvents = 20_000,
  ) {}

  /** Stores a batch whose eventIds are distinct; resolves with each event's outcome. */
  submit(events: readonly E[]): Promise<Map<string, StoreOutcome>> {
    return new Promise((resolve, reject) => {
      this.pending.push({ events, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.pending.length > 0) {
        const group: Pending<E>[] = [];
        let size = 0;
        while (this.pending.length > 0 && (group.length === 0 || size + this.pending[0]!.events.length <= this.maxEvents)) {
          const p = this.pending.shift()!;
          group.push(p);
          size += p.events.length;
        }
        await this.commitGroup(group);
      }
    } finally {
      this.busy = false;
    }
  }

  private async commitGroup(group: Pending<E>[]): Promise<void> {
    // An eventId sent by two callers of the group belongs to the first; the second learns
    // whether it sent the same event (a duplicate) or another one under that id (a conflict).
    const first = new Map<string, E>();
    const merged: E[] = [];
    const sameMoment = new Map<Pending<E>, Map<string, StoreOutcome>>();
    for (const p of group) {
      const own = new Map<string, StoreOutcome>();
      for (const e of p.events) {
        const earlier = first.get(e.eventId);
        if (!earlier) {
          first.set(e.eventId, e);
          merged.push(e);
        } else own.set(e.eventId, sameEvent(earlier, e) ? { status: 'duplicate' } : { status: 'conflict', reason: conflictReason(earlier, e) });
      }
      sameMoment.set(p, own);
    }
    let outcomes: Map<string, StoreOutcome>;
    try {
      outcomes = await this.store(merged);
    } catch (e) {
      if (group.length === 1 || !isCausedByData(e)) {
        if (group.length === 1 && isCausedByData(e)) return this.settle(group[0]!, () => this.isolate(group[0]!.events));
        for (const p of group) p.reject(e);
        return;
      }
      for (const p of group) await this.settle(p, () => this.isolate(p.events));
      return;
    }
    for (const p of group) {
      const own = sameMoment.get(p)!;
      const out = new Map<string, StoreOutcome>();
      for (const e of p.events) out.set(e.eventId, own.get(e.eventId) ?? outcomes.get(e.eventId) ?? { status: 'duplicate' });
      p.resolve(out);
    }
  }

  private async settle(p: Pending<E>, work: () => Promise<Map<string, StoreOutcome>>): Promise<void> {
    try {
      p.resolve(await work());
    } catch (e) {
      p.reject(e);
    }
  }

  /** Stores a batch alone; when its data makes the commit fail, halves it until the failing events are found. */
  private async isolate(events: readonly E[]): Promise<Map<string, StoreOutcome>> {
    try {
      return await this.store(events);
    } catch (e) {
      if (!isCausedByData(e)) throw e;
      if (events.length === 1) {
        const detail = (e as { message?: string }).message ?? String(e);
        return new Map([[events[0]!.eventId, { status: 'rejected', reason: `the database could not store this event (${detail}); nothing of it was kept` }]]);
      }
      const half = Math.ceil(events.length / 2);
      const a = await this.isolate(events.slice(0, half));
      const b = await this.isolate(events.slice(half));
      return new Map([...a, ...b]);
    }
  }
}

export function sameEvent(a: Submission, b: Submission): boolean {
  return a.sourceId === b.sourceId && a.fingerprint === b.fingerprint;
}

/** Why an eventId already taken by `stored` cannot be used for `sent`. */
export function conflictReason(stored: Pick<Submission, 'sourceId' | 'fingerprint'>, sent: Submission): string {
  if (stored.sourceId !== sent.sourceId) {
    return `eventId ${sent.eventId} already belongs to an event from another source; nothing was stored: give this event an id of its own`;
  }
  return `eventId ${sent.eventId} was already used for an event with different content; a stored event cannot be changed: send the correction as a new event with a new eventId`;
}
