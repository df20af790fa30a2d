import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History being loaded (the demo's backfill, a bulk import): which local days it
 * covers and how far it is. KPI answers and live messages for periods that
 * overlap a load still running, or loaded but not yet projected (its last log
 * position above the watermark), say so instead of looking complete.
 */
export class HistoryLoads1764576000000 implements MigrationInterface {
  name = 'HistoryLoads1764576000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE history_load (
        name text PRIMARY KEY,
        covers_from date NOT NULL,
        covers_to date NOT NULL,
        progress real,
        last_position bigint,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE history_load`);
  }
}
