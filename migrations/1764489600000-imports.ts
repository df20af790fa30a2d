import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports of dossier history: one row per file and source, keyed by the
 * file's content hash. `lines_done` (the last line whose chunk committed) and the
 * counts are updated in the same transaction as each chunk's log rows, so an
 * import interrupted anywhere resumes after the last committed chunk.
 */
export class Imports1764489600000 implements MigrationInterface {
  name = 'Imports1764489600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_job (
        content_hash text NOT NULL,
        source text NOT NULL,
        file_name text NOT NULL,
        format text NOT NULL,
        lines_done integer NOT NULL DEFAULT 0,
        records bigint NOT NULL DEFAULT 0,
        imported bigint NOT NULL DEFAULT 0,
        duplicates bigint NOT NULL DEFAULT 0,
        conflicts bigint NOT NULL DEFAULT 0,
        rejected bigint NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        PRIMARY KEY (content_hash, source)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_job`);
  }
}
