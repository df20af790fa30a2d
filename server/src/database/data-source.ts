import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';

/** TypeORM settings: migrations only (no synchronize), run at boot. */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    entities: [],
    // Failed queries surface as exceptions where they are handled; logging them here would say it twice.
    logging: false,
    extra: { max: poolSize, application_name: 'ioc-server' },
  };
}
