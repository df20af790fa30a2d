import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Heartbeats of the relays at communes with weak links, as data: every heartbeat
 * (the timeline of a link is read from them), and one row per commune with the
 * last one and since when its heartbeats say the same (the current state of all
 * 3,321 communes is then one read of at most 3,321 rows).
 */
export class Connectivity1765094400000 implements MigrationInterface {
  name = 'Connectivity1765094400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE link_heartbeat (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        commune_code text NOT NULL,
        received_at timestamptz NOT NULL,
        sent_at timestamptz,
        latency_ms integer,
        backlog_events bigint NOT NULL DEFAULT 0,
        oldest_backlog_seconds bigint,
        interval_seconds integer NOT NULL,
        agent text,
        key_id uuid NOT NULL
      )`);
    await q.query(`CREATE INDEX link_heartbeat_commune_at ON link_heartbeat (commune_code, received_at)`);
    await q.query(`
      CREATE TABLE link_status (
        commune_code text PRIMARY KEY,
        province_code text NOT NULL,
        first_at timestamptz NOT NULL,
        last_at timestamptz NOT NULL,
        sent_at timestamptz,
        latency_ms integer,
        backlog_events bigint NOT NULL DEFAULT 0,
        oldest_backlog_seconds bigint,
        interval_seconds integer NOT NULL,
        agent text,
        beat_state text NOT NULL,
        beat_reasons text[] NOT NULL DEFAULT '{}',
        beat_state_since timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX link_status_province ON link_status (province_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE link_status`);
    await q.query(`DROP TABLE link_heartbeat`);
  }
}
