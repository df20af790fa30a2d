import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';

/** Advisory lock key held while migrations run (any fixed 64-bit number). */
const MIGRATION_LOCK = '4840431902113020';

/**
 * TypeORM settings: the schema is the migrations' alone (no synchronize); `migrate`
 * runs them before the application starts. The entities that map tables are declared
 * by the modules that own them (TypeOrmModule.forFeature) and added by Nest
 * (autoLoadEntities); a DataSource built outside Nest has none.
 */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions & { autoLoadEntities: boolean } {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    entities: [],
    autoLoadEntities: true,
    // No DDL at start-up (CREATE EXTENSION for uuid columns): uuid keys default to gen_random_uuid(), built in.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    // Failed queries surface as exceptions where they are handled; logging them here would say it twice.
    logging: false,
    // A connection attempt that hangs (a database behind a dead network link) fails after 5 s instead of holding a request.
    extra: { max: poolSize, application_name: 'ioc-server', connectionTimeoutMillis: 5000, keepAlive: true },
  };
}

/** The connection URL a DataSource was built with: the server's always is (dataSourceOptions). */
export function databaseUrlOf(db: DataSource): string {
  const url = 'url' in db.options ? db.options.url : undefined;
  if (!url) throw new Error('the data source was built without a database URL');
  return url;
}

/**
 * Brings the schema up to date. Several server processes starting at once take
 * turns on an advisory lock: the first migrates, the others find nothing to do.
 */
export async function migrate(url: string): Promise<void> {
  const lock = new pg.Client({ connectionString: url, application_name: 'ioc-migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK]);
    const ds = new DataSource(dataSourceOptions(url, 1));
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
  } finally {
    await lock.end();
  }
}
