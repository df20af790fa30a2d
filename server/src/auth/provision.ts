import type { Role, TokenResponse } from '@ioc/shared';
import { appendAuditEntry } from '../audit/audit-log.repository.js';
import type { Queryable } from '../database/queryable.js';
import { hashPassword } from './passwords.js';
import { insertUserIfNew } from './users.repository.js';

export { registerIngestKey } from './ingest-keys.service.js';

/**
 * Writes an account straight into a database, for what runs outside the
 * server: the create-admin command, benchmarks and tests of separate processes.
 * Answers false when the username is taken.
 */
export async function insertAccount(q: Queryable, a: { username: string; password: string; role: Role; scope: string; displayName: string }, by = 'system'): Promise<boolean> {
  const id = await insertUserIfNew(q, { username: a.username, displayName: a.displayName, role: a.role, scope: a.scope, passwordHash: await hashPassword(a.password) });
  if (id === null) return false;
  await appendAuditEntry(q, { action: 'user.create', outcome: 'success', actor: by, target: `user:${id}`, ip: null, details: { username: a.username, role: a.role, scope: a.scope } });
  return true;
}

/** Signs in over HTTP and answers the access token. */
export async function signInOver(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as TokenResponse).accessToken;
}
