import type { MigrationInterface, QueryRunner } from 'typeorm';

const COUNTERS = `
  received integer NOT NULL DEFAULT 0,
  received_online integer NOT NULL DEFAULT 0,
  received_postal integer NOT NULL DEFAULT 0,
  full_eligible integer NOT NULL DEFAULT 0,
  full_eligible_online integer NOT NULL DEFAULT 0,
  fee_required integer NOT NULL DEFAULT 0,
  digitized integer NOT NULL DEFAULT 0,
  paid_online integer NOT NULL DEFAULT 0,
  resolved integer NOT NULL DEFAULT 0,
  resolved_on_time integer NOT NULL DEFAULT 0,
  resolved_early integer NOT NULL DEFAULT 0,
  resolved_rejected integer NOT NULL DEFAULT 0,
  resolved_stopped integer NOT NULL DEFAULT 0,
  result_resolved integer NOT NULL DEFAULT 0,
  e_result integer NOT NULL DEFAULT 0,
  complaints integer NOT NULL DEFAULT 0,
  ip_delta integer NOT NULL DEFAULT 0,
  od_delta integer NOT NULL DEFAULT 0`;

/**
 * Reference units, the append-only raw event log, per-dossier state, and the
 * KPI rollups (hour / day / month buckets in Asia/Ho_Chi_Minh, plus deferred
 * attribute rows). See server/src/kpi/README.md for how the rollups are read.
 */
export class Init1763712000000 implements MigrationInterface {
  name = 'Init1763712000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE province (
        code char(2) PRIMARY KEY,
        name text NOT NULL,
        name_en text NOT NULL,
        full_name text NOT NULL,
        type text NOT NULL,
        area_km2 numeric(12,2) NOT NULL,
        population integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE commune (
        code char(5) PRIMARY KEY,
        province_code char(2) NOT NULL REFERENCES province(code),
        name text NOT NULL,
        name_en text NOT NULL,
        full_name text NOT NULL,
        type text NOT NULL,
        area_km2 numeric(12,2) NOT NULL,
        lon double precision NOT NULL,
        lat double precision NOT NULL
      )`);
    await q.query(`CREATE INDEX commune_province_idx ON commune (province_code)`);

    // Append-only: rows are never updated or deleted, nothing references them,
    // and ingested_at grows with seq, so the table can be range-partitioned by month.
    await q.query(`
      CREATE TABLE ingest_event (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        event_id text NOT NULL,
        dossier_id text NOT NULL,
        unit_code text NOT NULL,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        ingested_at timestamptz NOT NULL DEFAULT now(),
        payload json NOT NULL,
        CONSTRAINT ingest_event_event_id_uq UNIQUE (event_id)
      )`);
    await q.query(`CREATE INDEX ingest_event_dossier_idx ON ingest_event (dossier_id)`);
    await q.query(`CREATE INDEX ingest_event_ingested_brin ON ingest_event USING brin (ingested_at)`);

    await q.query(`
      CREATE TABLE dossier (
        dossier_id text PRIMARY KEY,
        unit_code text NOT NULL,
        province_code char(2) NOT NULL,
        received_at timestamptz,
        due_at timestamptz,
        completed_at timestamptz,
        overdue_at timestamptz,
        facts json NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      ) WITH (fillfactor = 80)`);
    // Dossiers that turn overdue later today: the correction for "now".
    await q.query(`CREATE INDEX dossier_overdue_idx ON dossier (overdue_at) WHERE overdue_at IS NOT NULL AND completed_at IS NULL`);

    for (const grain of ['hourly', 'daily', 'monthly']) {
      await q.query(`
        CREATE TABLE kpi_${grain} (
          unit_code text NOT NULL,
          province_code char(2) NOT NULL,
          bucket timestamptz NOT NULL,
          ${COUNTERS},
          CONSTRAINT kpi_${grain}_pk PRIMARY KEY (unit_code, bucket)
        ) WITH (fillfactor = 70)`);
      await q.query(`CREATE INDEX kpi_${grain}_province_idx ON kpi_${grain} (province_code, bucket)`);
      await q.query(`CREATE INDEX kpi_${grain}_bucket_idx ON kpi_${grain} (bucket)`);
    }
    await q.query(`
      CREATE TABLE kpi_deferred (
        grain char(1) NOT NULL CHECK (grain IN ('d', 'm')),
        unit_code text NOT NULL,
        province_code char(2) NOT NULL,
        cohort_bucket timestamptz NOT NULL,
        achieved_day timestamptz NOT NULL,
        digitized integer NOT NULL DEFAULT 0,
        paid_online integer NOT NULL DEFAULT 0,
        e_result integer NOT NULL DEFAULT 0,
        complaints integer NOT NULL DEFAULT 0,
        CONSTRAINT kpi_deferred_pk PRIMARY KEY (grain, unit_code, cohort_bucket, achieved_day)
      ) WITH (fillfactor = 70)`);
    await q.query(`CREATE INDEX kpi_deferred_cohort_idx ON kpi_deferred (grain, cohort_bucket)`);

    await q.query(`
      CREATE TABLE unit_activity (
        unit_code text PRIMARY KEY,
        province_code char(2) NOT NULL,
        last_ingested_at timestamptz NOT NULL,
        last_occurred_at timestamptz NOT NULL,
        events_total bigint NOT NULL DEFAULT 0
      )`);

    await q.query(`
      CREATE TABLE demo_state (
        id smallint PRIMARY KEY CHECK (id = 1),
        delivered_until timestamptz NOT NULL,
        sim_until timestamptz NOT NULL,
        history_from timestamptz NOT NULL,
        history_target timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['demo_state', 'unit_activity', 'kpi_deferred', 'kpi_monthly', 'kpi_daily', 'kpi_hourly', 'dossier', 'ingest_event', 'commune', 'province']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
