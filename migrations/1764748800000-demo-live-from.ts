import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The instant the demo's live feed started from. Its history is imported as
 * dossier records of the days before, holding what was delivered before that
 * instant; everything delivered from it on is sent live as events. Days added
 * later (DEMO_BACKFILL_DAYS raised) keep the same boundary, so the two never overlap.
 */
export class DemoLiveFrom1764748800000 implements MigrationInterface {
  name = 'DemoLiveFrom1764748800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE demo_state ADD COLUMN live_from timestamptz`);
    // A demo started before: its history was sent as events up to history_from, where its boundary was.
    await q.query(`UPDATE demo_state SET live_from = history_from`);
    await q.query(`ALTER TABLE demo_state ALTER COLUMN live_from SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE demo_state DROP COLUMN live_from`);
  }
}
