import type { EntityManager } from 'typeorm';
import { type Account, accountColumns } from '../auth/users.repository.js';
import type { Queryable } from '../database/queryable.js';
import { NotificationContact } from './notification.entities.js';

/*
 * Email addresses of accounts (table notification_contact), and people as messages
 * reach them: an account (app_user) with its address, if it has one.
 */

/** An account as a message reaches it. */
export interface Person extends Account {
  email: string | null;
}

/** The columns of a Person on `app_user u LEFT JOIN notification_contact c`. */
export const PERSON_COLUMNS = `${accountColumns('u')}, c.email`;

const contacts = (m: EntityManager) => m.getRepository(NotificationContact);

/** Every active account with its address (null: none), by role, scope and username. */
export async function activePeople(q: Queryable): Promise<Person[]> {
  return (await q.query(
    `SELECT ${PERSON_COLUMNS} FROM app_user u LEFT JOIN notification_contact c ON c.user_id = u.id
      WHERE u.active ORDER BY u.role, u.scope, u.username`,
  )) as Person[];
}

/** The active leaders, with their addresses, by username. */
export async function activeLeaders(q: Queryable): Promise<Person[]> {
  return (await q.query(
    `SELECT ${PERSON_COLUMNS} FROM app_user u LEFT JOIN notification_contact c ON c.user_id = u.id
      WHERE u.active AND u.role = 'leader' ORDER BY u.username`,
  )) as Person[];
}

/** The active account of a username (exactly as written), with its address. */
export async function activePerson(q: Queryable, username: string): Promise<Person | null> {
  const [row] = (await q.query(
    `SELECT ${PERSON_COLUMNS} FROM app_user u LEFT JOIN notification_contact c ON c.user_id = u.id
      WHERE u.active AND u.username = $1`,
    [username],
  )) as Person[];
  return row ?? null;
}

/** The active leaders and commune chairs who have an address, by username: the readers of the daily digest. */
export async function digestReaders(q: Queryable): Promise<(Person & { email: string })[]> {
  return (await q.query(
    `SELECT ${PERSON_COLUMNS} FROM app_user u JOIN notification_contact c ON c.user_id = u.id
      WHERE u.active AND u.role IN ('leader', 'commune_chair') ORDER BY u.username`,
  )) as (Person & { email: string })[];
}

export async function emailOf(m: EntityManager, userId: string): Promise<string | null> {
  const row = await contacts(m).findOne({ select: { email: true }, where: { userId } });
  return row?.email ?? null;
}

/** Sets an account's address (null: removes it). */
export async function setEmail(m: EntityManager, userId: string, email: string | null): Promise<void> {
  if (email === null) await contacts(m).delete({ userId });
  else await contacts(m).createQueryBuilder().insert().values({ userId, email }).orUpdate(['email', 'updated_at'], ['user_id']).execute();
}

/** Gives accounts an address unless they have one. */
export async function addEmailsIfMissing(m: EntityManager, list: { userId: string; email: string }[]): Promise<void> {
  for (const c of list) await contacts(m).createQueryBuilder().insert().values(c).orIgnore().execute();
}
