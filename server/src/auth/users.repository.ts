import type { Role } from '@ioc/shared';
import { type EntityManager, In, Like, Not } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { User } from './user.entity.js';

/*
 * Accounts (table app_user). The functions take the EntityManager to run on: the
 * DataSource's, or a transaction's, so a change and its audit entry commit together;
 * insertUserIfNew takes any connection, for what runs outside the server.
 */

/** What a session, a token or a message needs of an account. */
export type Account = Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'scope'>;

const users = (m: EntityManager) => m.getRepository(User);

/** The columns of an Account in raw SQL on `app_user` aliased `alias`, named as User's properties. */
export const accountColumns = (alias: string) => `${alias}.id, ${alias}.username, ${alias}.display_name AS "displayName", ${alias}.role, ${alias}.scope`;

/** Every account, by role, scope and username. */
export function listUsers(m: EntityManager): Promise<User[]> {
  return users(m).find({ order: { role: 'ASC', scope: 'ASC', username: 'ASC' } });
}

export function userById(m: EntityManager, id: string): Promise<User | null> {
  return users(m).findOneBy({ id });
}

/** The account, locked until the transaction ends. */
export function userByIdForUpdate(m: EntityManager, id: string): Promise<User | null> {
  return users(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

/** The account of a username, whatever its case. */
export function userByUsername(m: EntityManager, username: string): Promise<User | null> {
  return users(m).createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
}

export function usernameTaken(m: EntityManager, username: string): Promise<boolean> {
  return users(m).createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getExists();
}

/** Adds an account; answers it whole, as stored (defaults included). */
export async function insertUser(m: EntityManager, a: Pick<User, 'username' | 'displayName' | 'role' | 'scope' | 'passwordHash' | 'demo'>): Promise<User> {
  const row = users(m).create({ ...a, lockedUntil: null, lastSignInAt: null });
  await users(m).insert(row);
  return row;
}

/**
 * SQL for the full name of the account whose username is the column `usernameColumn`
 * (null when there is none): for tables of other modules that name an account by its username.
 */
export const displayNameOfUsernameSql = (usernameColumn: string) => `SELECT display_name FROM app_user WHERE username = ${usernameColumn}`;

/** How many active administrators there are. */
export function activeAdmins(m: EntityManager): Promise<number> {
  return users(m).countBy({ role: 'admin', active: true });
}

/** The active accounts of `roles`: administrators last, then by role, name and username. */
export async function activeAccountsOfRoles<R extends Role>(m: EntityManager, roles: readonly R[]): Promise<(Pick<User, 'username' | 'displayName' | 'scope'> & { role: R })[]> {
  const rows = await users(m)
    .createQueryBuilder('u')
    .select(['u.username', 'u.displayName', 'u.role', 'u.scope'])
    .where({ active: true, role: In([...roles]) })
    .orderBy(`u.role = 'admin'`, 'ASC')
    .addOrderBy('u.role', 'ASC')
    .addOrderBy('u.displayName', 'ASC')
    .addOrderBy('u.username', 'ASC')
    .getMany();
  // The WHERE clause keeps only `roles`.
  return rows as (User & { role: R })[];
}

/** Active administrators other than `id`. */
export function otherActiveAdmins(m: EntityManager, id: string): Promise<number> {
  return users(m).countBy({ role: 'admin', active: true, id: Not(id) });
}

/** An administrator's change to an account; `unlock` clears its lockout. Answers the account as it now is. */
export async function updateUser(m: EntityManager, id: string, set: Pick<User, 'displayName' | 'role' | 'scope' | 'active'>, unlock: boolean): Promise<User> {
  await users(m).update({ id }, { ...set, ...(unlock ? { failedAttempts: 0, lockedUntil: null } : {}), updatedAt: () => 'now()' });
  return users(m).findOneByOrFail({ id });
}

/** A new password; an administrator's also clears the lockout. */
export async function setPassword(m: EntityManager, id: string, passwordHash: string, opts: { clearLockout: boolean }): Promise<void> {
  await users(m).update({ id }, { passwordHash, passwordChangedAt: () => 'now()', updatedAt: () => 'now()', ...(opts.clearLockout ? { failedAttempts: 0, lockedUntil: null } : {}) });
}

/** A successful sign-in: the count of wrong passwords starts again. */
export async function recordSignIn(m: EntityManager, id: string): Promise<void> {
  await users(m).update({ id }, { failedAttempts: 0, lockedUntil: null, lastSignInAt: () => 'now()' });
}

/**
 * A wrong password, counted in the database so every process and address share one
 * count: the `maxFailures`-th locks the account for `lockMinutes` and starts the count
 * again. Answers until when the account is locked (null: it is not, or not by this).
 */
export async function recordWrongPassword(m: EntityManager, id: string, maxFailures: number, lockMinutes: number): Promise<Date | null> {
  const [rows] = (await m.query(
    `UPDATE app_user SET
       failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
       locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
     WHERE id = $1 RETURNING locked_until`,
    [id, maxFailures, lockMinutes],
  )) as [{ locked_until: Date | null }[], number];
  return rows[0]?.locked_until ?? null;
}

/** The active demo accounts. */
export function activeDemoUsers(m: EntityManager): Promise<Pick<User, 'id' | 'username' | 'role' | 'scope'>[]> {
  return users(m).find({ select: { id: true, username: true, role: true, scope: true }, where: { demo: true, active: true } });
}

/** An account as a recipient is checked against (its role, scope and whether it is active). */
export function userRef(m: EntityManager, id: string): Promise<(Account & Pick<User, 'active'>) | null> {
  return users(m).findOne({ select: { id: true, username: true, displayName: true, role: true, scope: true, active: true }, where: { id } });
}

/** The scopes of active accounts that start with `prefix` (e.g. `commune:`). */
export async function activeScopesLike(m: EntityManager, prefix: string): Promise<string[]> {
  const rows = await users(m).find({ select: { scope: true }, where: { active: true, scope: Like(`${prefix}%`) } });
  return rows.map((r) => r.scope);
}

/**
 * Writes an account on any connection (a pg client included), for what runs outside
 * the server. Answers its id, or null when the username is taken.
 */
export async function insertUserIfNew(q: Queryable, a: { username: string; displayName: string; role: Role; scope: string; passwordHash: string }): Promise<string | null> {
  const res = (await q.query(
    `INSERT INTO app_user (username, display_name, role, scope, password_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ((lower(username))) DO NOTHING RETURNING id`,
    [a.username, a.displayName, a.role, a.scope, a.passwordHash],
  )) as { rows?: { id: string }[] } | { id: string }[];
  const rows = Array.isArray(res) ? res : (res.rows ?? []);
  return rows[0]?.id ?? null;
}
