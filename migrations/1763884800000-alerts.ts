import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts: per-unit overrides of the default rules, the evaluation state of each
 * rule for each unit, the alerts themselves (at most one active per rule and
 * unit, enforced by a unique partial index) and their audit trail.
 */
export class Alerts1763884800000 implements MigrationInterface {
  name = 'Alerts1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_rule_override (
        rule_id text NOT NULL,
        unit_code text NOT NULL,
        params jsonb NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (rule_id, unit_code)
      )`);
    await q.query(`
      CREATE TABLE alert_state (
        rule_id text NOT NULL,
        unit_code text NOT NULL,
        pending_since timestamptz,
        clear_since timestamptz,
        active text,
        last_value double precision,
        PRIMARY KEY (rule_id, unit_code)
      )`);
    await q.query(`
      CREATE TABLE alert (
        id bigserial PRIMARY KEY,
        rule_id text NOT NULL,
        unit_code text NOT NULL,
        province_code char(2) NOT NULL,
        severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
        status text NOT NULL CHECK (status IN ('active', 'cleared')),
        fired_at timestamptz NOT NULL,
        cleared_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by text,
        assignee text,
        updated_at timestamptz NOT NULL,
        fired_value double precision NOT NULL,
        last_value double precision,
        params jsonb NOT NULL,
        details jsonb NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX alert_one_active ON alert (rule_id, unit_code) WHERE status = 'active'`);
    await q.query('CREATE INDEX alert_fired_idx ON alert (fired_at DESC)');
    await q.query('CREATE INDEX alert_province_idx ON alert (province_code, fired_at DESC)');
    await q.query(`
      CREATE TABLE alert_event (
        id bigserial PRIMARY KEY,
        alert_id bigint NOT NULL REFERENCES alert (id),
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        from_state jsonb,
        to_state jsonb,
        note text,
        details jsonb
      )`);
    await q.query('CREATE INDEX alert_event_alert_idx ON alert_event (alert_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['alert_event', 'alert', 'alert_state', 'alert_rule_override']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
