import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citizen feedback (PAKN) as a record: one row per feedbackId, folded by the
 * projector from the `feedback_*` events of ingest contract v1.1 (order-independent:
 * a row may exist before its `feedback_received`, e.g. for an answer that came
 * first or a follow-up naming it, and is then listed and counted only once received).
 * Indexes serve the list (per unit or province, by receipt; open items by due date)
 * and the index's 5.2/5.3 counts (open, answered or received in a period). Existing logs hold no
 * feedback events, so the table starts empty.
 */
export class Feedback1765612800000 implements MigrationInterface {
  name = 'Feedback1765612800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE feedback (
        feedback_id text PRIMARY KEY,
        unit_code text,
        province_code text,
        topic text,
        dossier_id text,
        follow_up_of text,
        received_at timestamptz,
        received_event_id text,
        due_at timestamptz,
        answered_at timestamptz,
        satisfied boolean,
        rated_at timestamptz,
        unsatisfied_at timestamptz,
        followed_up_at timestamptz,
        CONSTRAINT feedback_received_whole CHECK ((received_at IS NULL) = (due_at IS NULL) AND (received_at IS NULL) = (topic IS NULL)),
        CONSTRAINT feedback_rating_whole CHECK ((rated_at IS NULL) = (satisfied IS NULL))
      )`);
    await q.query(`CREATE INDEX feedback_unit_received_idx ON feedback (unit_code, received_at) WHERE received_at IS NOT NULL`);
    await q.query(`CREATE INDEX feedback_province_received_idx ON feedback (province_code, received_at) WHERE received_at IS NOT NULL`);
    await q.query(`CREATE INDEX feedback_open_due_idx ON feedback (province_code, due_at) WHERE received_at IS NOT NULL AND answered_at IS NULL`);
    await q.query(`CREATE INDEX feedback_answered_idx ON feedback (answered_at) WHERE received_at IS NOT NULL AND answered_at IS NOT NULL`);
    await q.query(`CREATE INDEX feedback_received_idx ON feedback (received_at) WHERE received_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE feedback`);
  }
}
