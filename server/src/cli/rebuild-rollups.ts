import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config.js';
import { dataSourceOptions, migrate } from '../database/data-source.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { rebuildProjection } from '../projection/rebuild.js';

/**
 * `npm run rebuild-rollups`: recomputes dossier state, all KPI rollups and unit
 * activity from the raw event log (the projection, folded again from the start). Uses DATABASE_URL, or the embedded database of `npm start`.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.embeddedPgDir, (m) => console.log(`[db] ${m}`));
  const url = config.databaseUrl ?? embedded!.url;
  await migrate(url);
  const db = new DataSource(dataSourceOptions(url, 4));
  await db.initialize();
  try {
    let lastPrint = 0;
    const r = await rebuildProjection(db, {
      hourlyDays: config.hourlyRetentionDays,
      onProgress: (n) => {
        if (Date.now() - lastPrint > 2000) {
          lastPrint = Date.now();
          console.log(`… ${n.toLocaleString('en')} events replayed`);
        }
      },
    });
    console.log(`rebuilt dossiers and rollups from ${r.events.toLocaleString('en')} events of ${r.dossiers.toLocaleString('en')} dossiers in ${(r.ms / 1000).toFixed(1)} s`);
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`rebuild failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
