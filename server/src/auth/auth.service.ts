import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type RefreshRefusal, type SessionUser, type SignInRefusal, type TokenResponse, parseScope, passwordChangeBodySchema, signInBodySchema } from '@ioc/shared';
import { type JWTPayload, SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { badRequest, tooManyRequests, unauthorized } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import { parseBody } from '../common/validation.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { UnitsService } from '../units/units.service.js';
import type { AuthedPrincipal, Client } from './auth.types.js';
import { hashPassword, passwordProblem, verifyNothing, verifyPassword } from './passwords.js';
import { type RateLimit, RateLimitsService } from './rate-limits.js';
import {
  type SessionAccount,
  openSession,
  openSessionAccount,
  revokeSession,
  revokeSessionsOf,
  rotateRefreshToken,
  sessionOfRefreshHash,
  sessionOfRetiredHash,
  sharedSecret,
  signOutSessions,
} from './sessions.repository.js';
import { type Account, recordSignIn, recordWrongPassword, setPassword, userById, userByUsername } from './users.repository.js';

/** How long a process trusts what it read about a session: sign-out elsewhere, deactivation or a new role take effect within this. */
export const SESSION_CHECK_MS = 5000;
/**
 * A refresh token replaced less than this long ago still answers, with the same
 * replacement: two tabs refreshing at once, or an answer lost on the way, must
 * not look like a stolen cookie. After it, presenting the old token is reuse.
 */
export const REFRESH_GRACE_MS = 10_000;
const ISSUER = 'ioc';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Clock difference between processes tolerated on an access token's expiry. */
const EXP_LEEWAY_S = 60;

export interface SignedIn {
  response: TokenResponse;
  refreshToken: string;
  refreshExpires: Date;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const refusal = (reason: SignInRefusal) => ({ reason });
const refreshRefusal = (reason: RefreshRefusal) => ({ reason });

/**
 * Sign-in, sessions and tokens. A sign-in opens a session whose refresh token
 * (kept only as a hash) lives in an HTTP-only cookie; short-lived access tokens
 * (JWT, HS256) name the session, and every use checks the session is still open
 * and reads the account's current role and scope.
 */
@Injectable()
export class AuthService implements OnModuleInit {
  private key = new Uint8Array();
  private readonly sessions = new Map<string, { principal: AuthedPrincipal | null; at: number }>();
  private readonly signInLimiter: RateLimit;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly audit: AuditService,
    limits: RateLimitsService,
  ) {
    this.signInLimiter = limits.signInPerAddress();
  }

  async onModuleInit(): Promise<void> {
    let secret = this.config.auth.secret;
    if (!secret) {
      // One secret for every process on this database, created by the first to start.
      secret = await sharedSecret(this.db, 'token-signing', randomBytes(48).toString('base64url'));
    }
    this.key = new TextEncoder().encode(secret);
  }

  /** A value derived from the server's secret: stable across restarts, unguessable without the secret. */
  derive(label: string): string {
    return createHmac('sha256', this.key).update(label).digest('base64url');
  }

  sessionUser(u: Account): SessionUser {
    const scope = this.units.ref(parseScope(u.scope)!)!;
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      scope: u.scope,
      scopeName: this.units.scopeName(scope),
      provinceCode: scope.kind === 'nation' ? null : scope.kind === 'province' ? scope.code : scope.provinceCode,
    };
  }

  async signIn(body: unknown, client: Client): Promise<SignedIn> {
    const { username, password } = parseBody(signInBodySchema, body);
    const ip = client.ip ?? 'unknown';
    try {
      await this.signInLimiter.consume(ip);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      // One entry per burst, not one per refused attempt.
      if (e.consumedPoints === this.config.auth.signInPerMinute + 1) {
        await this.audit.record({ action: 'auth.sign_in', outcome: 'failure', actor: username, ip: client.ip, details: { reason: 'rate_limited' } });
      }
      throw tooManyRequests(`Too many sign-in attempts from this address; try again in ${Math.ceil(e.msBeforeNext / 1000)} s.`, e.msBeforeNext / 1000, refusal('rate_limited'));
    }
    const user = await userByUsername(this.db.manager, username);
    const fail = async (reason: string, target: string | null = null) => {
      await this.audit.record({ action: 'auth.sign_in', outcome: 'failure', actor: username, target, ip: client.ip, details: { reason } });
    };
    const wrong = () => unauthorized('Wrong username or password.', 'invalid_grant', refusal('wrong_credentials'));
    if (!user) {
      await verifyNothing(password);
      await fail('unknown_user');
      throw wrong();
    }
    const now = Date.now();
    if (user.lockedUntil && user.lockedUntil.getTime() > now) {
      await fail('locked', `user:${user.id}`);
      const minutes = Math.ceil((user.lockedUntil.getTime() - now) / 60_000);
      throw tooManyRequests(
        `This account is locked after ${this.config.auth.maxFailures} wrong passwords; try again in ${minutes} min, or ask an administrator to unlock it.`,
        (user.lockedUntil.getTime() - now) / 1000,
        refusal('locked'),
      );
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      // Counted in the database, so every process and every address share one count.
      const locked = await recordWrongPassword(this.db.manager, user.id, this.config.auth.maxFailures, this.config.auth.lockMinutes);
      await fail('wrong_password', `user:${user.id}`);
      if (locked && locked.getTime() > now) {
        await this.audit.record({
          action: 'auth.locked',
          outcome: 'success',
          actor: user.username,
          target: `user:${user.id}`,
          ip: client.ip,
          details: { until: locked.toISOString(), failures: this.config.auth.maxFailures },
        });
      }
      throw wrong();
    }
    if (!user.active) {
      await fail('deactivated', `user:${user.id}`);
      throw unauthorized('This account is deactivated; ask an administrator.', 'invalid_grant', refusal('deactivated'));
    }
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpires = new Date(now + this.config.auth.sessionHours * 3_600_000);
    const sessionId = await inTransaction(this.db, async (m) => {
      await recordSignIn(m, user.id);
      const session = await openSession(m, { userId: user.id, refreshHash: sha256(refreshToken), expiresAt: refreshExpires, ip: client.ip, userAgent: client.userAgent });
      await this.audit.record({ action: 'auth.sign_in', actor: user.username, target: `user:${user.id}`, ip: client.ip, details: { session } }, m);
      return session;
    });
    return { response: await this.tokens(user, sessionId), refreshToken, refreshExpires };
  }

  /**
   * A new access token and a new refresh token for the session of a refresh
   * cookie: every refresh replaces the refresh token (rotation), and the one
   * presented is retired. Presenting a retired token again is reuse (someone
   * else holds a copy of the cookie): the whole session ends, its access tokens
   * included, and the audit log says so. Within REFRESH_GRACE_MS of a rotation
   * the token just replaced still answers, with the same replacement.
   */
  async refresh(refreshToken: string | undefined, client: Client): Promise<SignedIn> {
    if (!refreshToken) throw unauthorized('Not signed in (no refresh cookie): sign in again.', 'invalid_grant', refreshRefusal('signed_out'));
    const hash = sha256(refreshToken);
    const next = this.nextRefreshToken(refreshToken);
    const rotated = await inTransaction(this.db, (m) => rotateRefreshToken(m, hash, sha256(next)));
    if (rotated) return { response: await this.tokens(rotated, rotated.sessionId), refreshToken: next, refreshExpires: rotated.expiresAt };

    const current = await sessionOfRefreshHash(this.db, hash);
    if (current) return this.refuseRefresh(current, this.sessionProblem(current) ?? 'signed_out', client);

    const retired = await sessionOfRetiredHash(this.db, hash, REFRESH_GRACE_MS / 1000);
    if (!retired) return this.refuseRefresh(null, 'unknown', client);
    const problem = this.sessionProblem(retired);
    if (problem) return this.refuseRefresh(retired, problem, client);
    // The token replaced last, moments ago: answer its replacement again (the same cookie the first answer set).
    if (retired.inGrace && retired.currentHash.equals(sha256(next))) {
      return { response: await this.tokens(retired, retired.sessionId), refreshToken: next, refreshExpires: retired.expiresAt };
    }
    // Reuse: the session ends, whoever holds which copy.
    await inTransaction(this.db, async (m) => {
      await revokeSession(m, retired.sessionId);
      await this.audit.record(
        {
          action: 'auth.refresh_reuse',
          outcome: 'failure',
          actor: retired.username,
          target: `user:${retired.id}`,
          ip: client.ip,
          details: { reason: 'reused', session: retired.sessionId, replacedAt: retired.retiredAt.toISOString() },
        },
        m,
      );
    });
    // Its access tokens stop at once on this process, within SESSION_CHECK_MS on the others.
    this.sessions.delete(retired.sessionId);
    return this.refuseRefresh(retired, 'reused', client);
  }

  /** Why a session's refresh is refused, or null when it is open. */
  private sessionProblem(row: SessionAccount): RefreshRefusal | null {
    return row.revokedAt ? 'signed_out' : row.expiresAt.getTime() <= Date.now() ? 'expired' : !row.active ? 'deactivated' : null;
  }

  /** 401 with the reason in `details.reason`; audited (a reuse is audited where the session is ended). */
  private async refuseRefresh(row: SessionAccount | null, reason: RefreshRefusal, client: Client): Promise<never> {
    if (reason !== 'reused') {
      await this.audit.record({ action: 'auth.refresh_refused', outcome: 'failure', actor: row?.username ?? null, target: row ? `user:${row.id}` : null, ip: client.ip, details: { reason } });
    }
    const message =
      reason === 'expired'
        ? 'Your sign-in has expired: sign in again.'
        : reason === 'reused'
          ? 'This refresh token was already used and has been replaced: someone may hold a copy of it, so this sign-in has been ended. Sign in again.'
          : 'This sign-in is no longer valid: sign in again.';
    throw unauthorized(message, 'invalid_grant', refreshRefusal(reason));
  }

  /** The refresh token that replaces `token`: derived with the server's secret, so a retry within the grace gets the same one without it being stored. */
  private nextRefreshToken(token: string): string {
    return this.derive(`refresh-rotation:${token}`);
  }

  async signOut(refreshToken: string | undefined, principal: AuthedPrincipal | undefined, client: Client): Promise<void> {
    const ended = await signOutSessions(this.db, refreshToken ? sha256(refreshToken) : null, principal?.sessionId ?? null);
    for (const s of ended) {
      this.sessions.delete(s.id);
      await this.audit.record({ action: 'auth.sign_out', actor: s.username, target: `user:${s.userId}`, ip: client.ip, details: { session: s.id } });
    }
  }

  /** Changes one's own password; the other sessions of the account are closed. */
  async changePassword(p: AuthedPrincipal, body: unknown, client: Client): Promise<void> {
    const b = parseBody(passwordChangeBodySchema, body);
    const user = await userById(this.db.manager, p.userId);
    if (!user || !(await verifyPassword(user.passwordHash, b.currentPassword))) {
      await this.audit.record({ action: 'auth.password_change', outcome: 'failure', actor: p.username, target: `user:${p.userId}`, ip: client.ip, details: { reason: 'wrong_password' } });
      throw badRequest('currentPassword: the current password is wrong');
    }
    const problem = passwordProblem(b.newPassword, user.username);
    if (problem) throw badRequest(`newPassword: ${problem}`);
    if (await verifyPassword(user.passwordHash, b.newPassword)) throw badRequest('newPassword: the new password is the same as the current one');
    const hashed = await hashPassword(b.newPassword);
    await inTransaction(this.db, async (m) => {
      await setPassword(m, p.userId, hashed, { clearLockout: false });
      await revokeSessionsOf(m, p.userId, p.sessionId);
      await this.audit.record({ action: 'auth.password_change', actor: p.username, target: `user:${p.userId}`, ip: client.ip }, m);
    });
    this.forgetUser(p.userId);
  }

  /** The account behind an `Authorization: Bearer …` header; 401 with the reason otherwise. */
  async authenticate(header: string | undefined): Promise<AuthedPrincipal> {
    if (!header) throw unauthorized('Sign in first: send the access token in an "Authorization: Bearer …" header.', 'invalid_request');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthorized('The Authorization header must be "Bearer <access token>".', 'invalid_request');
    return this.principalOfToken(m[1]!);
  }

  async principalOfToken(token: string): Promise<AuthedPrincipal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw unauthorized('The access token has expired: refresh it (POST /api/v1/auth/refresh) or sign in again.', 'invalid_token');
      if (e instanceof joseErrors.JWTClaimValidationFailed) throw unauthorized(`The access token is not valid: its "${e.claim}" claim is missing or malformed.`, 'invalid_token');
      throw unauthorized('The access token is not valid.', 'invalid_token');
    }
    // Signed with our key, yet every claim is checked before it reaches a query: a malformed one is the caller's fault (401), never a 500.
    const problem = this.claimsProblem(payload);
    if (problem) throw unauthorized(`The access token is not valid: ${problem}.`, 'invalid_token');
    const p = await this.sessionPrincipal(payload.sid as string);
    if (!p) throw unauthorized('This sign-in has ended (signed out, expired or the account was changed): sign in again.', 'invalid_token');
    if (p.userId !== payload.sub) throw unauthorized('The access token is not valid: it names another account than its sign-in.', 'invalid_token');
    return p;
  }

  /** What is wrong with the claims of a verified access token, or null. */
  private claimsProblem(c: JWTPayload): string | null {
    if (typeof c.sub !== 'string' || !UUID.test(c.sub)) return 'its "sub" claim must be an account id (a UUID string)';
    if (typeof c.sid !== 'string' || !UUID.test(c.sid)) return 'its "sid" claim must be a sign-in session id (a UUID string)';
    const latest = Math.floor(Date.now() / 1000) + this.config.auth.accessTokenSeconds + EXP_LEEWAY_S;
    if (typeof c.exp !== 'number' || !Number.isSafeInteger(c.exp) || c.exp > latest) {
      return `its "exp" claim must be a time in whole seconds at most ${this.config.auth.accessTokenSeconds} s from now`;
    }
    if (c.iat !== undefined && (typeof c.iat !== 'number' || !Number.isFinite(c.iat))) return 'its "iat" claim must be a time in seconds';
    return null;
  }

  /** The account of an open session, read at most every few seconds per process; null once it is closed. */
  async sessionPrincipal(sessionId: string): Promise<AuthedPrincipal | null> {
    if (!UUID.test(sessionId)) return null;
    const now = Date.now();
    const cached = this.sessions.get(sessionId);
    if (cached && now - cached.at < SESSION_CHECK_MS) return cached.principal;
    const row = await openSessionAccount(this.db, sessionId);
    const scope = row ? this.units.ref(parseScope(row.scope)!) : null;
    const principal: AuthedPrincipal | null = row && scope ? { userId: row.id, username: row.username, displayName: row.displayName, role: row.role, scope, sessionId } : null;
    if (this.sessions.size > 10_000) this.sessions.clear();
    this.sessions.set(sessionId, { principal, at: now });
    return principal;
  }

  /** Drops what this process remembers of an account's sessions (after a change to it). */
  forgetUser(userId: string): void {
    for (const [sid, s] of this.sessions) if (s.principal?.userId === userId) this.sessions.delete(sid);
  }

  private async tokens(user: Account, sessionId: string): Promise<TokenResponse> {
    const ttl = this.config.auth.accessTokenSeconds;
    const accessToken = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
      .sign(this.key);
    return { accessToken, tokenType: 'Bearer', expiresIn: ttl, user: this.sessionUser(user) };
  }
}
