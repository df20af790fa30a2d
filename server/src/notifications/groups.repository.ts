import type { EntityManager } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { NotificationGroup, NotificationGroupMember } from './notification.entities.js';

/* Groups of recipients (notification_group) and their members (notification_group_member). */

/** A member of a group, as the groups list shows it. */
export interface GroupMemberRow {
  groupId: string;
  userId: string;
  username: string;
  displayName: string;
}

const groups = (m: EntityManager) => m.getRepository(NotificationGroup);
const members = (m: EntityManager) => m.getRepository(NotificationGroupMember);

export function listGroups(m: EntityManager): Promise<Pick<NotificationGroup, 'id' | 'name'>[]> {
  return groups(m).find({ select: { id: true, name: true }, order: { id: 'ASC' } });
}

/** The members of every group, by username. */
export async function groupMembers(q: Queryable): Promise<GroupMemberRow[]> {
  return (await q.query(
    `SELECT m.group_id AS "groupId", u.id AS "userId", u.username, u.display_name AS "displayName"
       FROM notification_group_member m JOIN app_user u ON u.id = m.user_id ORDER BY u.username`,
  )) as GroupMemberRow[];
}

export function groupExists(m: EntityManager, id: string): Promise<boolean> {
  return groups(m).existsBy({ id });
}

/** Whether another group than `except` has this name, whatever its case. */
export function groupNameTaken(m: EntityManager, name: string, except: string | null): Promise<boolean> {
  const q = groups(m).createQueryBuilder('g').where('lower(g.name) = lower(:name)', { name });
  if (except !== null) q.andWhere('g.id <> :except', { except });
  return q.getExists();
}

/** Adds a group; answers its id. */
export async function insertGroup(m: EntityManager, name: string): Promise<string> {
  const row = groups(m).create({ name });
  await groups(m).insert(row);
  return row.id;
}

export async function renameGroup(m: EntityManager, id: string, name: string): Promise<void> {
  await groups(m).update({ id }, { name });
}

export async function deleteGroup(m: EntityManager, id: string): Promise<void> {
  await groups(m).delete({ id });
}

/** The group's members become exactly `userIds`. */
export async function setGroupMembers(m: EntityManager, groupId: string, userIds: string[]): Promise<void> {
  await members(m).delete({ groupId });
  const list = [...new Set(userIds)];
  if (list.length)
    await members(m)
      .createQueryBuilder()
      .insert()
      .values(list.map((userId) => ({ groupId, userId })))
      .orIgnore()
      .execute();
}
