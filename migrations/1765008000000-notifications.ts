import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications: channels (email, signed webhooks), who gets what (groups, contacts,
 * subscriptions), the escalation policy and each alert's escalation, and one row per
 * message and channel with its delivery state and attempts. A cursor on alert_event
 * says how far the engine's transitions have been turned into messages; it starts at
 * the events already there, so an upgrade does not send the past.
 */
export class Notifications1765008000000 implements MigrationInterface {
  name = 'Notifications1765008000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_channel (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('email', 'webhook')),
        enabled boolean NOT NULL DEFAULT true,
        config jsonb NOT NULL DEFAULT '{}',
        secret text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX notification_channel_name ON notification_channel (lower(name))');
    await q.query(`
      CREATE TABLE notification_group (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX notification_group_name ON notification_group (lower(name))');
    await q.query(`
      CREATE TABLE notification_group_member (
        group_id bigint NOT NULL REFERENCES notification_group (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE notification_contact (
        user_id uuid PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
        email text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE notification_subscription (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        channel_id bigint NOT NULL REFERENCES notification_channel (id) ON DELETE CASCADE,
        user_id uuid REFERENCES app_user (id) ON DELETE CASCADE,
        group_id bigint REFERENCES notification_group (id) ON DELETE CASCADE,
        scope text NOT NULL,
        min_severity text NOT NULL CHECK (min_severity IN ('critical', 'major', 'minor', 'warning')),
        rule_id text,
        quiet_start text,
        quiet_end text,
        notify_resolved boolean NOT NULL DEFAULT true,
        enabled boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((user_id IS NULL) <> (group_id IS NULL)),
        CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
      )`);
    await q.query(`
      CREATE TABLE notification_escalation_policy (
        id int PRIMARY KEY CHECK (id = 1),
        after_minutes jsonb NOT NULL,
        channel_ids bigint[] NOT NULL DEFAULT '{}',
        updated_by text,
        updated_at timestamptz
      )`);
    await q.query(`INSERT INTO notification_escalation_policy (id, after_minutes) VALUES (1, '{"critical": 30, "major": 60, "minor": 120, "warning": null}')`);
    await q.query(`
      CREATE TABLE notification_escalation (
        alert_id bigint PRIMARY KEY REFERENCES alert (id),
        level int NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL,
        escalated_at timestamptz,
        stopped_at timestamptz,
        stop_reason text
      )`);
    await q.query('CREATE INDEX notification_escalation_open ON notification_escalation (alert_id) WHERE stopped_at IS NULL');
    await q.query(`
      CREATE TABLE notification (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('fired', 'raised', 'resolved', 'escalation', 'test')),
        channel_id bigint REFERENCES notification_channel (id) ON DELETE SET NULL,
        channel_name text NOT NULL,
        channel_kind text NOT NULL,
        rule_id text,
        tick_at timestamptz,
        alert_ids bigint[] NOT NULL DEFAULT '{}',
        province_codes text[] NOT NULL DEFAULT '{}',
        recipients jsonb NOT NULL,
        subject text NOT NULL,
        body jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'dead_letter')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        held_until timestamptz,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status = 'queued'`);
    await q.query('CREATE INDEX notification_created ON notification (created_at DESC, id DESC)');
    await q.query('CREATE INDEX notification_provinces ON notification USING gin (province_codes)');
    await q.query(`
      CREATE TABLE notification_attempt (
        id bigserial PRIMARY KEY,
        notification_id bigint NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        ok boolean NOT NULL,
        detail text
      )`);
    await q.query('CREATE INDEX notification_attempt_of ON notification_attempt (notification_id, id)');
    await q.query(`CREATE TABLE notification_cursor (id int PRIMARY KEY CHECK (id = 1), alert_event_id bigint NOT NULL, demo_seeded boolean NOT NULL DEFAULT false)`);
    await q.query(`INSERT INTO notification_cursor (id, alert_event_id) SELECT 1, coalesce(max(id), 0) FROM alert_event`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'notification_cursor',
      'notification_attempt',
      'notification',
      'notification_escalation',
      'notification_escalation_policy',
      'notification_subscription',
      'notification_contact',
      'notification_group_member',
      'notification_group',
      'notification_channel',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
