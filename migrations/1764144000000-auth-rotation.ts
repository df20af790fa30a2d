import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh-token rotation and rate limits shared by every server process.
 * - auth_refresh_retired: the hash of every refresh token a refresh replaced,
 *   so presenting one again is recognised as reuse (a stolen cookie) and ends
 *   its session. SHA-256 hashes only, like auth_session.refresh_hash.
 * - rate_limit: the counters of rate-limiter-flexible's PostgreSQL store
 *   (sign-in attempts per address, ingest requests per key), in the table
 *   layout the library expects; created here so the server never runs DDL.
 */
export class AuthRotation1764144000000 implements MigrationInterface {
  name = 'AuthRotation1764144000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth_refresh_retired (
        hash bytea PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
        retired_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX auth_refresh_retired_session ON auth_refresh_retired (session_id)');
    await q.query(`
      CREATE TABLE rate_limit (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rate_limit, auth_refresh_retired');
  }
}
