import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A local day (Asia/Ho_Chi_Minh) of an epoch-ms value, as the rollups' buckets spell it. */
const localDay = (ms: string) => `date_bin('1 day', to_timestamp((${ms}) / 1000.0), timestamptz '2000-01-01 00:00+07')`;

/** The table's rows from the stored dossiers' facts, as the projector would fold them. */
export const FILL_FEE_PROCEDURES = `
  INSERT INTO kpi_fee_procedure (received_day, unit_code, procedure_code, paid_day, province_code, n)
  SELECT ${localDay('rat')}, unit_code, procedure_code, CASE WHEN paid IS NULL THEN 'infinity' ELSE ${localDay('greatest(paid, rat)')} END, province_code, count(*)
  FROM (
    SELECT unit_code, province_code, (facts->'received'->>'at')::float8 AS rat, facts->'received'->>'procedureCode' AS procedure_code, (facts->>'paidOnlineAt')::float8 AS paid
    FROM dossier WHERE coalesce((facts->'received'->>'feeRequired')::boolean, false)
  ) d
  GROUP BY 1, 2, 3, 4, 5`;

/** The local month of a day column, starting `plus` months later. */
const localMonth = (day: string, plus = 0) => `((date_trunc('month', ${day} AT TIME ZONE 'Asia/Ho_Chi_Minh') + interval '${plus} month') AT TIME ZONE 'Asia/Ho_Chi_Minh')`;

/** Each unit's dossiers per month and procedure, then its day and month counts, from kpi_fee_procedure, then the province totals. */
export const FILL_FEE_SUMMARIES = [
  `INSERT INTO kpi_fee_month (province_code, month, unit_code, procedure_code, received, paid)
   SELECT province_code, ${localMonth('received_day')}, unit_code, procedure_code, sum(n), coalesce(sum(n) FILTER (WHERE paid_day < ${localMonth('received_day', 1)}), 0)
   FROM kpi_fee_procedure GROUP BY 1, 2, 3, 4`,
  `INSERT INTO kpi_fee_summary (grain, bucket, unit_code, province_code, received, paid)
   SELECT 'd', received_day, unit_code, province_code, count(DISTINCT procedure_code), count(DISTINCT procedure_code) FILTER (WHERE paid_day = received_day)
   FROM kpi_fee_procedure GROUP BY 2, 3, 4`,
  `INSERT INTO kpi_fee_summary (grain, bucket, unit_code, province_code, received, paid)
   SELECT 'm', ${localMonth('received_day')}, unit_code, province_code, count(DISTINCT procedure_code),
          count(DISTINCT procedure_code) FILTER (WHERE paid_day < ${localMonth('received_day', 1)})
   FROM kpi_fee_procedure GROUP BY 2, 3, 4`,
  `INSERT INTO kpi_fee_summary (grain, bucket, unit_code, province_code, received, paid)
   SELECT grain, bucket, 'P' || province_code, province_code, sum(received), sum(paid) FROM kpi_fee_summary GROUP BY 1, 2, 4`,
];

/**
 * Sub-indicator 3.5b counts distinct procedures, which no sum of rollup rows gives:
 * the fee-bearing dossiers are kept per unit, procedure, receipt day and online
 * payment day (`infinity` when not paid online) with their number, so any period
 * counts its distinct (unit, procedure) pairs. The projector keeps it with the
 * rollups; a change marks its receipt day like theirs (migration 1764835200000),
 * so kept reads of past periods are read again. Existing dossiers fill it here.
 * The key leads with the province: a province's days are one index range, the
 * nation's 34 of them. A day's and a month's counts per unit and province are kept
 * beside it (`kpi_fee_summary`), for series points and rankings of a month, with
 * the dossiers per unit, month and procedure (`kpi_fee_month`) that keep a month's
 * counts up to date at the cost of a batch, not of the month.
 */
export class FeeProcedures1765958400000 implements MigrationInterface {
  name = 'FeeProcedures1765958400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kpi_fee_procedure (
        received_day timestamptz NOT NULL,
        unit_code text NOT NULL,
        procedure_code text NOT NULL,
        paid_day timestamptz NOT NULL,
        province_code text NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (province_code, received_day, unit_code, procedure_code, paid_day)
      )`);
    await q.query(FILL_FEE_PROCEDURES);
    // The dossiers of each unit, month and procedure, and of those the ones paid online by the month's end.
    await q.query(`
      CREATE TABLE kpi_fee_month (
        province_code text NOT NULL,
        month timestamptz NOT NULL,
        unit_code text NOT NULL,
        procedure_code text NOT NULL,
        received integer NOT NULL,
        paid integer NOT NULL,
        PRIMARY KEY (province_code, month, unit_code, procedure_code)
      )`);
    // A day's or a month's counts, per unit and per province, as a series point, a day or a month reads them.
    await q.query(`
      CREATE TABLE kpi_fee_summary (
        grain text NOT NULL CHECK (grain IN ('d', 'm')),
        unit_code text NOT NULL,
        bucket timestamptz NOT NULL,
        province_code text NOT NULL,
        received integer NOT NULL,
        paid integer NOT NULL,
        PRIMARY KEY (grain, unit_code, bucket)
      )`);
    await q.query(`CREATE INDEX kpi_fee_summary_bucket_idx ON kpi_fee_summary (grain, bucket)`);
    for (const sql of FILL_FEE_SUMMARIES) await q.query(sql);
    await q.query(`
      CREATE FUNCTION ioc_kpi_fee_procedure_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v bigint;
      BEGIN
        UPDATE rollup_version SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
        INSERT INTO rollup_change AS c (day, version) SELECT DISTINCT received_day, v FROM changed
          ON CONFLICT (day) DO UPDATE SET version = excluded.version;
        RETURN NULL;
      END $$`);
    for (const [event, rows] of [
      ['INSERT', 'NEW'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ] as const) {
      await q.query(
        `CREATE TRIGGER kpi_fee_procedure_${event.toLowerCase()}_change AFTER ${event} ON kpi_fee_procedure REFERENCING ${rows} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ioc_kpi_fee_procedure_changed()`,
      );
    }
    await q.query(`CREATE TRIGGER kpi_fee_procedure_truncate_change AFTER TRUNCATE ON kpi_fee_procedure FOR EACH STATEMENT EXECUTE FUNCTION ioc_rollups_emptied()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kpi_fee_summary`);
    await q.query(`DROP TABLE kpi_fee_month`);
    await q.query(`DROP TABLE kpi_fee_procedure`);
    await q.query(`DROP FUNCTION ioc_kpi_fee_procedure_changed()`);
  }
}
