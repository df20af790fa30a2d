import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = 'WHERE overdue_at IS NOT NULL AND completed_at IS NULL';

/**
 * The open dossiers of one commune or one province in the order they turn
 * overdue: the dossiers to act on and the month's at-risk backlog. Without
 * them a commune's list walks every open dossier of the nation
 * (dossier_overdue_idx). Partial, so they hold only open dossiers with an
 * appointment. Built in the migration's transaction, not concurrently: server
 * processes starting together wait for each other's migrations on an advisory
 * lock, and a concurrent build would wait for that waiting process in turn.
 */
export class DossierLists1764057600000 implements MigrationInterface {
  name = 'DossierLists1764057600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS dossier_open_unit_idx ON dossier (unit_code, overdue_at) ${OPEN}`);
    await q.query(`CREATE INDEX IF NOT EXISTS dossier_open_province_idx ON dossier (province_code, overdue_at) ${OPEN}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS dossier_open_province_idx`);
    await q.query(`DROP INDEX IF EXISTS dossier_open_unit_idx`);
  }
}
