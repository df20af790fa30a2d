import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The rollup tables, and how each row names the local day it changes. */
const TABLES = [
  { table: 'kpi_hourly', day: `date_bin('1 day', bucket, timestamptz '2000-01-01 00:00+07')` },
  { table: 'kpi_daily', day: 'bucket' },
  { table: 'kpi_monthly', day: 'bucket' },
  // A deferred row counts in a period that holds its cohort only once achieved: the later of the two days.
  { table: 'kpi_deferred', day: 'greatest(cohort_bucket, achieved_day)' },
] as const;

/**
 * Which local days' rollups changed, for readers that keep what past days add up
 * to (the alert engine's rolling windows): statement triggers on the rollup tables
 * record, per local day, the version of the last change to it. `rollup_version`
 * counts changes; its row stays locked by the writing transaction until it commits,
 * so a reader that sees version V has seen every change numbered V or less.
 * Emptying a rollup table (a rebuild) moves `reset_version`: every day changed.
 * A monthly row changes with the daily rows of its days; it names its first day.
 * An index on `kpi_deferred (achieved_day)` finds what was achieved today.
 */
export class RollupChanges1764835200000 implements MigrationInterface {
  name = 'RollupChanges1764835200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rollup_version (id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL, reset_version bigint NOT NULL)`);
    await q.query(`INSERT INTO rollup_version VALUES (1, 0, 0)`);
    await q.query(`CREATE TABLE rollup_change (day timestamptz PRIMARY KEY, version bigint NOT NULL)`);
    await q.query(`
      CREATE FUNCTION ioc_rollups_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE rollup_version SET version = version + 1, reset_version = version + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    for (const { table, day } of TABLES) {
      // One function per table: a transition table's columns are those of its table.
      await q.query(`
        CREATE FUNCTION ioc_${table}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE v bigint;
        BEGIN
          UPDATE rollup_version SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
          INSERT INTO rollup_change AS c (day, version) SELECT DISTINCT ${day}, v FROM changed
            ON CONFLICT (day) DO UPDATE SET version = excluded.version;
          RETURN NULL;
        END $$`);
      // Transition tables allow one event per trigger.
      for (const [event, rows] of [
        ['INSERT', 'NEW'],
        ['UPDATE', 'NEW'],
        ['DELETE', 'OLD'],
      ] as const) {
        await q.query(
          `CREATE TRIGGER ${table}_${event.toLowerCase()}_change AFTER ${event} ON ${table} REFERENCING ${rows} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ioc_${table}_changed()`,
        );
      }
      await q.query(`CREATE TRIGGER ${table}_truncate_change AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ioc_rollups_emptied()`);
    }
    await q.query(`CREATE INDEX kpi_deferred_achieved_idx ON kpi_deferred (achieved_day)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX kpi_deferred_achieved_idx`);
    for (const { table } of TABLES) {
      for (const event of ['insert', 'update', 'delete', 'truncate']) await q.query(`DROP TRIGGER ${table}_${event}_change ON ${table}`);
      await q.query(`DROP FUNCTION ioc_${table}_changed()`);
    }
    await q.query(`DROP FUNCTION ioc_rollups_emptied()`);
    await q.query(`DROP TABLE rollup_change`);
    await q.query(`DROP TABLE rollup_version`);
  }
}
