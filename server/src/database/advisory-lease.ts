import pg from 'pg';

/**
 * A lease: a PostgreSQL session-level advisory lock held on a dedicated
 * connection (the live publisher's, the projector's, each with its own key). If
 * the holding process dies or loses its connection, PostgreSQL releases the
 * lock and another process takes it over.
 */
export class AdvisoryLease {
  private client: pg.Client | null = null;
  private held = false;

  /**
   * @param key the advisory lock's key (any fixed 64-bit number, one per lease)
   * @param applicationName names the lease's connection in pg_stat_activity
   * @param onLost called when a held lease is lost (its connection failed or ended)
   */
  constructor(
    private readonly databaseUrl: string,
    private readonly key: string,
    private readonly applicationName: string,
    private readonly onLost: () => void,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Tries to take the lease; true when this process holds it (now or already). */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    try {
      if (!this.client) {
        const c = new pg.Client({ connectionString: this.databaseUrl, application_name: this.applicationName });
        c.on('error', () => this.drop());
        c.on('end', () => this.drop());
        await c.connect();
        this.client = c;
      }
      const [row] = (await this.client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.key])).rows as { ok: boolean }[];
      this.held = row?.ok === true;
    } catch {
      this.drop();
    }
    return this.held;
  }

  async release(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.held = false;
    await c?.end().catch(() => undefined);
  }

  private drop(): void {
    const was = this.held;
    this.held = false;
    const c = this.client;
    this.client = null;
    c?.end().catch(() => undefined);
    if (was) this.onLost();
  }
}
