import type { Queryable } from '../database/queryable.js';

/**
 * Reads of rollup rows kept from tick to tick, each with the local days it covers.
 * The rollup tables' triggers mark each local day they change with a version
 * (migration 1764835200000); before reusing anything, a tick asks which days
 * changed since the version it last saw, and forgets the reads that cover one.
 * Past days change only when late events are folded, so their reads last; today's
 * last until the next event folded for today. Either way a tick sees exactly what
 * reading afresh would give.
 */
export class RollupCache {
  private readonly entries = new Map<string, { from: number; to: number; value: Promise<unknown>; used: boolean }>();
  /** The last change version seen; null before the first look. */
  private version: number | null = null;
  private resetVersion = 0;

  /**
   * Forgets what the rollup changes since the last look touch. Call before reading
   * from the cache: what is read afterwards includes at least those changes.
   */
  async refresh(db: Queryable): Promise<void> {
    const [row] = (await db.query(
      `SELECT v.version, v.reset_version,
              ARRAY(SELECT extract(epoch FROM c.day) * 1000 FROM rollup_change c WHERE c.version > $1) AS days
         FROM rollup_version v`,
      [this.version ?? Number.MAX_SAFE_INTEGER],
    )) as { version: string; reset_version: string; days: string[] }[];
    if (!row) throw new Error('rollup_version has no row: run the migrations');
    const version = Number(row.version);
    const resetVersion = Number(row.reset_version);
    if (this.version === null || resetVersion !== this.resetVersion) this.entries.clear();
    else this.forget(row.days.map(Number));
    this.version = version;
    this.resetVersion = resetVersion;
  }

  /** Forgets the reads covering any of these local days (epoch ms of their starts). */
  forget(days: readonly number[]): void {
    if (days.length === 0) return;
    for (const [key, e] of this.entries) if (days.some((d) => e.from <= d && d < e.to)) this.entries.delete(key);
  }

  /** A read of the rollups of the days in [from, to) (epoch ms), reused while no change touches those days. */
  get<T>(key: string, from: number, to: number, read: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      hit.used = true;
      return hit.value as Promise<T>;
    }
    const value = read();
    this.entries.set(key, { from, to, value, used: true });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Drops the reads no tick used since the last sweep (days that left every window, yesterday's "today"). */
  sweep(): void {
    for (const [key, e] of this.entries) {
      if (e.used) e.used = false;
      else this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
