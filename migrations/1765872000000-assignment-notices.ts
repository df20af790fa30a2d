import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A message of kind `assigned`: the person an alert is assigned to is told by mail or webhook. */
export class AssignmentNotices1765872000000 implements MigrationInterface {
  name = 'AssignmentNotices1765872000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notification DROP CONSTRAINT IF EXISTS notification_kind_check');
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('fired', 'raised', 'resolved', 'escalation', 'assigned', 'test'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notification WHERE kind = 'assigned'`);
    await q.query('ALTER TABLE notification DROP CONSTRAINT IF EXISTS notification_kind_check');
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('fired', 'raised', 'resolved', 'escalation', 'test'))`);
  }
}
