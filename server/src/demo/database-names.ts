import type { Queryable } from '../database/queryable.js';

/** The names of the databases on the PostgreSQL server `q` is connected to (pg_database). */
export async function databaseNames(q: Queryable): Promise<string[]> {
  const rows = (await q.query('SELECT datname FROM pg_database')) as { datname: string }[];
  return rows.map((r) => r.datname);
}
