import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reported indicator values of the national index (kpi-v2): one numerator and
 * denominator per unit, month and reported sub-indicator, with the source (ingest
 * key) that reported it and when. A later report replaces the earlier one.
 */
export class ReportedValues1765353600000 implements MigrationInterface {
  name = 'ReportedValues1765353600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reported_value (
        unit_code text NOT NULL,
        province_code text NOT NULL,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        sub_indicator text NOT NULL,
        numerator integer NOT NULL CHECK (numerator >= 0),
        denominator integer NOT NULL CHECK (denominator >= numerator),
        key_id text,
        reported_by text NOT NULL,
        reported_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reported_value_pk PRIMARY KEY (unit_code, month, sub_indicator)
      )`);
    await q.query(`CREATE INDEX reported_value_province ON reported_value (province_code, month)`);
    await q.query(`CREATE INDEX reported_value_month ON reported_value (month)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reported_value`);
  }
}
