import type { Role } from './access.js';

/** REST contract of sign-in, accounts, ingest keys and the audit log. */

/** The refresh token travels only in this HTTP-only cookie, on `/api/v1/auth` paths. */
export const REFRESH_COOKIE = 'ioc_refresh';
/**
 * Set and cleared with the refresh cookie, readable by the page and holding no secret
 * (`1`): a page opened without it knows there is no sign-in to restore and asks nothing.
 */
export const SIGNED_IN_HINT_COOKIE = 'ioc_signed_in';
export const MIN_PASSWORD_LENGTH = 10;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** `nation`, `province:<code>` or `commune:<code>`. */
  scope: string;
  /** The scope's name, e.g. "Thành phố Hà Nội". */
  scopeName: string;
  /** The province the scope lies in (itself for a province, null for the nation). */
  provinceCode: string | null;
}

/**
 * Why a sign-in was refused, in `details.reason` of the error body (401 or 429),
 * so a screen can say it in its own language.
 */
export const SIGN_IN_REFUSALS = ['wrong_credentials', 'deactivated', 'locked', 'rate_limited'] as const;
export type SignInRefusal = (typeof SIGN_IN_REFUSALS)[number];

/**
 * Why `POST /api/v1/auth/refresh` answered 401, in `details.reason`:
 * `reused`: the refresh token had already been used and replaced (every refresh
 * rotates it), so someone else may hold a copy: the whole sign-in was ended.
 */
export const REFRESH_REFUSALS = ['signed_out', 'expired', 'deactivated', 'unknown', 'reused'] as const;
export type RefreshRefusal = (typeof REFRESH_REFUSALS)[number];

/** Answer to sign-in and refresh: a short-lived bearer token; the refresh token is set as a cookie (a new one at every refresh). */
export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds the access token stays valid. */
  expiresIn: number;
  user: SessionUser;
}

export interface DemoAccount {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  scope: string;
  scopeName: string;
}

/** `GET /api/v1/auth/options`: what the sign-in page needs to know before anyone signs in. */
export interface AuthOptions {
  /** Demo accounts, only when the server created them (demo mode). */
  demoAccounts: DemoAccount[];
}

export interface UserSummary extends SessionUser {
  active: boolean;
  /** Until when sign-in is refused after repeated failures, if it is. */
  lockedUntil: string | null;
  lastSignInAt: string | null;
  createdAt: string;
}

export interface IngestKeySummary {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it; the key itself is shown once, at creation. */
  prefix: string;
  scope: string;
  scopeName: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface CreatedIngestKey extends IngestKeySummary {
  /** The key: shown only in this answer. */
  key: string;
}

export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_out',
  'auth.refresh_refused',
  /** A replaced refresh token presented again: its session was ended. */
  'auth.refresh_reuse',
  'auth.password_change',
  'auth.locked',
  'user.create',
  'user.update',
  'user.password_reset',
  'key.create',
  'key.revoke',
  'ingest.refused',
  'alert.acknowledge',
  'alert.assign',
  'alert.comment',
  'rule.override_set',
  'rule.override_delete',
  'notification.channel_create',
  'notification.channel_update',
  'notification.channel_delete',
  'notification.channel_test',
  'notification.subscription_create',
  'notification.subscription_update',
  'notification.subscription_delete',
  'notification.group_create',
  'notification.group_update',
  'notification.group_delete',
  'notification.contact_set',
  'notification.escalation_policy',
  /** An unacknowledged alert went to the next level (who was reached, after how many working minutes). */
  'notification.escalate',
  /** An escalation ended: acknowledged, cleared, or the last level reached. */
  'notification.escalation_stop',
  'notification.redeliver',
  /** A report generated on request (scheduled ones are made by the system). */
  'report.generate',
  /** Readiness values recorded for communes (by an administrator or a province's key); unchanged values are counted, not stored. */
  'readiness.record',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: string;
  at: string;
  action: AuditAction;
  outcome: 'success' | 'failure';
  /** The account that acted (or tried to), by username; null when unknown. */
  actor: string | null;
  /** What was acted on, e.g. `user:…`, `alert:42`, `rule:commune-silence@province:01`. */
  target: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditListResponse {
  total: number;
  page: number;
  pageSize: number;
  items: AuditEntry[];
}
