import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Log-first ingest: a request is answered once its events are in the raw log;
 * the projector folds log rows into dossiers and rollups afterwards.
 *
 * - `projection_state` holds, per projection, the last log `seq` folded in (the
 *   watermark). It moves in the same transaction as the rows it derived, so
 *   each log row is projected exactly once.
 * - Log rows become visible in `seq` order (appends hold a transaction-level
 *   advisory lock from before their first row until commit), so "everything
 *   after the watermark" is never missing a row that commits later with a lower seq.
 * - `dossier_owner` records the unit of the first accepted event of each dossier
 *   at ingest time, so a key's scope is checked against dossiers the projector
 *   has not reached yet.
 * - `dossier.updated_at` is the ingest time of the dossier's latest event, a
 *   fact of the log, so a rebuild reproduces it.
 */
export class LogFirst1764316800000 implements MigrationInterface {
  name = 'LogFirst1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX ingest_event_seq_uq ON ingest_event (seq)`);
    await q.query(`
      CREATE TABLE projection_state (
        name text PRIMARY KEY,
        watermark bigint NOT NULL DEFAULT 0,
        watermark_ingested_at timestamptz,
        events_projected bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // What is in the log today was folded in at ingest.
    await q.query(`
      INSERT INTO projection_state (name, watermark, watermark_ingested_at, events_projected)
      SELECT 'dossiers', coalesce(max(seq), 0), max(ingested_at), count(*) FROM ingest_event`);
    await q.query(`
      CREATE TABLE dossier_owner (
        dossier_id text PRIMARY KEY,
        unit_code text NOT NULL
      )`);
    await q.query(`
      INSERT INTO dossier_owner (dossier_id, unit_code)
      SELECT DISTINCT ON (dossier_id) dossier_id, unit_code FROM ingest_event ORDER BY dossier_id, seq`);
    await q.query(`ALTER TABLE dossier ALTER COLUMN updated_at DROP DEFAULT`);
    await q.query(`
      UPDATE dossier d SET updated_at = e.at
      FROM (SELECT dossier_id, max(ingested_at) AS at FROM ingest_event GROUP BY dossier_id) e
      WHERE e.dossier_id = d.dossier_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier ALTER COLUMN updated_at SET DEFAULT now()`);
    await q.query(`DROP TABLE dossier_owner`);
    await q.query(`DROP TABLE projection_state`);
    await q.query(`DROP INDEX ingest_event_seq_uq`);
  }
}
