import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Readiness profiles of communes, versioned: every value recorded is a row (a
 * field's current value is its latest version), with the date it holds for, its
 * source and who recorded it. And the daily summary of each commune's link, which
 * outlives the raw heartbeats (HEARTBEAT_RETENTION_DAYS).
 */
export class Readiness1765440000000 implements MigrationInterface {
  name = 'Readiness1765440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE readiness_value (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        commune_code text NOT NULL,
        province_code text NOT NULL,
        field text NOT NULL CHECK (field IN ('itStaff', 'trainedStaff', 'digitalSignatures', 'scanners', 'kiosks', 'vneidLevel2Share', 'socCovered')),
        value double precision NOT NULL,
        as_of date NOT NULL,
        source text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        recorded_by text NOT NULL,
        via text NOT NULL CHECK (via IN ('admin', 'api-key'))
      )`);
    await q.query(`CREATE INDEX readiness_value_commune ON readiness_value (commune_code, field, as_of DESC, id DESC)`);
    await q.query(`CREATE INDEX readiness_value_province ON readiness_value (province_code)`);
    await q.query(`
      CREATE TABLE link_day (
        commune_code text NOT NULL,
        day date NOT NULL,
        province_code text NOT NULL,
        heartbeats integer NOT NULL,
        up_minutes integer NOT NULL,
        degraded_minutes integer NOT NULL,
        down_minutes integer NOT NULL,
        outage_working_minutes integer NOT NULL,
        max_latency_ms integer,
        max_backlog_events bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (commune_code, day)
      )`);
    await q.query(`CREATE INDEX link_day_province ON link_day (province_code, day)`);
    await q.query(`CREATE TABLE link_day_watermark (id boolean PRIMARY KEY DEFAULT true CHECK (id), summarised_through date NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE link_day_watermark`);
    await q.query(`DROP TABLE link_day`);
    await q.query(`DROP TABLE readiness_value`);
  }
}
