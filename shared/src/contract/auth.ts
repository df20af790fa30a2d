import { z } from 'zod';
import { ROLES } from '../auth/access.js';
import type { AuthOptions, CreatedIngestKey, IngestKeySummary, SessionUser, TokenResponse, UserSummary } from '../auth/api.js';
import { type Endpoint, queryEnum, queryParam } from './endpoint.js';

/** Sign-in, accounts, ingest keys and the audit log: request bodies, queries and endpoints. */

/** Body of `POST /api/v1/auth/sign-in`. */
export const signInBodySchema = z.strictObject({
  username: z.string({ error: 'the username is required' }).trim().min(1, 'the username is required').max(100, 'at most 100 characters'),
  password: z.string({ error: 'the password is required' }).min(1, 'the password is required').max(200, 'at most 200 characters'),
});

/** Body of `POST /api/v1/auth/password`: one's own password change. */
export const passwordChangeBodySchema = z.strictObject({
  currentPassword: z.string({ error: 'the current password is required' }).min(1, 'the current password is required').max(200),
  newPassword: z.string({ error: 'the new password is required' }).max(200, 'at most 200 characters'),
});

const username = z
  .string({ error: 'the username is required' })
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/i, 'use 3–64 letters (no diacritics), digits, dots, dashes or underscores, starting with a letter or digit');
const displayName = z.string({ error: 'the full name is required' }).trim().min(1, 'the full name is required').max(100, 'at most 100 characters');
const role = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
const scope = z.string({ error: 'the scope is required (nation, province:<code> or commune:<code>)' });
const password = z.string({ error: 'the password is required' }).max(200, 'at most 200 characters');

/** Body of `POST /api/v1/users`. */
export const userCreateBodySchema = z.strictObject({ username, displayName, role, scope, password });
/** Body of `PATCH /api/v1/users/:id`. */
export const userUpdateBodySchema = z.strictObject({
  displayName: displayName.optional(),
  role: role.optional(),
  scope: scope.optional(),
  active: z.boolean({ error: 'must be true or false' }).optional(),
  unlock: z.literal(true, { error: 'must be true (to clear a lockout)' }).optional(),
});
/** Body of `POST /api/v1/users/:id/password`. */
export const passwordResetBodySchema = z.strictObject({ password });

/** Body of `POST /api/v1/ingest-keys`. */
export const ingestKeyCreateBodySchema = z.strictObject({
  name: z.string({ error: 'name the source system (e.g. "Hệ thống một cửa xã Ba Đình")' }).trim().min(1, 'name the source system').max(200, 'at most 200 characters'),
  scope: z.string({ error: 'the scope is required: province:<code> or commune:<code> (nation only for the national portal)' }),
});

/** Query of `GET /api/v1/audit`. */
export const auditQuerySchema = z.object({
  action: queryParam('comma-separated actions or prefixes, e.g. auth.sign_in or auth,user'),
  outcome: queryEnum(['success', 'failure']),
  actor: queryParam('username'),
  target: queryParam('e.g. alert:42, user:<id>, key:<id>'),
  from: queryParam('first local date, YYYY-MM-DD'),
  to: queryParam('last local date, YYYY-MM-DD'),
  page: queryParam('from 1'),
  pageSize: queryParam('1–500, default 50'),
});

const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
  scope: z.string(),
  scopeName: z.string(),
  provinceCode: z.string().nullable(),
}) satisfies z.ZodType<SessionUser>;

/** The answer to sign-in and refresh. */
export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number(),
  user: sessionUserSchema,
}) satisfies z.ZodType<TokenResponse>;

const authOptionsSchema = z.object({
  demoAccounts: z.array(z.object({ username: z.string(), password: z.string(), displayName: z.string(), role, scope: z.string(), scopeName: z.string() })),
}) satisfies z.ZodType<AuthOptions>;

const userSummarySchema = sessionUserSchema.extend({
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
}) satisfies z.ZodType<UserSummary>;

const ingestKeySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scope: z.string(),
  scopeName: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
}) satisfies z.ZodType<IngestKeySummary>;

const noContent = { status: 204, type: 'void', description: 'Nothing (204)' } as const;

export const AUTH_ENDPOINTS = {
  options: {
    method: 'GET',
    path: '/api/v1/auth/options',
    access: 'public',
    response: { status: 200, type: 'AuthOptions', description: 'The demo accounts, in demo mode only', schema: authOptionsSchema },
  },
  signIn: {
    method: 'POST',
    path: '/api/v1/auth/sign-in',
    access: 'public',
    body: signInBodySchema,
    response: { status: 200, type: 'TokenResponse', description: 'An access token; the refresh token is set as a cookie', schema: tokenResponseSchema },
  },
  refresh: {
    method: 'POST',
    path: '/api/v1/auth/refresh',
    access: 'public',
    response: { status: 200, type: 'TokenResponse', description: 'A new access token and a new refresh cookie', schema: tokenResponseSchema },
  },
  signOut: { method: 'POST', path: '/api/v1/auth/sign-out', access: 'public', response: noContent },
  me: {
    method: 'GET',
    path: '/api/v1/auth/me',
    access: 'signed-in',
    response: { status: 200, type: 'SessionUser', description: 'The signed-in account', schema: sessionUserSchema },
  },
  changePassword: { method: 'POST', path: '/api/v1/auth/password', access: 'signed-in', body: passwordChangeBodySchema, response: noContent },
} as const satisfies Record<string, Endpoint>;

export const USER_ENDPOINTS = {
  list: {
    method: 'GET',
    path: '/api/v1/users',
    access: 'admin',
    response: { status: 200, type: 'UserSummary[]', description: 'Every account', schema: z.array(userSummarySchema) },
  },
  get: { method: 'GET', path: '/api/v1/users/:id', access: 'admin', response: { status: 200, type: 'UserSummary', description: 'One account', schema: userSummarySchema } },
  create: {
    method: 'POST',
    path: '/api/v1/users',
    access: 'admin',
    body: userCreateBodySchema,
    response: { status: 201, type: 'UserSummary', description: 'The account created', schema: userSummarySchema },
  },
  update: {
    method: 'PATCH',
    path: '/api/v1/users/:id',
    access: 'admin',
    body: userUpdateBodySchema,
    response: { status: 200, type: 'UserSummary', description: 'The account as changed', schema: userSummarySchema },
  },
  resetPassword: {
    method: 'POST',
    path: '/api/v1/users/:id/password',
    access: 'admin',
    body: passwordResetBodySchema,
    response: { status: 200, type: 'UserSummary', description: 'The account, signed out everywhere', schema: userSummarySchema },
  },
} as const satisfies Record<string, Endpoint>;

export const INGEST_KEY_ENDPOINTS = {
  list: {
    method: 'GET',
    path: '/api/v1/ingest-keys',
    access: 'admin',
    response: { status: 200, type: 'IngestKeySummary[]', description: 'Every ingest key, by its prefix', schema: z.array(ingestKeySummarySchema) },
  },
  create: {
    method: 'POST',
    path: '/api/v1/ingest-keys',
    access: 'admin',
    body: ingestKeyCreateBodySchema,
    response: {
      status: 201,
      type: 'CreatedIngestKey',
      description: 'The key created, with the key itself (shown only here)',
      schema: ingestKeySummarySchema.extend({ key: z.string() }) satisfies z.ZodType<CreatedIngestKey>,
    },
  },
  revoke: {
    method: 'DELETE',
    path: '/api/v1/ingest-keys/:id',
    access: 'admin',
    response: { status: 200, type: 'IngestKeySummary', description: 'The key as revoked', schema: ingestKeySummarySchema },
  },
} as const satisfies Record<string, Endpoint>;

export const AUDIT_ENDPOINTS = {
  list: {
    method: 'GET',
    path: '/api/v1/audit',
    access: 'admin',
    query: auditQuerySchema,
    response: { status: 200, type: 'AuditListResponse', description: 'A page of the audit log, newest first' },
  },
} as const satisfies Record<string, Endpoint>;
