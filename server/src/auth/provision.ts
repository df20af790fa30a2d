import type { Role, TokenResponse } from '@ioc/shared';
import { hashPassword } from './passwords.js';
import type { Queryable } from '../database/queryable.js';

export { registerIngestKey } from './ingest-keys.service.js';

/**
 * Writes an account straight into a database, for what runs outside the
 * server: the create-admin command, benchmarks and tests of separate processes.
 * Answers false when the username is taken.
 */
export async function insertAccount(
  q: Queryable,
  a: { username: string; password: string; role: Role; scope: string; displayName: string },
  by = 'system',
): Promise<boolean> {
  const res = (await q.query(
    `INSERT INTO app_user (username, display_name, role, scope, password_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ((lower(username))) DO NOTHING RETURNING id`,
    [a.username, a.displayName, a.role, a.scope, await hashPassword(a.password)],
  )) as { rows?: { id: string }[] } | { id: string }[];
  const rows = Array.isArray(res) ? res : (res.rows ?? []);
  if (rows.length === 0) return false;
  await q.query(`INSERT INTO audit_log (action, outcome, actor, target, details) VALUES ('user.create', 'success', $1, $2, $3)`, [
    by,
    `user:${rows[0]!.id}`,
    JSON.stringify({ username: a.username, role: a.role, scope: a.scope }),
  ]);
  return true;
}

/** Signs in over HTTP and answers the access token. */
export async function signInOver(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as TokenResponse).accessToken;
}
