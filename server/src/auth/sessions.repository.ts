import type { Queryable } from '../database/queryable.js';
import { type Account, accountColumns } from './users.repository.js';

/*
 * Sign-in sessions (auth_session), the refresh tokens they replaced
 * (auth_refresh_retired) and the server's shared secrets (app_secret). Refresh
 * tokens are stored as SHA-256 hashes only. Each function runs on the connection it
 * is given: the DataSource, or a transaction's EntityManager.
 */

/** A session with its account, as a refresh reads it. */
export interface SessionAccount extends Account {
  active: boolean;
  sessionId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** A replaced refresh token's session: the hash now current, and when this one was replaced. */
export interface RetiredSessionAccount extends SessionAccount {
  currentHash: Buffer;
  retiredAt: Date;
  /** Replaced less than the grace period ago. */
  inGrace: boolean;
}

const SESSION_ACCOUNT = `s.id AS "sessionId", s.expires_at AS "expiresAt", s.revoked_at AS "revokedAt", ${accountColumns('u')}, u.active`;

/** The secret named `name`: `candidate` when none was stored yet (the first process to start stores it). */
export async function sharedSecret(q: Queryable, name: string, candidate: string): Promise<string> {
  await q.query('INSERT INTO app_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, candidate]);
  const [row] = (await q.query('SELECT value FROM app_secret WHERE name = $1', [name])) as { value: string }[];
  return row!.value;
}

/** Opens a session; answers its id. */
export async function openSession(q: Queryable, s: { userId: string; refreshHash: Buffer; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<string> {
  const [row] = (await q.query('INSERT INTO auth_session (user_id, refresh_hash, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
    s.userId,
    s.refreshHash,
    s.expiresAt,
    s.ip,
    s.userAgent,
  ])) as { id: string }[];
  return row!.id;
}

/**
 * Replaces the refresh token `hash` of an open, unexpired session of an active account
 * by `nextHash`, and retires `hash`; null when no such session has it. The row lock
 * makes one of two concurrent refreshes with the same token rotate; the other then
 * finds it retired. Run in a transaction.
 */
export async function rotateRefreshToken(q: Queryable, hash: Buffer, nextHash: Buffer): Promise<SessionAccount | null> {
  const [rows] = (await q.query(
    `UPDATE auth_session s SET refresh_hash = $2, last_used_at = now() FROM app_user u
      WHERE s.refresh_hash = $1 AND u.id = s.user_id AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active
      RETURNING ${SESSION_ACCOUNT}`,
    [hash, nextHash],
  )) as [SessionAccount[], number];
  const row = rows[0];
  if (row) await q.query('INSERT INTO auth_refresh_retired (hash, session_id) VALUES ($1, $2)', [hash, row.sessionId]);
  return row ?? null;
}

/** The session whose current refresh token is `hash`, whatever its state. */
export async function sessionOfRefreshHash(q: Queryable, hash: Buffer): Promise<SessionAccount | null> {
  const [row] = (await q.query(`SELECT ${SESSION_ACCOUNT} FROM auth_session s JOIN app_user u ON u.id = s.user_id WHERE s.refresh_hash = $1`, [hash])) as SessionAccount[];
  return row ?? null;
}

/** The session a retired refresh token `hash` belonged to; `inGrace` when it was replaced less than `graceSeconds` ago. */
export async function sessionOfRetiredHash(q: Queryable, hash: Buffer, graceSeconds: number): Promise<RetiredSessionAccount | null> {
  const [row] = (await q.query(
    `SELECT ${SESSION_ACCOUNT}, s.refresh_hash AS "currentHash", r.retired_at AS "retiredAt", r.retired_at > now() - make_interval(secs => $2) AS "inGrace"
       FROM auth_refresh_retired r JOIN auth_session s ON s.id = r.session_id JOIN app_user u ON u.id = s.user_id
      WHERE r.hash = $1`,
    [hash, graceSeconds],
  )) as RetiredSessionAccount[];
  return row ?? null;
}

/** The account of an open, unexpired session of an active account. */
export async function openSessionAccount(q: Queryable, sessionId: string): Promise<Account | null> {
  const [row] = (await q.query(
    `SELECT ${accountColumns('u')} FROM auth_session s JOIN app_user u ON u.id = s.user_id
      WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`,
    [sessionId],
  )) as Account[];
  return row ?? null;
}

export async function revokeSession(q: Queryable, sessionId: string): Promise<void> {
  await q.query('UPDATE auth_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
}

/** Ends every open session of an account, but `except`. */
export async function revokeSessionsOf(q: Queryable, userId: string, except: string | null = null): Promise<void> {
  if (except === null) await q.query('UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  else await q.query('UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL', [userId, except]);
}

/**
 * Ends the open session of a refresh token (current or retired, by its hash) and the
 * session `sessionId`; answers those ended, with their account.
 */
export async function signOutSessions(q: Queryable, refreshHash: Buffer | null, sessionId: string | null): Promise<{ id: string; userId: string; username: string }[]> {
  const [rows] = (await q.query(
    `UPDATE auth_session s SET revoked_at = now() FROM app_user u
      WHERE u.id = s.user_id AND s.revoked_at IS NULL
        AND (s.refresh_hash = $1 OR s.id = $2 OR s.id = (SELECT session_id FROM auth_refresh_retired WHERE hash = $1))
      RETURNING s.id, u.id AS "userId", u.username`,
    [refreshHash, sessionId],
  )) as [{ id: string; userId: string; username: string }[], number];
  return rows;
}
