import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuditListResponse, AuthOptions, CreatedIngestKey, TokenResponse, UserSummary } from '@ioc/shared';
import { type Socket, io } from 'socket.io-client';
import request from 'supertest';
import { SERVER_ROOT } from '../src/config/config.js';
import { TEST_ADMIN, type TestApp, startTestApp } from './harness.js';
import { receivedNow } from './live-client.js';

/** Sign-in, sessions, lockout, ingest keys, audit and hardening, on a real database. Access tokens last 2 s here. */
let t: TestApp;
const http = () => request(t.app.getHttpServer());
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A fresh administrator token (the harness's own expires after 2 s). */
const adminToken = async () => ((await http().post('/api/v1/auth/sign-in').send(TEST_ADMIN)).body as TokenResponse).accessToken;
const audit = async (query: Record<string, string>) => (await http().get('/api/v1/audit').set(bearer(await adminToken())).query(query)).body as AuditListResponse;

beforeAll(async () => {
  t = await startTestApp({ ACCESS_TOKEN_SECONDS: '2', SIGN_IN_MAX_FAILURES: '3', SIGN_IN_LOCK_MINUTES: '15', SIGN_IN_RATE_LIMIT_PER_MINUTE: '40', INGEST_RATE_LIMIT_PER_MINUTE: '5' });
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

    expect((await http().get('/api/v1/auth/me').set(bearer(body.accessToken))).body).toMatchObject({ username: 'nguyen.an', scopeName: 'Thành phố Hà Nội' });
    await sleep(2300);
    const expired = await http().get('/api/v1/kpis').set(bearer(body.accessToken));
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired: refresh it/);
    expect(expired.headers['www-authenticate']).toMatch(/Bearer .*error="invalid_token"/);

    const refreshed = await http().post('/api/v1/auth/refresh').set('Cookie', cookie.split(';')[0]!);
    expect(refreshed.status).toBe(200);
    expect((await http().get('/api/v1/kpis').query({ scope: 'province:01' }).set(bearer((refreshed.body as TokenResponse).accessToken))).status).toBe(200);
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
    expect((await http().get('/api/v1/auth/me').set(bearer(token))).status).toBe(401);
    const again = await http().post('/api/v1/auth/refresh').set('Cookie', cookie);
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/no longer valid/);
  });

  it('locks an account after repeated wrong passwords, whatever the address, and logs it all without the passwords', async () => {
    await t.signIn({ username: 'le.cuong', role: 'leader', scope: 'nation' });
    for (let i = 0; i < 3; i++) {
      const res = await http().post('/api/v1/auth/sign-in').send({ username: 'le.cuong', password: `guess-number-${i}` });
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

    const [user] = ((await http().get('/api/v1/users').set(bearer(await adminToken()))).body as UserSummary[]).filter((u) => u.username === 'le.cuong');
    expect(user!.lockedUntil).not.toBeNull();
    await http().patch(`/api/v1/users/${user!.id}`).set(bearer(await adminToken())).send({ unlock: true }).expect(200);
    expect((await http().post('/api/v1/auth/sign-in').send({ username: 'le.cuong', password: 'le.cuong-password' })).status).toBe(200);
  });

  it('limits sign-in attempts per address', async () => {
    const limited = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '3' }, t.url);
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await request(limited.app.getHttpServer()).post('/api/v1/auth/sign-in').send({ username: 'x-y-z', password: 'whatever-it-is' })).status);
      // The harness's own sign-in took the first attempt.
      expect(codes).toEqual([401, 401, 429, 429, 429]);
    } finally {
      await limited.app.close();
    }
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
    await http().patch(`/api/v1/users/${(created.body as UserSummary).id}`).set(bearer(await adminToken())).send({ active: false }).expect(200);
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
    const demo = await startTestApp({ DEMO_ACCOUNTS: 'on' }, t.url);
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
    const res = await http().post('/api/v1/events').set('X-Api-Key', created.key).send({ events: batch });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'accepted']);
    expect(res.body.results[1].reason).toBe('this key (Một cửa phường Ba Đình) may only send events of Phường Ba Đình, Hà Nội; Phường Ngọc Hà, Hà Nội is outside it');

    await http().delete(`/api/v1/ingest-keys/${created.id}`).set(bearer(admin)).expect(200);
    expect((await http().delete(`/api/v1/ingest-keys/${created.id}`).set(bearer(admin))).status).toBe(409);
    const revoked = await http().post('/api/v1/events').set('X-Api-Key', created.key).send({ events: [event('00004')] });
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toMatch(/not valid \(unknown or revoked\)/);
    expect((await audit({ action: 'key' })).items.map((e) => [e.action, e.target]).reverse()).toEqual([
      ['key.create', `key:${created.id}`],
      ['key.revoke', `key:${created.id}`],
    ]);
  });

  it('are rate-limited per key', async () => {
    const created = (await http().post('/api/v1/ingest-keys').set(bearer(await adminToken())).send({ name: 'Hệ thống tỉnh', scope: 'province:01' })).body as CreatedIngestKey;
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await http().post('/api/v1/events').set('X-Api-Key', created.key).send({ events: [event('00004')] })).status);
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
    const big = await http().post('/api/v1/auth/sign-in').send({ username: 'x', password: 'y'.repeat(200_000) });
    expect(big.status).toBe(413);
    expect(big.body.message).toBe('The request body is larger than the limit of 100 kB for this endpoint.');
  });

  it('answers CORS for the configured origins only, and refuses live connections from other origins', async () => {
    const cors = await startTestApp({ CORS_ORIGINS: 'https://ioc.example.gov.vn' }, t.url);
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
