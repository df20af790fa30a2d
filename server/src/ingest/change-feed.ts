import { Injectable } from '@nestjs/common';

type Listener = (units: readonly string[]) => void;

/**
 * In-process announcements of the write path: `appended` after an ingest
 * commit put new rows in the raw log (the projector wakes), `publish` after
 * the projector folded rows into the figures of some units (the live stream
 * and the alert engine look again). The live module carries the latter to the
 * other server processes.
 */
@Injectable()
export class ChangeFeed {
  private readonly listeners = new Set<Listener>();
  private readonly appendListeners = new Set<() => void>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(units: readonly string[]): void {
    if (units.length === 0) return;
    for (const l of this.listeners) l(units);
  }

  onAppended(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  appended(): void {
    for (const l of this.appendListeners) l();
  }
}
