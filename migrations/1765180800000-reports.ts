import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports and the daily digest. A report is archived whole: its files (PDF, xlsx) and the
 * exact figures it was made from, so what was sent can always be shown again. A scheduled
 * report is unique per scope, kind and period, so several server processes make it once;
 * `claimed_at` lets another process take over one whose maker died. One digest row per
 * account and local day is the once-a-day guarantee for the 07:30 mail.
 */
export class Reports1765180800000 implements MigrationInterface {
  name = 'Reports1765180800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report (
        id bigserial PRIMARY KEY,
        scope text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('monthly', 'quarterly', 'on_demand')),
        period_from date NOT NULL,
        period_to date NOT NULL,
        status text NOT NULL CHECK (status IN ('generating', 'ready')),
        claimed_at timestamptz NOT NULL,
        requested_by text NOT NULL,
        generated_at timestamptz,
        figures jsonb,
        pdf bytea,
        xlsx bytea,
        emailed_at timestamptz,
        emailed_to text[] NOT NULL DEFAULT '{}',
        email_error text,
        CHECK (period_from <= period_to),
        CHECK (status = 'generating' OR (generated_at IS NOT NULL AND figures IS NOT NULL AND pdf IS NOT NULL AND xlsx IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX report_scheduled ON report (scope, kind, period_from) WHERE kind <> 'on_demand'`);
    await q.query('CREATE INDEX report_scope ON report (scope, period_from DESC, id DESC)');
    await q.query('CREATE INDEX report_generated ON report (generated_at DESC, id DESC)');
    await q.query(`
      CREATE TABLE report_digest (
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        digest_date date NOT NULL,
        status text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
        claimed_at timestamptz NOT NULL,
        attempts int NOT NULL DEFAULT 1,
        email text,
        subject text,
        sent_at timestamptz,
        last_error text,
        PRIMARY KEY (user_id, digest_date)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS report_digest');
    await q.query('DROP TABLE IF EXISTS report');
  }
}
