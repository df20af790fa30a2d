import type { Role } from '@ioc/shared';
import { type EntityManager, Like } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import type { ChannelRef } from './channels.repository.js';
import { type Person, PERSON_COLUMNS } from './contacts.repository.js';
import { NotificationSubscription } from './notification.entities.js';

/*
 * Subscriptions (table notification_subscription), and whom they reach: their
 * account, or the members of their group (notification_group_member), with the
 * account's address (notification_contact).
 */

/** What a subscription the dispatcher matches says, with its channel's name and kind. */
export type ActiveSubscription = Pick<NotificationSubscription, 'id' | 'channelId' | 'userId' | 'groupId' | 'scope' | 'minSeverity' | 'ruleId' | 'quietStart' | 'quietEnd' | 'notifyResolved'> & {
  channelName: string;
  channelKind: 'email' | 'webhook';
};

/** The fields an administrator sets. */
export type SubscriptionFields = Pick<
  NotificationSubscription,
  'name' | 'channelId' | 'userId' | 'groupId' | 'scope' | 'minSeverity' | 'ruleId' | 'quietStart' | 'quietEnd' | 'notifyResolved' | 'enabled'
>;

const subscriptions = (m: EntityManager) => m.getRepository(NotificationSubscription);

export function listSubscriptions(m: EntityManager): Promise<NotificationSubscription[]> {
  return subscriptions(m).find({ order: { id: 'ASC' } });
}

export function subscriptionById(m: EntityManager, id: string): Promise<NotificationSubscription | null> {
  return subscriptions(m).findOneBy({ id });
}

/** Adds a subscription; answers it whole, as stored. */
export async function insertSubscription(m: EntityManager, s: SubscriptionFields & Pick<NotificationSubscription, 'createdBy'>): Promise<NotificationSubscription> {
  const row = subscriptions(m).create(s);
  await subscriptions(m).insert(row);
  return row;
}

/** Replaces what a subscription says; answers it as it now is. */
export async function updateSubscription(m: EntityManager, id: string, set: SubscriptionFields): Promise<NotificationSubscription> {
  await subscriptions(m).update({ id }, { ...set, updatedAt: () => 'now()' });
  return subscriptions(m).findOneByOrFail({ id });
}

export async function deleteSubscription(m: EntityManager, id: string): Promise<void> {
  await subscriptions(m).delete({ id });
}

/** The demo's subscription of one account (defaults for the rest). */
export async function insertDemoSubscription(m: EntityManager, s: Pick<NotificationSubscription, 'name' | 'channelId' | 'userId' | 'scope' | 'minSeverity' | 'createdBy'>): Promise<void> {
  await subscriptions(m).insert(s);
}

/** The scopes of enabled subscriptions that start with `prefix` (e.g. `commune:`). */
export async function enabledScopesLike(m: EntityManager, prefix: string): Promise<string[]> {
  const rows = await subscriptions(m).find({ select: { scope: true }, where: { enabled: true, scope: Like(`${prefix}%`) } });
  return rows.map((r) => r.scope);
}

/** The enabled subscriptions on enabled channels. */
export async function activeSubscriptions(q: Queryable): Promise<ActiveSubscription[]> {
  return (await q.query(
    `SELECT s.id, s.channel_id AS "channelId", c.name AS "channelName", c.kind AS "channelKind", s.user_id AS "userId", s.group_id AS "groupId", s.scope,
            s.min_severity AS "minSeverity", s.rule_id AS "ruleId", s.quiet_start AS "quietStart", s.quiet_end AS "quietEnd", s.notify_resolved AS "notifyResolved"
       FROM notification_subscription s JOIN notification_channel c ON c.id = s.channel_id
      WHERE s.enabled AND c.enabled`,
  )) as ActiveSubscription[];
}

/** The active people each subscription of `ids` reaches (its account, or its group's members), by subscription id. */
export async function subscriptionRecipients(q: Queryable, ids: string[]): Promise<Map<string, Person[]>> {
  const rows = (await q.query(
    `SELECT s.id AS "subscriptionId", ${PERSON_COLUMNS}
       FROM notification_subscription s
       LEFT JOIN notification_group_member g ON g.group_id = s.group_id
       JOIN app_user u ON u.id = coalesce(s.user_id, g.user_id)
       LEFT JOIN notification_contact c ON c.user_id = u.id
      WHERE s.id = ANY($1::bigint[]) AND u.active`,
    [ids],
  )) as (Person & { subscriptionId: string })[];
  const out = new Map<string, Person[]>();
  for (const { subscriptionId, ...p } of rows) out.set(String(subscriptionId), [...(out.get(String(subscriptionId)) ?? []), p]);
  return out;
}

/** The enabled channels of an account's enabled subscriptions, its own or its groups', by id. */
export async function channelsSubscribedBy(q: Queryable, userId: string): Promise<ChannelRef[]> {
  return (await q.query(
    `SELECT DISTINCT c.id, c.name, c.kind FROM notification_subscription s
       JOIN notification_channel c ON c.id = s.channel_id
       LEFT JOIN notification_group_member g ON g.group_id = s.group_id
      WHERE s.enabled AND c.enabled AND (s.user_id = $1 OR g.user_id = $1)
      ORDER BY c.id`,
    [userId],
  )) as ChannelRef[];
}

/** The active people with an address that subscriptions on enabled email channels reach for `scope`, once each. */
export async function emailSubscribersOf(q: Queryable, scope: string): Promise<{ username: string; role: Role; scope: string; email: string }[]> {
  return (await q.query(
    `SELECT DISTINCT u.username, u.role, u.scope, c.email
       FROM notification_subscription s
       JOIN notification_channel ch ON ch.id = s.channel_id AND ch.enabled AND ch.kind = 'email'
       LEFT JOIN notification_group_member gm ON gm.group_id = s.group_id
       JOIN app_user u ON u.id = coalesce(s.user_id, gm.user_id) AND u.active
       JOIN notification_contact c ON c.user_id = u.id
      WHERE s.enabled AND s.scope = $1`,
    [scope],
  )) as { username: string; role: Role; scope: string; email: string }[];
}
