import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { AlertDetail, KpiResponse, RuleOverride, SessionUser, TokenResponse } from '@ioc/shared';
import { deleteChannel, retryDelivery, testChannel } from '../features/notifications/api';
import { acknowledgeAlert, assignAlert, fetchAlerts } from '../features/operations/api';
import { fetchFeedbackList } from '../features/operations/feedback';
import { fetchReadiness } from '../features/readiness/api';
import { api, fetchHealth, fetchKpis, fetchRankings, fetchSeries } from './api';
import { auth } from './auth';
import { errorCodeOf } from './http';

const LEADER: SessionUser = { id: 'u1', username: 'lanhdao', displayName: 'Lãnh đạo', role: 'leader', scope: 'nation', scopeName: 'Cả nước', provinceCode: null };
const tokens = (accessToken: string): TokenResponse => ({ accessToken, tokenType: 'Bearer', expiresIn: 900, user: LEADER });
const MAY = { from: '2026-05-01', to: '2026-05-31' } as const;
const KPIS = '/api/v1/kpis?scope=province%3A01&from=2026-05-01&to=2026-05-31';
const SERIES = '/api/v1/kpis/series?scope=province%3A01&from=2026-05-01&to=2026-05-31&granularity=day';
const signal = () => new AbortController().signal;

/** A request as the server saw it. */
interface Seen {
  method: string;
  url: string;
  token: string | null;
  body: unknown;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const expired = () => json(401, { statusCode: 401, code: 'UNAUTHORIZED', error: 'Unauthorized', message: 'The access token has expired' });
const ok = (s: Seen) => (s.method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, { ok: true }));

/** The server in memory: every request is seen, and `reply` answers it. */
let seen: Seen[] = [];
let reply: (s: Seen) => Response = ok;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  globalThis.fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const authorization = new Headers(init.headers).get('Authorization');
    const s: Seen = {
      method: init.method ?? 'GET',
      url: String(input),
      token: authorization?.replace(/^Bearer /, '') ?? null,
      body: init.body === undefined || init.body === null ? undefined : JSON.parse(String(init.body)),
    };
    seen.push(s);
    return reply(s);
  }) as typeof fetch;
  reply = () => json(200, tokens('t1'));
  await auth.signIn('lanhdao', 'right');
});

afterAll(async () => {
  reply = ok;
  await auth.signOut();
  globalThis.fetch = realFetch;
});

beforeEach(() => {
  seen = [];
  reply = ok;
});

describe('the typed client', () => {
  it.each<[string, () => Promise<unknown>, Omit<Seen, 'token'>]>([
    ['kpis', () => fetchKpis('province:01', MAY, signal()), { method: 'GET', url: KPIS, body: undefined }],
    [
      "a province's communes ranked",
      () => fetchRankings('province:01', 'points', MAY, signal(), 'commune'),
      { method: 'GET', url: '/api/v1/rankings?scope=province%3A01&by=points&level=commune&from=2026-05-01&to=2026-05-31', body: undefined },
    ],
    ['series', () => fetchSeries('province:01', MAY, 'day', signal()), { method: 'GET', url: SERIES, body: undefined }],
    [
      'alerts',
      () => fetchAlerts({ scope: 'province:01', status: 'cleared', acknowledged: false, severity: ['critical', 'major'], pageSize: 200 }, signal()),
      { method: 'GET', url: '/api/v1/alerts?status=cleared&acknowledged=false&severity=critical%2Cmajor&scope=province%3A01&page=1&pageSize=200', body: undefined },
    ],
    ['alerts, an empty scope left out', () => fetchAlerts({ scope: '', assignee: 'me' }, signal()), { method: 'GET', url: '/api/v1/alerts?assignee=me&page=1&pageSize=50', body: undefined }],
    ['an acknowledgement', () => acknowledgeAlert('1234', '  seen '), { method: 'POST', url: '/api/v1/alerts/1234/acknowledge', body: { note: 'seen' } }],
    ['an acknowledgement without a note', () => acknowledgeAlert('1234', ' '), { method: 'POST', url: '/api/v1/alerts/1234/acknowledge', body: {} }],
    ['an assignment', () => assignAlert('1234', 'chutich.badinh', ''), { method: 'POST', url: '/api/v1/alerts/1234/assign', body: { assignee: 'chutich.badinh' } }],
    [
      'citizen feedback, page 2',
      () => fetchFeedbackList({ scope: 'commune:00004', topic: null, page: 2 }, signal()),
      { method: 'GET', url: '/api/v1/feedback?scope=commune%3A00004&status=overdue%2Copen&limit=20&offset=20', body: undefined },
    ],
    ['a readiness profile', () => fetchReadiness('00004', signal()), { method: 'GET', url: '/api/v1/readiness/00004', body: undefined }],
    ['a channel test', () => testChannel('3', null), { method: 'POST', url: '/api/v1/notifications/channels/3/test', body: {} }],
    ['a channel removed', () => deleteChannel('3'), { method: 'DELETE', url: '/api/v1/notifications/channels/3', body: undefined }],
    // The one change: the contract declares no body here, and `{}` is no longer sent.
    ['a message sent again', () => retryDelivery('9'), { method: 'POST', url: '/api/v1/notifications/deliveries/9/retry', body: undefined }],
  ])('asks for %s as before', async (_name, call, request) => {
    await call();
    expect(seen).toEqual([{ ...request, token: auth.accessToken() }]);
  });

  it('takes its arguments and answers with the types of the contract', () => {
    // Checked by tsc, never called: each @ts-expect-error must be an error.
    const typed = () => {
      const kpis: Promise<KpiResponse> = api.get('kpis.kpis', { query: { scope: 'nation' } });
      const overrides: Promise<RuleOverride[]> = api.get('alerts.overrides', { params: { rule: 'commune-on-time-7d' } });
      const acknowledged: Promise<AlertDetail> = api.post('alerts.acknowledge', { params: { id: '1' }, body: {} });
      const removed: Promise<void> = api.delete('alerts.deleteOverride', { params: { rule: 'commune-on-time-7d', unit: '01' } });
      // @ts-expect-error: the answer is a KpiResponse
      const wrong: Promise<RuleOverride[]> = api.get('kpis.kpis', {});
      // @ts-expect-error: a POST route is not read with get
      void api.get('alerts.acknowledge', { params: { id: '1' }, body: {} });
      // @ts-expect-error: its path parameter is required
      void api.get('alerts.detail', {});
      // @ts-expect-error: not a query parameter of /kpis
      void api.get('kpis.kpis', { query: { scop: 'nation' } });
      // @ts-expect-error: granularity is hour, day or month
      void api.get('kpis.series', { query: { granularity: 'week' } });
      // @ts-expect-error: a comment's note is required
      void api.post('alerts.comment', { params: { id: '1' }, body: {} });
      // @ts-expect-error: a file, not JSON: the reports page downloads it
      void api.get('reports.pdf', { params: { id: '1' } });
      // @ts-expect-error: the source systems' route, with an ingest key
      void api.post('ingest.events', { body: { events: [] } });
      return [kpis, overrides, acknowledged, removed, wrong];
    };
    expect(typeof typed).toBe('function');
  });

  it('answers undefined for a 204', async () => {
    await expect(deleteChannel('3')).resolves.toBeUndefined();
  });

  it('asks the public routes without a token, signed in or not', async () => {
    await fetchHealth(signal());
    expect(auth.accessToken()).not.toBeNull();
    expect(seen).toEqual([{ method: 'GET', url: '/api/v1/health', token: null, body: undefined }]);
  });
});

describe('a request refused with 401', () => {
  const refreshes = () => seen.filter((s) => s.url === '/api/v1/auth/refresh').length;

  it('refreshes the token once and asks again with the new one', async () => {
    const old = auth.accessToken();
    reply = (s) => (s.url === '/api/v1/auth/refresh' ? json(200, tokens('t2')) : s.token === old ? expired() : ok(s));
    await expect(fetchKpis('province:01', MAY, signal())).resolves.toEqual({ ok: true });
    expect(seen.map((s) => [s.method, s.url, s.token])).toEqual([
      ['GET', KPIS, old],
      ['POST', '/api/v1/auth/refresh', null],
      ['GET', KPIS, 't2'],
    ]);
  });

  it('shares one refresh between the requests refused together', async () => {
    const old = auth.accessToken();
    reply = (s) => (s.url === '/api/v1/auth/refresh' ? json(200, tokens('t3')) : s.token === old ? expired() : ok(s));
    await Promise.all([fetchKpis('province:01', MAY, signal()), fetchSeries('province:01', MAY, 'day', signal())]);
    expect(refreshes()).toBe(1);
    expect(seen.filter((s) => s.token === 't3').map((s) => s.url)).toEqual(expect.arrayContaining([KPIS, SERIES]));
  });

  it('takes a second 401 as the answer: no second refresh', async () => {
    reply = (s) => (s.url === '/api/v1/auth/refresh' ? json(200, tokens('t4')) : expired());
    const failure = await fetchKpis('province:01', MAY, signal()).catch((e: unknown) => e);
    expect(errorCodeOf(failure)).toBe('UNAUTHORIZED');
    expect(refreshes()).toBe(1);
    expect(seen.map((s) => s.token)).toEqual([expect.any(String), null, 't4']);
  });
});
