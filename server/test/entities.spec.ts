import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type TestApp, startTestApp } from './harness.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/**
 * The migrations own the schema and TypeORM never synchronizes it, so an entity that
 * said a column, key, check or index differently would go unnoticed until a query
 * failed. Asked what synchronizing would change, TypeORM must find nothing.
 */
describe('entities', () => {
  it('map the migrated tables exactly: synchronizing them would change nothing', async () => {
    expect(t.db.options.synchronize).toBe(false);
    expect(t.db.entityMetadatas.map((e) => e.tableName)).toEqual(expect.arrayContaining(['app_user', 'ingest_key', 'audit_log', 'notification_channel', 'notification_subscription', 'notification']));
    const changes = await t.db.driver.createSchemaBuilder().log();
    expect(changes.upQueries.map((q) => q.query)).toEqual([]);
  });
});
