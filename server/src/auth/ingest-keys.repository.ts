import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { IngestKey } from './ingest-key.entity.js';

/*
 * Ingest keys (table ingest_key). The functions on a Queryable also serve what runs
 * outside Nest: registerIngestKey on any connection (a pg client included), the
 * others on a DataSource without entities (the import command).
 */

const keys = (m: EntityManager) => m.getRepository(IngestKey);

/** How a key is stored: its SHA-256. */
export const hashKey = (key: string) => createHash('sha256').update(key).digest();

/** The key whose SHA-256 is `hash`, unless unknown or revoked. */
export async function activeIngestKey(q: Queryable, hash: Buffer): Promise<Pick<IngestKey, 'id' | 'name' | 'scope'> | null> {
  const [row] = (await q.query('SELECT id, name, scope FROM ingest_key WHERE key_hash = $1 AND revoked_at IS NULL', [hash])) as Pick<IngestKey, 'id' | 'name' | 'scope'>[];
  return row ?? null;
}

/** Writes an ingest key straight into a database (benchmarks and tests of separate processes). */
export async function registerIngestKey(q: Queryable, key: string, scope: string, name: string): Promise<void> {
  await q.query(`INSERT INTO ingest_key (name, prefix, key_hash, scope, created_by) VALUES ($1, $2, $3, $4, 'system') ON CONFLICT (key_hash) DO NOTHING`, [
    name,
    key.slice(0, 12),
    hashKey(key),
    scope,
  ]);
}

export async function touchIngestKey(m: EntityManager, id: string): Promise<void> {
  await keys(m).update({ id }, { lastUsedAt: () => 'now()' });
}

/** Every key: those in use first, then by scope and name. */
export function listIngestKeys(m: EntityManager): Promise<IngestKey[]> {
  return keys(m).createQueryBuilder('k').orderBy('k.revokedAt IS NOT NULL').addOrderBy('k.scope').addOrderBy('k.name').getMany();
}

/** Adds a key; answers it whole, as stored. */
export async function insertIngestKey(m: EntityManager, k: Pick<IngestKey, 'name' | 'prefix' | 'keyHash' | 'scope' | 'createdBy'>): Promise<IngestKey> {
  const row = keys(m).create({ ...k, lastUsedAt: null, revokedAt: null, revokedBy: null });
  await keys(m).insert(row);
  return row;
}

/** The key, locked until the transaction ends. */
export function ingestKeyForUpdate(m: EntityManager, id: string): Promise<IngestKey | null> {
  return keys(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

/** Revokes a key now; answers it as it now is. */
export async function revokeIngestKey(m: EntityManager, id: string, by: string): Promise<IngestKey> {
  await keys(m).update({ id }, { revokedAt: () => 'now()', revokedBy: by });
  return keys(m).findOneByOrFail({ id });
}
