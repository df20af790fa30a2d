import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, sign-in sessions, ingest keys of source systems, the audit log and
 * the server's own secrets. Passwords are argon2id hashes; refresh tokens and
 * ingest keys are stored as SHA-256 hashes only.
 */
export class Auth1763971200000 implements MigrationInterface {
  name = 'Auth1763971200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'leader', 'operator', 'commune_chair')),
        scope text NOT NULL,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        demo boolean NOT NULL DEFAULT false,
        failed_attempts int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        last_sign_in_at timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX app_user_username ON app_user (lower(username))');
    await q.query(`
      CREATE TABLE auth_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id),
        refresh_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        ip text,
        user_agent text
      )`);
    await q.query('CREATE INDEX auth_session_user ON auth_session (user_id) WHERE revoked_at IS NULL');
    await q.query(`
      CREATE TABLE ingest_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash bytea NOT NULL UNIQUE,
        scope text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        revoked_by text
      )`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        action text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
        actor text,
        target text,
        ip text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query('CREATE INDEX audit_log_at ON audit_log (at DESC)');
    await q.query('CREATE INDEX audit_log_action ON audit_log (action, at DESC)');
    await q.query(`CREATE TABLE app_secret (name text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE app_secret, audit_log, ingest_key, auth_session, app_user');
  }
}
