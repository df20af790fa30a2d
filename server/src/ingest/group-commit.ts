import type { AcceptedEvent } from './dossier-store.js';

interface Pending {
  events: readonly AcceptedEvent[];
  resolve: (accepted: Set<string>) => void;
  reject: (e: unknown) => void;
}

/**
 * One writer per process. Batches that arrive while a transaction runs are
 * merged into the next one (group commit): many source systems sending at once
 * share one commit, and a rollup row touched by several of them is written once.
 * Each caller learns which of its own events were stored; an eventId sent by two
 * callers in the same group belongs to the first.
 */
export class GroupCommitWriter {
  private readonly pending: Pending[] = [];
  private busy = false;

  constructor(
    private readonly store: (events: readonly AcceptedEvent[]) => Promise<Set<string>>,
    private readonly maxEvents = 20_000,
  ) {}

  submit(events: readonly AcceptedEvent[]): Promise<Set<string>> {
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
        const group: Pending[] = [];
        let size = 0;
        while (this.pending.length > 0 && (group.length === 0 || size + this.pending[0]!.events.length <= this.maxEvents)) {
          const p = this.pending.shift()!;
          group.push(p);
          size += p.events.length;
        }
        const owner = new Map<string, Pending>();
        const merged: AcceptedEvent[] = [];
        for (const p of group) {
          for (const e of p.events) {
            if (owner.has(e.event.eventId)) continue;
            owner.set(e.event.eventId, p);
            merged.push(e);
          }
        }
        try {
          const accepted = await this.store(merged);
          for (const p of group) {
            p.resolve(new Set(p.events.map((e) => e.event.eventId).filter((id) => accepted.has(id) && owner.get(id) === p)));
          }
        } catch (e) {
          for (const p of group) p.reject(e);
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
