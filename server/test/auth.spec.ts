import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuditListResponse, AuthOptions, CreatedIngestKey, TokenResponse, UserSummary } from '@ioc/shared';
import { SignJWT } from 'jose';
import pg from 'pg';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { type Socket, io } from 'socket.io-client';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { RateLimitsService } from '../src/auth/rate-limits.js';
import { type AppConfig, SERVER_ROOT, loadConfig } from '../src/config/config.js';
import { TEST_ADMIN, type TestApp, startTestApp } from './harness.js';
import { receivedNow } from './live-client.js';

/** Sign-in, sessions, lockout, ingest keys, audit and hardening, on a real database. Access tokens last 2 s here. */
let t: TestApp;
const http = () => request(t.app.getHttpServer());
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A fresh administrator token (the harness's own expires after 2 s). */
const adminToken = async () => ((await http().post('/api/v1/auth/sign-in').send(TEST_ADMIN)).body as TokenResponse).accessToken;
const audit = async (query: Record<string, string>) =>
  (
    await http()
      .get('/api/v1/audit')
      .set(bearer(await adminToken()))
      .query(query)
  ).body as AuditListResponse;
const cookieOf = (res: request.Response) => String(res.headers['set-cookie']).split(';')[0]!;
const refresh = (cookie: string) => http().post('/api/v1/auth/refresh').set('Cookie', cookie);

/** Whether something listens on 127.0.0.1:`port`. */
function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.setTimeout(500);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/**
 * Two server processes (two applications) on one fresh database, each allowing 6
 * sign-in attempts a minute per address: attempts alternate between them, and the
 * 7th overall is refused whichever takes it. Counted per process, all would pass.
 */
async function expectSharedSignInLimit(env: Record<string, string>): Promise<void> {
  const a = await startTestApp({ ...env, SIGN_IN_RATE_LIMIT_PER_MINUTE: '6' });
  const b = await startTestApp({ ...env, SIGN_IN_RATE_LIMIT_PER_MINUTE: '6' }, a.url);
  try {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? a : b;
      codes.push((await request(app.app.getHttpServer()).post('/api/v1/auth/sign-in').send({ username: 'x-y-z', password: 'whatever-it-is' })).status);
    }
    // Each harness signed its administrator in first: 2 of the 6.
    expect(codes).toEqual([401, 401, 401, 401, 429, 429]);
    const refused = await request(a.app.getHttpServer()).post('/api/v1/auth/sign-in').send(TEST_ADMIN);
    expect(refused.status).toBe(429);
    expect(refused.body.details).toEqual({ reason: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // One audit entry for the burst, though both processes refused attempts.
    const log = (await a.http.get('/api/v1/audit').query({ actor: 'x-y-z' })).body as AuditListResponse;
    expect(log.items.map((e) => e.details.reason)).toEqual(['rate_limited', 'unknown_user', 'unknown_user', 'unknown_user', 'unknown_user']);
  } finally {
    await b.app.close();
    await a.close();
  }
}

beforeAll(async () => {
  t = await startTestApp({ ACCESS_TOKEN_SECONDS: '2', SIGN_IN_MAX_FAILURES: '3', SIGN_IN_LOCK_MINUTES: '15', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', INGEST_RATE_LIMIT_PER_MINUTE: '5' });
});
afterAll(async () => {
  await t?.close();
});

describe('sign-in and sessions', () => {
  it('answers a short-lived token and an HTTP-only refresh cookie; an expired token is refused with 401, and the cookie refreshes it', async () => {
    await t.signIn({ username: 'nguyen.an', role: 'leader', scope: 'province:01', displayName: 'Nguyễn Văn An' });
    const res = await http().post('/api/v1/auth/sign-in').send({ username: 'Nguyen.An', password: 'nguyen.an-password' });
    expect(res.status).toBe(200);
    const body = res.body as TokenResponse;
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 2,
      user: { username: 'nguyen.an', displayName: 'Nguyễn Văn An', role: 'leader', scope: 'province:01', scopeName: 'Thành phố Hà Nội', provinceCode: '01' },
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^ioc_refresh=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/);
    // The page's hint that a sign-in exists: no secret, readable by the page, site-wide.
    expect(cookie).toMatch(/ioc_signed_in=1; Path=\/; Expires=[^;]+; SameSite=Strict(,|$)/);

    expect((await http().get('/api/v1/auth/me').set(bearer(body.accessToken))).body).toMatchObject({ username: 'nguyen.an', scopeName: 'Thành phố Hà Nội' });
    await sleep(2300);
    const expired = await http().get('/api/v1/kpis').set(bearer(body.accessToken));
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired: refresh it/);
    expect(expired.headers['www-authenticate']).toMatch(/Bearer .*error="invalid_token"/);

    const refreshed = await http().post('/api/v1/auth/refresh').set('Cookie', cookie.split(';')[0]!);
    expect(refreshed.status).toBe(200);
    expect(
      (
        await http()
          .get('/api/v1/kpis')
          .query({ scope: 'province:01' })
          .set(bearer((refreshed.body as TokenResponse).accessToken))
      ).status,
    ).toBe(200);
  });

  it('says 401 to the unknown and 403 to the known who may not', async () => {
    const none = await http().get('/api/v1/kpis');
    expect(none.status).toBe(401);
    expect(none.body.message).toMatch(/Sign in first/);
    expect((await http().get('/api/v1/kpis').set('Authorization', 'Basic abc')).body.message).toMatch(/must be "Bearer/);
    expect((await http().get('/api/v1/kpis').set(bearer('not.a.token'))).body.message).toMatch(/not valid/);
    const chair = await t.signIn({ username: 'chutich.ngocha', role: 'commune_chair', scope: 'commune:00008' });
    const res = await http().get('/api/v1/kpis').query({ scope: 'commune:00004' }).set(bearer(chair.accessToken));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('chutich.ngocha (commune chair, Phường Ngọc Hà, Hà Nội) may not read the figures of Phường Ba Đình, Hà Nội.');
  });

  it('ends a session at sign-out: the refresh cookie and the access token stop working', async () => {
    await t.signIn({ username: 'tran.binh', role: 'operator', scope: 'province:01' });
    const res = await http().post('/api/v1/auth/sign-in').send({ username: 'tran.binh', password: 'tran.binh-password' });
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const token = (res.body as TokenResponse).accessToken;
    const out = await http().post('/api/v1/auth/sign-out').set('Cookie', cookie).set(bearer(token));
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/ioc_refresh=;/);
    expect(String(out.headers['set-cookie'])).toMatch(/ioc_signed_in=;/);
    expect((await http().get('/api/v1/auth/me').set(bearer(token))).status).toBe(401);
    const again = await http().post('/api/v1/auth/refresh').set('Cookie', cookie);
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/no longer valid/);
  });

  it('locks an account after repeated wrong passwords, whatever the address, and logs it all without the passwords', async () => {
    await t.signIn({ username: 'le.cuong', role: 'leader', scope: 'nation' });
    for (let i = 0; i < 3; i++) {
      const res = await http()
        .post('/api/v1/auth/sign-in')
        .send({ username: 'le.cuong', password: `guess-number-${i}` });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ message: 'Wrong username or password.', details: { reason: 'wrong_credentials' } });
    }
    // Locked: even the right password is refused until the lock ends or an administrator unlocks.
    const locked = await http().post('/api/v1/auth/sign-in').send({ username: 'le.cuong', password: 'le.cuong-password' });
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/locked after 3 wrong passwords; try again in 15 min/);
    expect(locked.body.details).toEqual({ reason: 'locked' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    // An unknown name is refused the same way as a wrong password.
    expect((await http().post('/api/v1/auth/sign-in').send({ username: 'nobody', password: 'whatever-it-is' })).body.message).toBe('Wrong username or password.');

    const log = await audit({ actor: 'le.cuong' });
    expect(log.items.map((e) => [e.action, e.outcome, e.details.reason ?? null]).reverse()).toEqual([
      ['auth.sign_in', 'success', null],
      ['auth.sign_in', 'failure', 'wrong_password'],
      ['auth.sign_in', 'failure', 'wrong_password'],
      ['auth.sign_in', 'failure', 'wrong_password'],
      ['auth.locked', 'success', null],
      ['auth.sign_in', 'failure', 'locked'],
    ]);
    expect(JSON.stringify(log)).not.toMatch(/guess-number|le\.cuong-password/);

    const [user] = (
      (
        await http()
          .get('/api/v1/users')
          .set(bearer(await adminToken()))
      ).body as UserSummary[]
    ).filter((u) => u.username === 'le.cuong');
    expect(user!.lockedUntil).not.toBeNull();
    await http()
      .patch(`/api/v1/users/${user!.id}`)
      .set(bearer(await adminToken()))
      .send({ unlock: true })
      .expect(200);
    expect((await http().post('/api/v1/auth/sign-in').send({ username: 'le.cuong', password: 'le.cuong-password' })).status).toBe(200);
  });

  it('limits sign-in attempts per address, with one budget for every process on the database (PostgreSQL store)', async () => {
    await expectSharedSignInLimit({});
  });

  it('shares the sign-in budget through Redis when REDIS_URL is set', async () => {
    if (!(await reachable(6379))) {
      console.warn('no Redis on 127.0.0.1:6379: the Redis store is not tested here');
      return;
    }
    await expectSharedSignInLimit({ REDIS_URL: 'redis://127.0.0.1:6379' });
  });

  it('changes a password: the current sign-in stays, the others end', async () => {
    const first = await t.signIn({ username: 'pham.dung', role: 'leader', scope: 'nation' });
    const second = (await http().post('/api/v1/auth/sign-in').send({ username: 'pham.dung', password: 'pham.dung-password' })).body as TokenResponse;
    const weak = await http().post('/api/v1/auth/password').set(bearer(second.accessToken)).send({ currentPassword: 'pham.dung-password', newPassword: 'short' });
    expect(weak.body.message).toBe('newPassword: the password must be at least 10 characters');
    const wrong = await http().post('/api/v1/auth/password').set(bearer(second.accessToken)).send({ currentPassword: 'nope-nope-nope', newPassword: 'mật-khẩu-mới-2025' });
    expect(wrong.body.message).toBe('currentPassword: the current password is wrong');
    await http().post('/api/v1/auth/password').set(bearer(second.accessToken)).send({ currentPassword: 'pham.dung-password', newPassword: 'mật-khẩu-mới-2025' }).expect(204);
    expect((await http().get('/api/v1/auth/me').set(bearer(second.accessToken))).status).toBe(200);
    expect((await http().get('/api/v1/auth/me').set(bearer(first.accessToken))).status).toBe(401);
    expect((await http().post('/api/v1/auth/sign-in').send({ username: 'pham.dung', password: 'mật-khẩu-mới-2025' })).status).toBe(200);
  });
});

describe('accounts', () => {
  it('are created by administrators with a role that fits the scope, and a deactivated account is signed out everywhere, live stream included', async () => {
    const admin = await adminToken();
    const bad = await http().post('/api/v1/users').set(bearer(admin)).send({ username: 'vo.em', displayName: 'Võ Thị Em', role: 'operator', scope: 'commune:00004', password: 'a-good-password' });
    expect(bad.body.message).toBe('scope: for role operator the scope is province:<code>, got commune:00004');
    const missing = await http().post('/api/v1/users').set(bearer(admin)).send({ username: 'vo em' });
    expect(missing.body.message).toMatch(/username: use 3–64 letters.*displayName: the full name is required.*role: must be one of/);
    const created = await http().post('/api/v1/users').set(bearer(admin)).send({ username: 'vo.em', displayName: 'Võ Thị Em', role: 'operator', scope: 'province:01', password: 'a-good-password' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'vo.em', role: 'operator', scope: 'province:01', scopeName: 'Thành phố Hà Nội', active: true });
    expect((await http().post('/api/v1/users').set(bearer(admin)).send({ username: 'VO.EM', displayName: 'x', role: 'operator', scope: 'province:01', password: 'a-good-password' })).status).toBe(409);

    const em = (await http().post('/api/v1/auth/sign-in').send({ username: 'vo.em', password: 'a-good-password' })).body as TokenResponse;
    const socket: Socket = io(`${t.base}/live`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: em.accessToken } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const gone = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    await http()
      .patch(`/api/v1/users/${(created.body as UserSummary).id}`)
      .set(bearer(await adminToken()))
      .send({ active: false })
      .expect(200);
    expect(await gone).toBe('io server disconnect');
    const again = await http().post('/api/v1/auth/sign-in').send({ username: 'vo.em', password: 'a-good-password' });
    expect(again.body).toMatchObject({ message: 'This account is deactivated; ask an administrator.', details: { reason: 'deactivated' } });
    socket.close();
  });

  it('keeps at least one active administrator', async () => {
    const admin = await adminToken();
    const me = (await http().get('/api/v1/auth/me').set(bearer(admin))).body as { id: string };
    const res = await http().patch(`/api/v1/users/${me.id}`).set(bearer(admin)).send({ role: 'leader' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/last active administrator/);
  });

  it('has demo accounts of every role only when asked for (demo mode), listed for the sign-in page', async () => {
    expect((await http().get('/api/v1/auth/options')).body).toEqual({ demoAccounts: [] });
    expect((await http().post('/api/v1/auth/sign-in').send({ username: 'chutich.badinh', password: 'ioc-demo-2025' })).status).toBe(401);
    const demo = await startTestApp({ DEMO_ACCOUNTS: 'on', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' }, t.url);
    try {
      const options = (await request(demo.app.getHttpServer()).get('/api/v1/auth/options')).body as AuthOptions;
      expect(options.demoAccounts.map((a) => [a.username, a.role, a.scopeName])).toEqual([
        ['admin', 'admin', 'Cả nước'],
        ['lanhdao', 'leader', 'Cả nước'],
        ['lanhdao.hanoi', 'leader', 'Thành phố Hà Nội'],
        ['vanhanh.hanoi', 'operator', 'Thành phố Hà Nội'],
        ['chutich.badinh', 'commune_chair', 'Phường Ba Đình, Hà Nội'],
      ]);
      const chair = await request(demo.app.getHttpServer()).post('/api/v1/auth/sign-in').send({ username: 'chutich.badinh', password: 'ioc-demo-2025' });
      expect(chair.body.user).toMatchObject({ role: 'commune_chair', scope: 'commune:00004', provinceCode: '01', displayName: 'Chủ tịch UBND phường Ba Đình' });
    } finally {
      await demo.app.close();
    }
  });

  it('refuses a live connection without a valid token, with the reason', async () => {
    const socket: Socket = io(`${t.base}/live`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: 'forged' } });
    const err = await new Promise<Error & { data?: { status: number; reason: string } }>((resolve) => socket.once('connect_error', resolve));
    expect(err.message).toBe('unauthorized');
    expect(err.data).toEqual({ status: 401, reason: 'The access token is not valid.' });
    socket.close();
  });
});

describe('administration', () => {
  it('creates the first administrator from the command line, who can then sign in', async () => {
    const run = (args: string[], env: Record<string, string>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const { NODE_OPTIONS: _, ...parent } = process.env;
        const p = spawn(process.execPath, [join(SERVER_ROOT, 'dist/server/src/cli/create-admin.js'), ...args], { env: { ...parent, DATABASE_URL: t.url, ...env } });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.stderr.on('data', (d: Buffer) => (out += d.toString()));
        p.on('close', (code) => resolve({ code, out }));
      });
    const weak = await run(['--username', 'quantri'], { IOC_ADMIN_PASSWORD: 'short' });
    expect(weak).toMatchObject({ code: 1, out: expect.stringContaining('at least 10 characters') });
    const ok = await run(['--username', 'quantri', '--name', 'Nguyễn Văn Quản'], { IOC_ADMIN_PASSWORD: 'một-mật-khẩu-dài' });
    expect(ok.out).toContain('administrator quantri created');
    expect(ok.code).toBe(0);
    expect((await run(['--username', 'QuanTri'], { IOC_ADMIN_PASSWORD: 'một-mật-khẩu-dài' })).out).toContain('the username QuanTri is taken');
    const signed = await http().post('/api/v1/auth/sign-in').send({ username: 'quantri', password: 'một-mật-khẩu-dài' });
    expect(signed.body.user).toMatchObject({ role: 'admin', scope: 'nation', displayName: 'Nguyễn Văn Quản' });
  });

  it('audits rule changes with who made them', async () => {
    const op = await t.signIn({ username: 'vanhanh.01', role: 'operator', scope: 'province:01' });
    await http().put('/api/v1/alert-rules/commune-silence/overrides/00004').set(bearer(op.accessToken)).send({ pendingMinutes: 20 }).expect(200);
    await http().delete('/api/v1/alert-rules/commune-silence/overrides/00004').set(bearer(op.accessToken)).expect(204);
    const log = await audit({ action: 'rule' });
    expect(log.items.map((e) => [e.action, e.actor, e.target]).reverse()).toEqual([
      ['rule.override_set', 'vanhanh.01', 'rule:commune-silence@commune:00004'],
      ['rule.override_delete', 'vanhanh.01', 'rule:commune-silence@commune:00004'],
    ]);
    expect(log.items[1]!.details).toEqual({ set: { pendingMinutes: 20 }, now: { pendingMinutes: 20 } });
  });
});

describe('ingest keys', () => {
  const event = (unit: string) => receivedNow(unit, new Date(Date.now() + 86_400_000));

  it('are shown once, stored hashed, scoped: an event outside the scope is rejected while the rest of its batch lands; a revoked key is refused', async () => {
    const admin = await adminToken();
    const created = (await http().post('/api/v1/ingest-keys').set(bearer(admin)).send({ name: 'Một cửa phường Ba Đình', scope: 'commune:00004' })).body as CreatedIngestKey;
    expect(created).toMatchObject({ name: 'Một cửa phường Ba Đình', scope: 'commune:00004', scopeName: 'Phường Ba Đình, Hà Nội', revokedAt: null });
    expect(created.key).toMatch(/^ioc_[\w-]{32}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const [stored] = (await t.db.query('SELECT * FROM ingest_key WHERE id = $1', [created.id])) as Record<string, unknown>[];
    expect(JSON.stringify(stored)).not.toContain(created.key);
    expect(((await http().get('/api/v1/ingest-keys').set(bearer(admin))).body as object[]).some((k) => 'key' in k)).toBe(false);

    const batch = [event('00004'), event('00008'), { ...event('00004'), provinceCode: '01', communeCode: undefined }, event('00004')];
    const res = await http().post('/api/v1/events?wait=projected').set('X-Api-Key', created.key).send({ events: batch });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'accepted']);
    expect(res.body.results[1].reason).toBe('this key (Một cửa phường Ba Đình) may only send events of Phường Ba Đình, Hà Nội; Phường Ngọc Hà, Hà Nội is outside it');

    await http().delete(`/api/v1/ingest-keys/${created.id}`).set(bearer(admin)).expect(200);
    expect((await http().delete(`/api/v1/ingest-keys/${created.id}`).set(bearer(admin))).status).toBe(409);
    const revoked = await http()
      .post('/api/v1/events?wait=projected')
      .set('X-Api-Key', created.key)
      .send({ events: [event('00004')] });
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toMatch(/not valid \(unknown or revoked\)/);
    expect((await audit({ action: 'key' })).items.map((e) => [e.action, e.target]).reverse()).toEqual([
      ['key.create', `key:${created.id}`],
      ['key.revoke', `key:${created.id}`],
    ]);
  });

  it('are rate-limited per key', async () => {
    const created = (
      await http()
        .post('/api/v1/ingest-keys')
        .set(bearer(await adminToken()))
        .send({ name: 'Hệ thống tỉnh', scope: 'province:01' })
    ).body as CreatedIngestKey;
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(
        (
          await http()
            .post('/api/v1/events?wait=projected')
            .set('X-Api-Key', created.key)
            .send({ events: [event('00004')] })
        ).status,
      );
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('hardening', () => {
  it('sends security headers, no CORS by default, and keeps non-ingest bodies small', async () => {
    const res = await http().get('/api/v1/health').set('Origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    const big = await http()
      .post('/api/v1/auth/sign-in')
      .send({ username: 'x', password: 'y'.repeat(200_000) });
    expect(big.status).toBe(413);
    expect(big.body.message).toBe('The request body is larger than the limit of 100 kB for this endpoint.');
  });

  it('answers CORS for the configured origins only, and refuses live connections from other origins', async () => {
    const cors = await startTestApp({ CORS_ORIGINS: 'https://ioc.example.gov.vn', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' }, t.url);
    try {
      const ok = await request(cors.app.getHttpServer()).get('/api/v1/health').set('Origin', 'https://ioc.example.gov.vn');
      expect(ok.headers['access-control-allow-origin']).toBe('https://ioc.example.gov.vn');
      expect((await request(cors.app.getHttpServer()).get('/api/v1/health').set('Origin', 'https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
      const refused = await request(cors.app.getHttpServer()).get('/socket.io/').query({ EIO: '4', transport: 'polling' }).set('Origin', 'https://evil.example');
      expect(refused.status).toBe(403);
    } finally {
      await cors.app.close();
    }
  });
});

describe('refresh token rotation', () => {
  const signInFresh = async (username: string) => {
    await t.signIn({ username, role: 'operator', scope: 'province:01' });
    const res = await http()
      .post('/api/v1/auth/sign-in')
      .send({ username, password: `${username}-password` });
    return { cookie: cookieOf(res), token: (res.body as TokenResponse).accessToken, userId: (res.body as TokenResponse).user.id };
  };
  const value = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1);
  /** As if every replaced token had been replaced a minute ago, past the 10 s grace. */
  const pastGrace = () => t.db.query(`UPDATE auth_refresh_retired SET retired_at = now() - interval '1 minute'`);

  it('replaces the refresh token at every refresh, stores only hashes, answers a concurrent refresh with the same new token, and refuses a used one', async () => {
    const { cookie: c1 } = await signInFresh('xoay.vong');
    const r1 = await refresh(c1);
    expect(r1.status).toBe(200);
    const c2 = cookieOf(r1);
    expect(c2).toMatch(/^ioc_refresh=[\w-]{40,}$/);
    expect(c2).not.toBe(c1);
    expect(String(r1.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(r1.headers['set-cookie'])).toMatch(/Path=\/api\/v1\/auth/);
    expect(
      (
        await http()
          .get('/api/v1/auth/me')
          .set(bearer((r1.body as TokenResponse).accessToken))
      ).status,
    ).toBe(200);

    // Another tab refreshing with the same cookie at the same moment: the same new token, nothing ended.
    const tab = await refresh(c1);
    expect(tab.status).toBe(200);
    expect(cookieOf(tab)).toBe(c2);

    // Only SHA-256 hashes are kept: the current token in the session, the replaced one among the retired.
    const [{ current, retired }] = (await t.db.query(
      `SELECT (SELECT count(*)::int FROM auth_session WHERE refresh_hash = sha256(convert_to($1, 'UTF8'))) AS current,
              (SELECT count(*)::int FROM auth_refresh_retired WHERE hash = sha256(convert_to($2, 'UTF8'))) AS retired`,
      [value(c2), value(c1)],
    )) as { current: number; retired: number }[];
    expect({ current, retired }).toEqual({ current: 1, retired: 1 });

    const r2 = await refresh(c2);
    expect(r2.status).toBe(200);
    const c3 = cookieOf(r2);
    expect(new Set([c1, c2, c3]).size).toBe(3);

    await pastGrace();
    const used = await refresh(c2);
    expect(used.status).toBe(401);
    expect(used.body.details).toEqual({ reason: 'reused' });
  });

  it('takes a replaced token presented again as a stolen cookie: the whole session ends, newest refresh token and access token included, and the audit log says so', async () => {
    const { cookie: c1, userId } = await signInFresh('bi.danh.cap');
    const c2 = cookieOf(await refresh(c1));
    const newest = await refresh(c2);
    const c3 = cookieOf(newest);
    const token = (newest.body as TokenResponse).accessToken;
    expect((await http().get('/api/v1/auth/me').set(bearer(token))).status).toBe(200);
    await pastGrace();

    // The thief (or the victim, whichever comes second) presents c1 again.
    const reuse = await refresh(c1);
    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ details: { reason: 'reused' }, message: expect.stringMatching(/already used.*this sign-in has been ended/) });
    expect(reuse.headers['www-authenticate']).toMatch(/error="invalid_grant"/);

    const me = await http().get('/api/v1/auth/me').set(bearer(token));
    expect(me.status).toBe(401);
    expect(me.body.message).toMatch(/sign-in has ended/);
    const next = await refresh(c3);
    expect(next.status).toBe(401);
    expect(next.body.details).toEqual({ reason: 'signed_out' });

    const log = await audit({ action: 'auth.refresh_reuse', target: `user:${userId}` });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ outcome: 'failure', actor: 'bi.danh.cap', details: { reason: 'reused', session: expect.any(String) } });
    expect(JSON.stringify(log)).not.toContain(value(c1));
    // The sign-in can be started afresh.
    expect((await http().post('/api/v1/auth/sign-in').send({ username: 'bi.danh.cap', password: 'bi.danh.cap-password' })).status).toBe(200);
  });

  it('says why a refresh is refused', async () => {
    expect((await http().post('/api/v1/auth/refresh')).body.details).toEqual({ reason: 'signed_out' });
    expect((await refresh('ioc_refresh=never-issued-token-0123456789-0123456789')).body.details).toEqual({ reason: 'unknown' });
  });
});

describe('access tokens with malformed claims, signed with the real secret', () => {
  let key: Uint8Array;
  let valid: { sub: string; sid: string; exp: number; iat: number; iss: string };
  let otherUser: string;
  const forge = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);

  beforeAll(async () => {
    const [row] = (await t.db.query(`SELECT value FROM app_secret WHERE name = 'token-signing'`)) as { value: string }[];
    key = new TextEncoder().encode(row!.value);
    const own = await t.signIn({ username: 'gia.mao', role: 'leader', scope: 'nation' });
    valid = JSON.parse(Buffer.from(own.accessToken.split('.')[1]!, 'base64url').toString()) as typeof valid;
    otherUser = (await t.signIn({ username: 'nguoi.khac', role: 'leader', scope: 'nation' })).user.id;
  });

  it('answers 401 with what is wrong, never 500', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const base = { ...valid, exp };
    const { sub: _sub, ...noSub } = base;
    const { sid: _sid, ...noSid } = base;
    const { exp: _exp, ...noExp } = base;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['sid not a UUID', { ...base, sid: 'not-a-uuid' }, /"sid" claim must be a sign-in session id/],
      ['sid a number', { ...base, sid: 12345 }, /"sid" claim/],
      ['sid missing', noSid, /"sid" claim/],
      ['sub missing', noSub, /"sub" claim/],
      ['sub not a UUID', { ...base, sub: "1' OR '1'='1" }, /"sub" claim must be an account id/],
      ['sub and sid numbers', { ...base, sub: 1, sid: 2 }, /"sub" claim/],
      ['sid an object', { ...base, sid: { $ne: null } }, /"sid" claim/],
      ['exp missing', noExp, /"exp" claim/],
      ['exp a string', { ...base, exp: 'tomorrow' }, /"exp" claim/],
      ['exp in the year 3000', { ...base, exp: 32_503_680_000 }, /"exp" claim must be a time in whole seconds at most 2 s from now/],
      ['exp not whole', { ...base, exp: exp + 0.5 }, /"exp" claim/],
      ['iat a string', { ...base, iat: 'now' }, /"iat" claim/],
      ['a session that does not exist', { ...base, sid: '00000000-0000-4000-8000-000000000000' }, /sign-in has ended/],
      ["another account than the session's", { ...base, sub: otherUser }, /names another account/],
    ];
    for (const [label, claims, message] of cases) {
      const res = await http()
        .get('/api/v1/auth/me')
        .set(bearer(await forge(claims)));
      expect({ label, status: res.status, message: res.body.message }).toEqual({ label, status: 401, message: expect.stringMatching(message) });
      expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    }
    // The same claims, well formed, are accepted.
    expect(
      (
        await http()
          .get('/api/v1/auth/me')
          .set(bearer(await forge(base)))
      ).status,
    ).toBe(200);

    // The live stream refuses them the same way.
    const socket: Socket = io(`${t.base}/live`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: await forge({ ...base, sid: 'not-a-uuid' }) } });
    const err = await new Promise<Error & { data?: { status: number; reason: string } }>((resolve) => socket.once('connect_error', resolve));
    expect(err.data).toMatchObject({ status: 401, reason: expect.stringMatching(/"sid" claim/) });
    socket.close();
  });
});

describe('access before work, and query parameters given twice', () => {
  it('refuses a commune chair a ranking of provinces with 403 before the other parameters are looked at, or anything computed', async () => {
    const chair = (await t.signIn({ username: 'chutich.xephang', role: 'commune_chair', scope: 'commune:00004' })).accessToken;
    // by and from are invalid too: checked (400) only once access is settled.
    const res = await http().get('/api/v1/rankings').query({ scope: 'nation', level: 'province', by: 'nonsense', from: 'yesterday' }).set(bearer(chair));
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/^chutich\.xephang \(commune chair, Phường Ba Đình, Hà Nội\) may not compare /);
    // Communes of another province a chair may compare: the parameters are then checked.
    const other = await http().get('/api/v1/rankings').query({ scope: 'province:79', by: 'nonsense' }).set(bearer(chair));
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/^by must be points or one of/);
    // A malformed scope is 400 (what is ranked must be known to check access to it).
    expect((await http().get('/api/v1/rankings').query({ scope: 'region:1' }).set(bearer(chair))).status).toBe(400);
  });

  // The audit controller refuses a repeated parameter itself; a guard in front of every route
  // (common/request-guards.ts) may refuse it first, in its own words: either way a 400 naming the
  // parameter, saying to give it once and how to ask for several.
  it('answers 400 saying how to ask when a parameter of the audit log is given twice', async () => {
    const res = await http()
      .get('/api/v1/audit?action=auth&action=rule')
      .set(bearer(await adminToken()));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/'?action'? (may be given|was given more than) once.*comma/);
    for (const q of [
      'outcome=success&outcome=failure',
      'actor=a&actor=b',
      'target=x&target=y',
      'from=2025-01-01&from=2025-01-02',
      'to=2025-01-01&to=2025-01-02',
      'page=1&page=2',
      'pageSize=5&pageSize=6',
    ]) {
      const name = q.split('=')[0]!;
      const r = await http()
        .get(`/api/v1/audit?${q}`)
        .set(bearer(await adminToken()));
      expect({ q, status: r.status, message: r.body.message }).toEqual({ q, status: 400, message: expect.stringMatching(new RegExp(`'?${name}'? (may be given|was given more than) once`)) });
    }
    // Brackets make no object (express's simple query parser): refused, or ignored as an unknown name; never a 500.
    expect([200, 400]).toContain(
      (
        await http()
          .get('/api/v1/audit?action[x]=auth')
          .set(bearer(await adminToken()))
      ).status,
    );
    const both = await http()
      .get('/api/v1/audit?action=auth,rule')
      .set(bearer(await adminToken()));
    expect(both.status).toBe(200);
    expect((both.body as AuditListResponse).items.every((e) => /^(auth|rule)\./.test(e.action))).toBe(true);
  });

  it('answers 400, not 500, for repeated parameters of the KPIs, rankings and alerts', async () => {
    for (const path of [
      '/api/v1/kpis?scope=nation&scope=province:01',
      '/api/v1/kpis/series?granularity=day&granularity=hour',
      '/api/v1/rankings?by=points&by=onTime',
      '/api/v1/alerts?severity=critical&severity=major',
      '/api/v1/alerts?scope=nation&scope=province:01',
      '/api/v1/dossiers?scope=province:01&scope=province:79',
    ]) {
      const r = await http()
        .get(path)
        .set(bearer(await adminToken()));
      expect({ path, status: r.status, message: r.body.message }).toEqual({ path, status: 400, message: expect.stringMatching(/(may be given|was given more than) once/) });
    }
  });
});

describe('rate limits when their store is down', () => {
  it('count in memory instead, so sign-in keeps a limit and a request never fails because of the limiter', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 1000 });
    pool.on('error', () => undefined);
    const config: AppConfig = loadConfig({ NODE_ENV: 'test', SIGN_IN_RATE_LIMIT_PER_MINUTE: '2' });
    const limits = new RateLimitsService(config, { options: { url: 'postgres://nobody@127.0.0.1:1/none' }, driver: { master: pool } } as unknown as DataSource);
    try {
      const limit = limits.signInPerAddress();
      const results: string[] = [];
      for (let i = 0; i < 3; i++)
        results.push(
          await limit.consume('10.0.0.1').then(
            () => 'ok',
            (e: unknown) => (e instanceof RateLimiterRes ? 'limited' : `error: ${String(e)}`),
          ),
        );
      expect(results).toEqual(['ok', 'ok', 'limited']);
    } finally {
      limits.onModuleDestroy();
      await pool.end();
    }
  });
});
