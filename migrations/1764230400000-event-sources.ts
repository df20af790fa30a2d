import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each stored event records the ingest key that sent it (null for events stored
 * before keys were recorded), so a replay can be told from another source's
 * event with the same id, and the audit trail can name the source of any event.
 */
export class EventSources1764230400000 implements MigrationInterface {
  name = 'EventSources1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingest_event ADD COLUMN key_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingest_event DROP COLUMN key_id`);
  }
}
