import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { SessionUser, TokenResponse } from '@ioc/shared';
import { setLanguage } from '../i18n';
import { type AuthTransport, AuthStore, EXPIRED_NOTICE, REFRESH_RETRY_MS, UNREACHABLE_NOTICE, noticeText, refreshDelayMs } from './auth';
import { ApiRequestError } from './http';

const LEADER: SessionUser = { id: 'u1', username: 'lanhdao', displayName: 'Lãnh đạo', role: 'leader', scope: 'nation', scopeName: 'Cả nước', provinceCode: null };
const CHAIR: SessionUser = { id: 'u2', username: 'chutich.badinh', displayName: 'Chủ tịch', role: 'commune_chair', scope: 'commune:00004', scopeName: 'Phường Ba Đình, Hà Nội', provinceCode: '01' };

const tokens = (user: SessionUser, accessToken: string, expiresIn = 900): TokenResponse => ({ accessToken, tokenType: 'Bearer', expiresIn, user });
const unauthorized = () => new ApiRequestError({ kind: 'http', status: 401, code: 'UNAUTHORIZED', message: 'Not signed in', retryAfterSeconds: null });
const offline = () => new ApiRequestError({ kind: 'network' });

/** A server in memory: answers refreshes from a queue. */
function fakeServer() {
  const refreshes: (() => Promise<TokenResponse>)[] = [];
  const calls = { refresh: 0, signOut: [] as (string | null)[] };
  const transport: AuthTransport = {
    signIn: async (username, password) => {
      if (password !== 'right') throw unauthorized();
      return tokens(username === CHAIR.username ? CHAIR : LEADER, `signed-in:${username}`);
    },
    refresh: () => {
      calls.refresh++;
      const next = refreshes.shift();
      return next ? next() : Promise.reject(unauthorized());
    },
    signOut: async (token) => {
      calls.signOut.push(token);
    },
  };
  return { transport, calls, answer: (f: () => Promise<TokenResponse>) => refreshes.push(f) };
}

describe('when to refresh the access token', () => {
  it.each([
    [900, 840_000],
    [120, 90_000],
    [60, 45_000],
    [1, 1000],
    [0, 1000],
  ])('valid %p s → refresh after %p ms', (expiresIn, delay) => {
    expect(refreshDelayMs(expiresIn)).toBe(delay);
  });
});

describe('why the sign-in screen is back', () => {
  afterEach(() => setLanguage('vi'));

  it('is said in the language shown', () => {
    expect(noticeText(EXPIRED_NOTICE)).toBe('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.');
    expect(noticeText(UNREACHABLE_NOTICE)).toBe('Không kiểm tra được phiên đăng nhập vì máy chủ không phản hồi. Vui lòng đăng nhập lại.');
    setLanguage('en');
    expect(noticeText(EXPIRED_NOTICE)).toBe('Your session has expired. Please sign in again.');
    expect(noticeText(UNREACHABLE_NOTICE)).toBe('Your session could not be checked because the server is not responding. Please sign in again.');
  });
});

describe('the sign-in of the page', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('restores a sign-in from the refresh cookie at load', async () => {
    const server = fakeServer();
    server.answer(async () => tokens(LEADER, 't1'));
    const store = new AuthStore(server.transport);
    expect(store.getState().status).toBe('restoring');
    await store.restore();
    const state = store.getState();
    expect(state.status === 'signed-in' && state.session.person).toEqual({ role: 'leader', scope: { kind: 'nation' } });
    expect(store.accessToken()).toBe('t1');
  });

  it('shows the sign-in screen with no notice when there is no sign-in to restore, and says so when the server is out of reach', async () => {
    const none = new AuthStore(fakeServer().transport);
    await none.restore();
    expect(none.getState()).toEqual({ status: 'signed-out', notice: null });

    const server = fakeServer();
    server.answer(() => Promise.reject(offline()));
    const unreachable = new AuthStore(server.transport);
    await unreachable.restore();
    expect(unreachable.getState()).toEqual({ status: 'signed-out', notice: UNREACHABLE_NOTICE });
  });

  it('asks the server nothing when the browser holds no sign-in hint, and forgets a hint the server refuses', async () => {
    const server = fakeServer();
    let hint = false;
    let forgotten = 0;
    const hinted: AuthTransport = { ...server.transport, maySignedIn: () => hint, forgetSignIn: () => void forgotten++ };
    const none = new AuthStore(hinted);
    await none.restore();
    expect(none.getState()).toEqual({ status: 'signed-out', notice: null });
    expect(server.calls.refresh).toBe(0);

    hint = true;
    const stale = new AuthStore(hinted);
    await stale.restore();
    expect(stale.getState()).toEqual({ status: 'signed-out', notice: null });
    expect(server.calls.refresh).toBe(1);
    expect(forgotten).toBe(1);
  });

  it("knows a commune chair's province, which the access rules need, from the session", async () => {
    const server = fakeServer();
    const store = new AuthStore(server.transport);
    await store.signIn('chutich.badinh', 'right');
    const state = store.getState();
    expect(state.status === 'signed-in' && state.session.person).toEqual({ role: 'commune_chair', scope: { kind: 'commune', code: '00004', provinceCode: '01' } });
  });

  it('passes a refused sign-in on to the page and stays signed out', async () => {
    const store = new AuthStore(fakeServer().transport);
    await store.restore();
    await expect(store.signIn('lanhdao', 'wrong')).rejects.toBeInstanceOf(ApiRequestError);
    expect(store.getState().status).toBe('signed-out');
    expect(store.accessToken()).toBeNull();
  });

  it('refreshes a minute before the token runs out, keeping the same session', async () => {
    const server = fakeServer();
    const store = new AuthStore(server.transport);
    await store.signIn('lanhdao', 'right');
    const key = store.sessionKey();
    server.answer(async () => tokens(LEADER, 't2'));
    await jest.advanceTimersByTimeAsync(839_000);
    expect(server.calls.refresh).toBe(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(server.calls.refresh).toBe(1);
    expect(store.accessToken()).toBe('t2');
    expect(store.sessionKey()).toBe(key);
  });

  it('asks the server once for callers that need a token at the same time', async () => {
    const server = fakeServer();
    const store = new AuthStore(server.transport);
    await store.signIn('lanhdao', 'right');
    server.answer(async () => tokens(LEADER, 't2'));
    const [a, b] = await Promise.all([store.refresh(), store.refresh()]);
    expect([a, b]).toEqual(['t2', 't2']);
    expect(server.calls.refresh).toBe(1);
  });

  it('ends the session when the server no longer knows the sign-in', async () => {
    const server = fakeServer();
    const store = new AuthStore(server.transport);
    await store.signIn('lanhdao', 'right');
    expect(await store.refresh()).toBeNull();
    expect(store.getState()).toEqual({ status: 'signed-out', notice: EXPIRED_NOTICE });
    expect(store.accessToken()).toBeNull();
  });

  it('keeps the sign-in when the server does not answer a refresh, and tries again soon', async () => {
    const server = fakeServer();
    const store = new AuthStore(server.transport);
    await store.signIn('lanhdao', 'right');
    server.answer(() => Promise.reject(offline()));
    expect(await store.refresh()).toBeNull();
    expect(store.getState().status).toBe('signed-in');
    expect(store.accessToken()).toBe('signed-in:lanhdao');
    server.answer(async () => tokens(LEADER, 't3'));
    await jest.advanceTimersByTimeAsync(REFRESH_RETRY_MS);
    expect(store.accessToken()).toBe('t3');
  });

  it('starts a new session when a refresh brings another role or scope', async () => {
    const server = fakeServer();
    const store = new AuthStore(server.transport);
    await store.signIn('lanhdao', 'right');
    const key = store.sessionKey();
    server.answer(async () => tokens({ ...LEADER, scope: 'province:01', scopeName: 'Thành phố Hà Nội', provinceCode: '01' }, 't2'));
    await store.refresh();
    expect(store.sessionKey()).not.toBe(key);
  });

  it('signs out with the bearer token, and stays signed in when the server could not be told', async () => {
    const server = fakeServer();
    const store = new AuthStore(server.transport);
    await store.signIn('lanhdao', 'right');
    const signOut = server.transport.signOut.bind(server.transport);
    server.transport.signOut = () => Promise.reject(offline());
    await expect(store.signOut()).rejects.toBeInstanceOf(ApiRequestError);
    expect(store.getState().status).toBe('signed-in');

    server.transport.signOut = signOut;
    await store.signOut();
    expect(server.calls.signOut).toEqual(['signed-in:lanhdao']);
    expect(store.getState()).toEqual({ status: 'signed-out', notice: null });
    // No refresh is left scheduled for the ended sign-in.
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(server.calls.refresh).toBe(0);
  });
});
