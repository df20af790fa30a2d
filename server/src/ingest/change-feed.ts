import { Injectable } from '@nestjs/common';

type Listener = (units: readonly string[]) => void;

/**
 * Announces, after each ingest commit, the units whose figures changed.
 * In-process only; the live module carries it to the other server processes.
 */
@Injectable()
export class ChangeFeed {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(units: readonly string[]): void {
    if (units.length === 0) return;
    for (const l of this.listeners) l(units);
  }
}
