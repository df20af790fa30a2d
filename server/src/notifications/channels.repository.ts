import { type EntityManager, In } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { NotificationChannel } from './notification.entities.js';

/*
 * Notification channels (table notification_channel). Each function runs on the
 * EntityManager (or connection) it is given: the DataSource's, or a transaction's.
 */

/** What sending through a channel needs. */
export type ChannelConfig = Pick<NotificationChannel, 'id' | 'name' | 'kind' | 'enabled' | 'config' | 'secret'>;
/** What a message records of its channel. */
export type ChannelRef = Pick<NotificationChannel, 'id' | 'name' | 'kind'>;

const channels = (m: EntityManager) => m.getRepository(NotificationChannel);

export function listChannels(m: EntityManager): Promise<NotificationChannel[]> {
  return channels(m).find({ order: { id: 'ASC' } });
}

export function channelById(m: EntityManager, id: string): Promise<NotificationChannel | null> {
  return channels(m).findOneBy({ id });
}

export function channelExists(m: EntityManager, id: string): Promise<boolean> {
  return channels(m).existsBy({ id });
}

/** Whether another channel than `except` has this name, whatever its case. */
export function channelNameTaken(m: EntityManager, name: string, except: string | null): Promise<boolean> {
  const q = channels(m).createQueryBuilder('c').where('lower(c.name) = lower(:name)', { name });
  if (except !== null) q.andWhere('c.id <> :except', { except });
  return q.getExists();
}

/** Adds a channel; answers it whole, as stored. */
export async function insertChannel(m: EntityManager, c: Pick<NotificationChannel, 'name' | 'kind' | 'enabled' | 'config' | 'secret' | 'createdBy'>): Promise<NotificationChannel> {
  const row = channels(m).create(c);
  await channels(m).insert(row);
  return row;
}

/** Changes a channel; answers it as it now is. */
export async function updateChannel(m: EntityManager, id: string, set: Pick<NotificationChannel, 'name' | 'enabled' | 'config' | 'secret'>): Promise<NotificationChannel> {
  await channels(m).update({ id }, { ...set, updatedAt: () => 'now()' });
  return channels(m).findOneByOrFail({ id });
}

export async function deleteChannel(m: EntityManager, id: string): Promise<void> {
  await channels(m).delete({ id });
}

/** The channels of `ids` that exist, to send through. */
export function channelConfigs(m: EntityManager, ids: string[]): Promise<ChannelConfig[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return channels(m).find({ select: { id: true, name: true, kind: true, enabled: true, config: true, secret: true }, where: { id: In(ids) } });
}

/** The enabled channels of `ids`, by id. */
export function enabledChannels(m: EntityManager, ids: string[]): Promise<ChannelRef[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return channels(m).find({ select: { id: true, name: true, kind: true }, where: { id: In(ids), enabled: true }, order: { id: 'ASC' } });
}

/** The first enabled email channel (by id), if any. */
export function firstEmailChannel(m: EntityManager): Promise<ChannelRef | null> {
  return channels(m).findOne({ select: { id: true, name: true, kind: true }, where: { enabled: true, kind: 'email' }, order: { id: 'ASC' } });
}

/** The demo's email channel, created when missing (its name is unique whatever its case); answers its id. */
export async function ensureDemoChannel(q: Queryable, name: string): Promise<string> {
  const [row] = (await q.query(
    `INSERT INTO notification_channel (name, kind, config, created_by) VALUES ($1, 'email', '{"from": null}', 'system')
     ON CONFLICT ((lower(name))) DO UPDATE SET updated_at = now() RETURNING id`,
    [name],
  )) as { id: string }[];
  return row!.id;
}
