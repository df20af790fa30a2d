import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = 'WHERE overdue_at IS NOT NULL AND completed_at IS NULL';

/**
 * The open dossiers of one commune or one province in the order they turn
 * overdue: the dossiers to act on and the month's at-risk backlog. Without
 * them a commune's list walks every open dossier of the nation
 * (dossier_overdue_idx). Partial, so they hold only open dossiers with an
 * appointment. Built concurrently: ingest goes on while they are built.
 */
export class DossierLists1764057600000 implements MigrationInterface {
  name = 'DossierLists1764057600000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    // An interrupted concurrent build leaves an invalid index behind: start afresh.
    for (const [name, column] of [
      ['dossier_open_unit_idx', 'unit_code'],
      ['dossier_open_province_idx', 'province_code'],
    ]) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await q.query(`CREATE INDEX CONCURRENTLY ${name} ON dossier (${column}, overdue_at) ${OPEN}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS dossier_open_province_idx`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS dossier_open_unit_idx`);
  }
}
