import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the alert engine last evaluated every rule: one row, written in each evaluation's
 * transaction, so any server process can say whether the alerts have been evaluated yet
 * (until the first evaluation, "no open alert" says nothing about the thresholds).
 * And the dossiers received in a period, of a province or of the nation, found by an
 * index for the breakdown per sector and procedure (`GET /kpis/by-sector`).
 */
export class AlertEvaluation1765526400000 implements MigrationInterface {
  name = 'AlertEvaluation1765526400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_evaluation (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        evaluated_at timestamptz NOT NULL,
        evaluated int NOT NULL
      )`);
    await q.query('CREATE INDEX IF NOT EXISTS dossier_province_received_idx ON dossier (province_code, received_at)');
    await q.query('CREATE INDEX IF NOT EXISTS dossier_received_idx ON dossier (received_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS dossier_received_idx');
    await q.query('DROP INDEX IF EXISTS dossier_province_received_idx');
    await q.query('DROP TABLE IF EXISTS alert_evaluation');
  }
}
