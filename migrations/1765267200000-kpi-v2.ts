import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rollup counters of ingest contract v1.1 (kpi-v2), with their column types. */
const ROLLUP_COLUMNS: [string, string][] = [
  // Seconds summed over a bucket's completions overflow an integer within a province-month.
  ['processing_seconds', 'bigint'],
  ['reuse_known', 'integer'],
  ['reused_digitized_data', 'integer'],
  ['citizen_data_known', 'integer'],
  ['citizen_data_used', 'integer'],
  ['synced', 'integer'],
  ['citizen_store_known', 'integer'],
  ['citizen_store_linked', 'integer'],
  ['resolved_dissatisfied', 'integer'],
];
/** Counters whose achievement may fall after their cohort's bucket. */
const DEFERRED_COLUMNS = ['synced', 'citizen_store_known', 'citizen_store_linked', 'resolved_dissatisfied'];

/**
 * The national index sub-indicator by sub-indicator (kpi-v2): new rollup counters
 * for the v1.1 attributes, the `synced` event and the 5.4 dislike rule, and the
 * instant each unit's sources first sent a `synced` event (a unit that never did
 * has no data for 1.4). Existing rollups hold zeros in the new columns until the
 * projection is rebuilt from the raw log (`npm run rebuild-rollups`), which the
 * README's kpi-v2 upgrade steps ask for.
 */
export class KpiV21765267200000 implements MigrationInterface {
  name = 'KpiV21765267200000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['kpi_hourly', 'kpi_daily', 'kpi_monthly']) {
      await q.query(`ALTER TABLE ${table} ${ROLLUP_COLUMNS.map(([c, t]) => `ADD COLUMN ${c} ${t} NOT NULL DEFAULT 0`).join(', ')}`);
    }
    await q.query(`ALTER TABLE kpi_deferred ${DEFERRED_COLUMNS.map((c) => `ADD COLUMN ${c} integer NOT NULL DEFAULT 0`).join(', ')}`);
    await q.query(`
      CREATE TABLE unit_sync (
        unit_code text PRIMARY KEY,
        province_code text NOT NULL,
        first_synced_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE unit_sync`);
    await q.query(`ALTER TABLE kpi_deferred ${DEFERRED_COLUMNS.map((c) => `DROP COLUMN ${c}`).join(', ')}`);
    for (const table of ['kpi_hourly', 'kpi_daily', 'kpi_monthly']) {
      await q.query(`ALTER TABLE ${table} ${ROLLUP_COLUMNS.map(([c]) => `DROP COLUMN ${c}`).join(', ')}`);
    }
  }
}
