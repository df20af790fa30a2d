import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildRunningStocks } from '../server/src/projection/running-stocks.js';

/**
 * Running stocks: per-unit in-progress and overdue counts (and what turns
 * overdue later today) as of one instant, kept up to date by the projector and
 * advanced by the alert engine, so an alert tick reads one row per unit instead
 * of summing every rollup bucket up to now. Province totals use the unit code
 * `P<province>` as the rollups do. Computed here from the dossier table, as of now.
 */
export class RunningStocks1764403200000 implements MigrationInterface {
  name = 'RunningStocks1764403200000';

  async up(q: QueryRunner): Promise<void> {
    // Column order matters: apply() upserts with json_populate_recordset(null::running_stock).
    await q.query(`
      CREATE TABLE running_stock (
        unit_code text PRIMARY KEY,
        province_code char(2) NOT NULL,
        first_at timestamptz,
        ip integer NOT NULL DEFAULT 0,
        od integer NOT NULL DEFAULT 0,
        turning integer NOT NULL DEFAULT 0,
        ip_day_start integer NOT NULL DEFAULT 0,
        od_day_start integer NOT NULL DEFAULT 0
      ) WITH (fillfactor = 70)`);
    await q.query(`
      CREATE TABLE running_stock_state (
        id smallint PRIMARY KEY CHECK (id = 1),
        as_of timestamptz NOT NULL
      )`);
    await rebuildRunningStocks(q, Date.now());
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE running_stock_state`);
    await q.query(`DROP TABLE running_stock`);
  }
}
