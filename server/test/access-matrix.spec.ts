import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LiveView, Role, SubscribeAck } from '@ioc/shared';
import { type Socket, io } from 'socket.io-client';
import request from 'supertest';
import { registerIngestKey } from '../src/auth/provision.js';
import { type TestApp, startTestApp } from './harness.js';
import { receivedNow } from './live-client.js';

/**
 * The access matrix: every REST endpoint and every live view, for every kind of
 * caller, against units inside and outside the caller's scope, from this one
 * table. Expectations are written out by hand (not derived from the rules in
 * shared/src/auth/access.ts), and every route the server registers must have a
 * row: a new endpoint without one fails here.
 *
 * Units: P = province 01 (Hà Nội), C = commune 00004 (Ba Đình, in P), C2 = commune
 * 00008 (Ngọc Hà, in P), Q = province 79 (Hồ Chí Minh), Qc = commune 25747 (in Q).
 */
const P = '01';
const C = '00004';
const C2 = '00008';
const Q = '79';
const Qc = '25747';

const PEOPLE = ['admin', 'leaderN', 'leaderP', 'operatorP', 'chairC'] as const;
const KEYS = ['keyC', 'keyP'] as const;
type Person = (typeof PEOPLE)[number];
type Who = 'anon' | Person | (typeof KEYS)[number];
const WHO: Who[] = ['anon', ...PEOPLE, ...KEYS];

const ACCOUNTS: Record<Person, { role: Role; scope: string }> = {
  admin: { role: 'admin', scope: 'nation' },
  leaderN: { role: 'leader', scope: 'nation' },
  leaderP: { role: 'leader', scope: `province:${P}` },
  operatorP: { role: 'operator', scope: `province:${P}` },
  chairC: { role: 'commune_chair', scope: `commune:${C}` },
};
const KEY_SCOPES = { keyC: `commune:${C}`, keyP: `province:${P}` } as const;

const EVERYONE: Who[] = WHO;
const ALL_PEOPLE: Who[] = [...PEOPLE];
const ADMIN: Who[] = ['admin'];
const NATION: Who[] = ['admin', 'leaderN'];
const IN_P: Who[] = ['admin', 'leaderN', 'leaderP', 'operatorP'];
const ACT_P: Who[] = ['admin', 'operatorP'];

interface Fixtures {
  t: TestApp;
  alert(unit: string): Promise<string>;
  userId: string;
  keyId(): Promise<string>;
  seq(): number;
}
interface Req {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Content-Type of a body that is not JSON. */
  type?: string;
  /** Send no credentials whoever asks (endpoints that act on the caller's own sign-in). */
  bare?: boolean;
  cookie?: string;
}
interface Row {
  /** `METHOD /api/v1/path` with `{param}`s, as the OpenAPI document names it. */
  route: string;
  label: string;
  allowed: Who[];
  req: (f: Fixtures, who: Who) => Req | Promise<Req>;
  /** An answer that is the request being refused, besides 401 and 403. */
  refused?: (res: request.Response) => boolean;
}

const alertRows = (unit: string, label: string, read: Who[], act: Who[]): Row[] => [
  { route: 'GET /api/v1/alerts/{id}', label, allowed: read, req: async (f) => ({ method: 'get', path: `/api/v1/alerts/${await f.alert(unit)}` }) },
  { route: 'POST /api/v1/alerts/{id}/acknowledge', label, allowed: act, req: async (f) => ({ method: 'post', path: `/api/v1/alerts/${await f.alert(unit)}/acknowledge`, body: { note: 'ok' } }) },
  { route: 'GET /api/v1/alerts/{id}/assignees', label, allowed: act, req: async (f) => ({ method: 'get', path: `/api/v1/alerts/${await f.alert(unit)}/assignees` }) },
  { route: 'POST /api/v1/alerts/{id}/assign', label, allowed: act, req: async (f) => ({ method: 'post', path: `/api/v1/alerts/${await f.alert(unit)}/assign`, body: { assignee: 'admin' } }) },
  { route: 'POST /api/v1/alerts/{id}/comments', label, allowed: act, req: async (f) => ({ method: 'post', path: `/api/v1/alerts/${await f.alert(unit)}/comments`, body: { note: 'đã xem' } }) },
];
const overrideRows = (unit: string, label: string, allowed: Who[]): Row[] => [
  {
    route: 'PUT /api/v1/alert-rules/{rule}/overrides/{unit}',
    label,
    allowed,
    req: () => ({ method: 'put', path: `/api/v1/alert-rules/commune-silence/overrides/${unit}`, body: { pendingMinutes: 30 } }),
  },
  {
    route: 'DELETE /api/v1/alert-rules/{rule}/overrides/{unit}',
    label,
    allowed,
    req: async (f) => {
      await f.t.db.query(`INSERT INTO alert_rule_override (rule_id, unit_code, params, updated_by) VALUES ('commune-silence', $1, '{"pendingMinutes": 30}', 'x') ON CONFLICT DO NOTHING`, [unit]);
      return { method: 'delete', path: `/api/v1/alert-rules/commune-silence/overrides/${unit}` };
    },
  },
];
const figureRows = (scope: string, label: string, allowed: Who[]): Row[] => [
  { route: 'GET /api/v1/kpis', label, allowed, req: () => ({ method: 'get', path: '/api/v1/kpis', query: { scope } }) },
  { route: 'GET /api/v1/kpis/series', label, allowed, req: () => ({ method: 'get', path: '/api/v1/kpis/series', query: { scope } }) },
  { route: 'GET /api/v1/kpis/projection', label, allowed, req: () => ({ method: 'get', path: '/api/v1/kpis/projection', query: { scope } }) },
  { route: 'GET /api/v1/kpis/by-sector', label, allowed, req: () => ({ method: 'get', path: '/api/v1/kpis/by-sector', query: { scope } }) },
  { route: 'GET /api/v1/indicator-values', label, allowed, req: () => ({ method: 'get', path: '/api/v1/indicator-values', query: { scope } }) },
  { route: 'GET /api/v1/feedback/summary', label, allowed, req: () => ({ method: 'get', path: '/api/v1/feedback/summary', query: { scope } }) },
];
const eventRow = (unit: string, label: string, allowed: Who[]): Row => ({
  route: 'POST /api/v1/events',
  label,
  allowed,
  req: (f) => {
    const event = receivedNow(unit, new Date(Date.now() + 86_400_000), `M-${f.seq()}`);
    // A province-level dossier names its province instead of a commune.
    const body = unit.length === 2 ? { ...event, communeCode: undefined, provinceCode: unit } : event;
    return { method: 'post', path: '/api/v1/events?wait=projected', body: { events: [body] } };
  },
  // A key outside its scope gets the event rejected, the request answered.
  refused: (res) => res.status === 200 && res.body.results?.[0]?.status === 'rejected' && /may only send events of/.test(res.body.results[0].reason),
});

/** Notification rows: configuration is for administrators, delivery states also for operators (their province). */
const N = '/api/v1/notifications';
const one = async (f: Fixtures, sql: string, args: unknown[]): Promise<string> => String(((await f.t.db.query(sql, args)) as { id: string }[])[0]!.id);
const channel = (f: Fixtures) => one(f, `INSERT INTO notification_channel (name, kind, config, created_by) VALUES ($1, 'email', '{}', 'matrix') RETURNING id`, [`Kênh ma trận ${f.seq()}`]);
const group = (f: Fixtures) => one(f, 'INSERT INTO notification_group (name) VALUES ($1) RETURNING id', [`Nhóm ma trận ${f.seq()}`]);
const subscription = async (f: Fixtures) =>
  one(f, `INSERT INTO notification_subscription (name, channel_id, user_id, scope, min_severity, created_by) VALUES ('x', $1, $2, 'province:${Q}', 'warning', 'matrix') RETURNING id`, [
    await channel(f),
    f.userId,
  ]);
const failedDelivery = (f: Fixtures) =>
  one(
    f,
    `INSERT INTO notification (delivery_id, kind, channel_name, channel_kind, recipients, subject, body, status, created_at) VALUES (gen_random_uuid(), 'fired', 'x', 'email', '[]', 'x', '{}', 'failed', now()) RETURNING id`,
    [],
  );
function notificationRows(): Row[] {
  return [
    { route: `GET ${N}/channels`, label: '', allowed: ADMIN, req: () => ({ method: 'get', path: `${N}/channels` }) },
    { route: `POST ${N}/channels`, label: '', allowed: ADMIN, req: (f) => ({ method: 'post', path: `${N}/channels`, body: { name: `Thư ${f.seq()}`, kind: 'email' } }) },
    { route: `PATCH ${N}/channels/{id}`, label: '', allowed: ADMIN, req: async (f) => ({ method: 'patch', path: `${N}/channels/${await channel(f)}`, body: { enabled: false } }) },
    { route: `DELETE ${N}/channels/{id}`, label: '', allowed: ADMIN, req: async (f) => ({ method: 'delete', path: `${N}/channels/${await channel(f)}` }) },
    {
      route: `POST ${N}/channels/{id}/test`,
      label: '',
      allowed: ADMIN,
      req: async (f) => ({ method: 'post', path: `${N}/channels/${await channel(f)}/test`, body: { to: 'kiemthu@example.gov.vn' } }),
    },
    { route: `GET ${N}/contacts`, label: '', allowed: ADMIN, req: () => ({ method: 'get', path: `${N}/contacts` }) },
    { route: `PUT ${N}/contacts/{userId}`, label: '', allowed: ADMIN, req: (f) => ({ method: 'put', path: `${N}/contacts/${f.userId}`, body: { email: 'matrix@example.gov.vn' } }) },
    { route: `GET ${N}/groups`, label: '', allowed: ADMIN, req: () => ({ method: 'get', path: `${N}/groups` }) },
    { route: `POST ${N}/groups`, label: '', allowed: ADMIN, req: (f) => ({ method: 'post', path: `${N}/groups`, body: { name: `Tổ ${f.seq()}`, members: [f.userId] } }) },
    { route: `PATCH ${N}/groups/{id}`, label: '', allowed: ADMIN, req: async (f) => ({ method: 'patch', path: `${N}/groups/${await group(f)}`, body: { members: [] } }) },
    { route: `DELETE ${N}/groups/{id}`, label: '', allowed: ADMIN, req: async (f) => ({ method: 'delete', path: `${N}/groups/${await group(f)}` }) },
    { route: `GET ${N}/subscriptions`, label: '', allowed: ADMIN, req: () => ({ method: 'get', path: `${N}/subscriptions` }) },
    {
      route: `POST ${N}/subscriptions`,
      label: '',
      allowed: ADMIN,
      req: async (f) => ({ method: 'post', path: `${N}/subscriptions`, body: { channelId: await channel(f), recipient: { kind: 'user', userId: f.userId }, scope: `province:${Q}` } }),
    },
    { route: `PATCH ${N}/subscriptions/{id}`, label: '', allowed: ADMIN, req: async (f) => ({ method: 'patch', path: `${N}/subscriptions/${await subscription(f)}`, body: { minSeverity: 'major' } }) },
    { route: `DELETE ${N}/subscriptions/{id}`, label: '', allowed: ADMIN, req: async (f) => ({ method: 'delete', path: `${N}/subscriptions/${await subscription(f)}` }) },
    { route: `GET ${N}/escalation-policy`, label: '', allowed: ADMIN, req: () => ({ method: 'get', path: `${N}/escalation-policy` }) },
    { route: `PUT ${N}/escalation-policy`, label: '', allowed: ADMIN, req: () => ({ method: 'put', path: `${N}/escalation-policy`, body: { afterMinutes: { critical: 30 } } }) },
    { route: `GET ${N}/deliveries`, label: 'own province for operators', allowed: ['admin', 'operatorP'], req: () => ({ method: 'get', path: `${N}/deliveries` }) },
    { route: `GET ${N}/dead-letters`, label: '', allowed: ADMIN, req: () => ({ method: 'get', path: `${N}/dead-letters` }) },
    { route: `POST ${N}/deliveries/{id}/retry`, label: '', allowed: ADMIN, req: async (f) => ({ method: 'post', path: `${N}/deliveries/${await failedDelivery(f)}/retry` }) },
    { route: `GET ${N}/caught-mail`, label: '', allowed: ADMIN, req: () => ({ method: 'get', path: `${N}/caught-mail` }) },
  ];
}

/** Report rows: a report is read like /kpis of its scope plus /rankings of the units it ranks. */
const report = (f: Fixtures, scope: string) =>
  one(
    f,
    `INSERT INTO report (scope, kind, period_from, period_to, status, claimed_at, requested_by, generated_at, figures, pdf, xlsx)
     VALUES ($1, 'on_demand', '2026-01-01', '2026-01-31', 'ready', now(), 'matrix', now(), '{"kpis": {"asOf": "2026-02-01T00:00:00.000Z", "projection": {"watermark": 0}}}', '\\x25504446', '\\x504b') RETURNING id`,
    [scope],
  );
const reportRows = (scope: string, label: string, allowed: Who[]): Row[] => [
  { route: 'GET /api/v1/reports', label, allowed, req: () => ({ method: 'get', path: '/api/v1/reports', query: { scope } }) },
  { route: 'GET /api/v1/reports/{id}', label, allowed, req: async (f) => ({ method: 'get', path: `/api/v1/reports/${await report(f, scope)}` }) },
  { route: 'GET /api/v1/reports/{id}.pdf', label, allowed, req: async (f) => ({ method: 'get', path: `/api/v1/reports/${await report(f, scope)}.pdf` }) },
  { route: 'GET /api/v1/reports/{id}.xlsx', label, allowed, req: async (f) => ({ method: 'get', path: `/api/v1/reports/${await report(f, scope)}.xlsx` }) },
];

const ROWS: Row[] = [
  // Public: reference data, health, sign-in.
  { route: 'GET /api/v1/health', label: '', allowed: EVERYONE, req: () => ({ method: 'get', path: '/api/v1/health' }) },
  { route: 'GET /api/v1/units/provinces', label: '', allowed: EVERYONE, req: () => ({ method: 'get', path: '/api/v1/units/provinces' }) },
  { route: 'GET /api/v1/units/provinces/{code}', label: 'Q', allowed: EVERYONE, req: () => ({ method: 'get', path: `/api/v1/units/provinces/${Q}` }) },
  { route: 'GET /api/v1/units/provinces/{code}/communes', label: 'Q', allowed: EVERYONE, req: () => ({ method: 'get', path: `/api/v1/units/provinces/${Q}/communes` }) },
  { route: 'GET /api/v1/units/communes/{code}', label: 'Qc', allowed: EVERYONE, req: () => ({ method: 'get', path: `/api/v1/units/communes/${Qc}` }) },
  { route: 'GET /api/v1/geo/provinces', label: '', allowed: EVERYONE, req: () => ({ method: 'get', path: '/api/v1/geo/provinces' }) },
  { route: 'GET /api/v1/geo/provinces/{code}/communes', label: 'Q', allowed: EVERYONE, req: () => ({ method: 'get', path: `/api/v1/geo/provinces/${Q}/communes` }) },
  { route: 'GET /api/v1/auth/options', label: '', allowed: EVERYONE, req: () => ({ method: 'get', path: '/api/v1/auth/options' }) },
  { route: 'GET /api/v1/client-config', label: '', allowed: EVERYONE, req: () => ({ method: 'get', path: '/api/v1/client-config' }) },
  {
    route: 'POST /api/v1/auth/sign-in',
    label: '',
    allowed: EVERYONE,
    req: () => ({ method: 'post', path: '/api/v1/auth/sign-in', body: { username: 'matrix-probe', password: 'matrix-probe-password' }, bare: true }),
  },
  {
    route: 'POST /api/v1/auth/refresh',
    label: 'with a refresh cookie',
    allowed: EVERYONE,
    req: async (f) => {
      const res = await request(f.t.app.getHttpServer()).post('/api/v1/auth/sign-in').send({ username: 'matrix-probe', password: 'matrix-probe-password' });
      return { method: 'post', path: '/api/v1/auth/refresh', cookie: String(res.headers['set-cookie']).split(';')[0], bare: true };
    },
  },
  { route: 'POST /api/v1/auth/sign-out', label: 'another sign-in', allowed: EVERYONE, req: () => ({ method: 'post', path: '/api/v1/auth/sign-out', cookie: 'ioc_refresh=not-a-session', bare: true }) },
  // Any signed-in account, about itself.
  { route: 'GET /api/v1/auth/me', label: '', allowed: ALL_PEOPLE, req: () => ({ method: 'get', path: '/api/v1/auth/me' }) },
  {
    route: 'POST /api/v1/auth/password',
    label: '',
    allowed: ALL_PEOPLE,
    // The session in use stays signed in; the account's other sessions end.
    req: (_f, who) => ({ method: 'post', path: '/api/v1/auth/password', body: { currentPassword: `${who}-password`, newPassword: 'a-fresh-passphrase-9' } }),
  },
  // Figures of a unit.
  ...figureRows('nation', 'nation', ALL_PEOPLE),
  ...figureRows(`province:${P}`, 'P', ALL_PEOPLE),
  ...figureRows(`commune:${C}`, 'C', ALL_PEOPLE),
  ...figureRows(`commune:${C2}`, 'C2', IN_P),
  ...figureRows(`province:${Q}`, 'Q', IN_P),
  ...figureRows(`commune:${Qc}`, 'Qc', NATION),
  // Rankings: the units ranked must all be comparable.
  { route: 'GET /api/v1/rankings', label: 'provinces of the nation', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/rankings', query: { scope: 'nation', level: 'province' } }) },
  { route: 'GET /api/v1/rankings', label: 'communes of the nation', allowed: ALL_PEOPLE, req: () => ({ method: 'get', path: '/api/v1/rankings', query: { scope: 'nation', level: 'commune' } }) },
  { route: 'GET /api/v1/rankings', label: 'communes of P', allowed: ALL_PEOPLE, req: () => ({ method: 'get', path: '/api/v1/rankings', query: { scope: `province:${P}` } }) },
  { route: 'GET /api/v1/rankings', label: 'communes of Q', allowed: ALL_PEOPLE, req: () => ({ method: 'get', path: '/api/v1/rankings', query: { scope: `province:${Q}` } }) },
  // Alerts.
  { route: 'GET /api/v1/alerts/evaluation', label: '', allowed: ALL_PEOPLE, req: () => ({ method: 'get', path: '/api/v1/alerts/evaluation' }) },
  { route: 'GET /api/v1/alerts', label: 'own scope', allowed: ALL_PEOPLE, req: () => ({ method: 'get', path: '/api/v1/alerts' }) },
  { route: 'GET /api/v1/alerts', label: 'nation', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/alerts', query: { scope: 'nation' } }) },
  { route: 'GET /api/v1/alerts', label: 'P', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/alerts', query: { scope: `province:${P}` } }) },
  { route: 'GET /api/v1/alerts', label: 'C', allowed: [...IN_P, 'chairC'], req: () => ({ method: 'get', path: '/api/v1/alerts', query: { scope: `commune:${C}` } }) },
  { route: 'GET /api/v1/alerts', label: 'C2', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/alerts', query: { scope: `commune:${C2}` } }) },
  { route: 'GET /api/v1/alerts', label: 'Q', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/alerts', query: { scope: `province:${Q}` } }) },
  // Dossier-level data, own scope only (a list of the nation's dossiers is refused as too broad, for everyone).
  { route: 'GET /api/v1/dossiers', label: 'P', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/dossiers', query: { scope: `province:${P}` } }) },
  { route: 'GET /api/v1/dossiers', label: 'C', allowed: [...IN_P, 'chairC'], req: () => ({ method: 'get', path: '/api/v1/dossiers', query: { scope: `commune:${C}` } }) },
  { route: 'GET /api/v1/dossiers', label: 'C2', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/dossiers', query: { scope: `commune:${C2}` } }) },
  { route: 'GET /api/v1/dossiers', label: 'Q', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/dossiers', query: { scope: `province:${Q}` } }) },
  { route: 'GET /api/v1/dossiers', label: 'Qc', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/dossiers', query: { scope: `commune:${Qc}` } }) },
  // Citizen feedback items: dossier-level data too (the nation's list is small enough to serve).
  { route: 'GET /api/v1/feedback', label: 'nation', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/feedback', query: { scope: 'nation' } }) },
  { route: 'GET /api/v1/feedback', label: 'P', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/feedback', query: { scope: `province:${P}` } }) },
  { route: 'GET /api/v1/feedback', label: 'C', allowed: [...IN_P, 'chairC'], req: () => ({ method: 'get', path: '/api/v1/feedback', query: { scope: `commune:${C}` } }) },
  { route: 'GET /api/v1/feedback', label: 'C2', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/feedback', query: { scope: `commune:${C2}` } }) },
  { route: 'GET /api/v1/feedback', label: 'Qc', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/feedback', query: { scope: `commune:${Qc}` } }) },
  ...alertRows(C, 'alert of C', [...IN_P, 'chairC'], [...ACT_P, 'chairC']),
  ...alertRows(C2, 'alert of C2', IN_P, ACT_P),
  ...alertRows(P, 'alert of P itself', IN_P, ACT_P),
  ...alertRows(Qc, 'alert of Qc', NATION, ADMIN),
  { route: 'GET /api/v1/alert-rules', label: '', allowed: ALL_PEOPLE, req: () => ({ method: 'get', path: '/api/v1/alert-rules' }) },
  { route: 'GET /api/v1/alert-rules/{rule}/overrides', label: 'only those in scope', allowed: ALL_PEOPLE, req: () => ({ method: 'get', path: '/api/v1/alert-rules/commune-silence/overrides' }) },
  ...overrideRows(P, 'P', ACT_P),
  ...overrideRows(C, 'C', ACT_P),
  ...overrideRows(Q, 'Q', ADMIN),
  // Ingest: keys only, each within its scope.
  eventRow(C, 'C', ['keyC', 'keyP']),
  eventRow(C2, 'C2', ['keyP']),
  eventRow(P, 'P itself', ['keyP']),
  eventRow(Qc, 'Qc', []),
  // Reported indicator values: province- or nation-scoped keys only, for units in their scope.
  ...[[C, 'C', ['keyP']] as const, [P, 'P itself', ['keyP']] as const, [Qc, 'Qc', []] as const].map(([unit, label, allowed]): Row => ({
    route: 'POST /api/v1/indicator-values',
    label,
    allowed: [...allowed],
    req: () => ({ method: 'post', path: '/api/v1/indicator-values', body: { values: [{ unitCode: unit, month: '2026-01', subIndicator: '1.1', numerator: 1, denominator: 2 }] } }),
    refused: (res) => res.status === 200 && res.body.results?.[0]?.status === 'rejected' && /outside it|province- or nation-scoped key/.test(res.body.results[0].reason),
  })),
  // Connectivity: relays report with their key for communes in its scope; reading a list needs the figures of every commune in it.
  ...[[C, 'C', ['keyC', 'keyP']] as const, [C2, 'C2', ['keyP']] as const, [Qc, 'Qc', []] as const].map(([unit, label, allowed]): Row => ({
    route: 'POST /api/v1/heartbeats',
    label,
    allowed: [...allowed],
    req: () => ({ method: 'post', path: '/api/v1/heartbeats', body: { communeCode: unit, latencyMs: 90, backlogEvents: 0 } }),
  })),
  { route: 'GET /api/v1/connectivity', label: 'nation', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/connectivity', query: { scope: 'nation' } }) },
  { route: 'GET /api/v1/connectivity', label: 'P', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/connectivity', query: { scope: `province:${P}` } }) },
  { route: 'GET /api/v1/connectivity', label: 'C', allowed: [...IN_P, 'chairC'], req: () => ({ method: 'get', path: '/api/v1/connectivity', query: { scope: `commune:${C}` } }) },
  { route: 'GET /api/v1/connectivity', label: 'C2', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/connectivity', query: { scope: `commune:${C2}` } }) },
  { route: 'GET /api/v1/connectivity', label: 'Q', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/connectivity', query: { scope: `province:${Q}` } }) },
  { route: 'GET /api/v1/connectivity/{communeCode}/timeline', label: 'C', allowed: [...IN_P, 'chairC'], req: () => ({ method: 'get', path: `/api/v1/connectivity/${C}/timeline` }) },
  { route: 'GET /api/v1/connectivity/{communeCode}/timeline', label: 'C2', allowed: IN_P, req: () => ({ method: 'get', path: `/api/v1/connectivity/${C2}/timeline` }) },
  { route: 'GET /api/v1/connectivity/{communeCode}/timeline', label: 'Qc', allowed: NATION, req: () => ({ method: 'get', path: `/api/v1/connectivity/${Qc}/timeline` }) },
  // Readiness: read like the figures of every commune listed; written by an administrator, or pushed by a province's key within its province.
  { route: 'GET /api/v1/readiness', label: 'nation', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/readiness', query: { scope: 'nation' } }) },
  { route: 'GET /api/v1/readiness', label: 'P', allowed: IN_P, req: () => ({ method: 'get', path: '/api/v1/readiness', query: { scope: `province:${P}` } }) },
  { route: 'GET /api/v1/readiness', label: 'C', allowed: [...IN_P, 'chairC'], req: () => ({ method: 'get', path: '/api/v1/readiness', query: { scope: `commune:${C}` } }) },
  { route: 'GET /api/v1/readiness', label: 'Q', allowed: NATION, req: () => ({ method: 'get', path: '/api/v1/readiness', query: { scope: `province:${Q}` } }) },
  { route: 'GET /api/v1/readiness/{communeCode}', label: 'C', allowed: [...IN_P, 'chairC'], req: () => ({ method: 'get', path: `/api/v1/readiness/${C}` }) },
  { route: 'GET /api/v1/readiness/{communeCode}', label: 'C2', allowed: IN_P, req: () => ({ method: 'get', path: `/api/v1/readiness/${C2}` }) },
  { route: 'GET /api/v1/readiness/{communeCode}', label: 'Qc', allowed: NATION, req: () => ({ method: 'get', path: `/api/v1/readiness/${Qc}` }) },
  ...[[C, 'C'] as const, [Qc, 'Qc'] as const].map(([unit, label]): Row => ({
    route: 'PUT /api/v1/readiness/{communeCode}',
    label,
    allowed: ADMIN,
    req: (f) => ({ method: 'put', path: `/api/v1/readiness/${unit}`, body: { values: { kiosks: { value: f.seq() % 5, asOf: '2026-09-30', source: 'Kiểm kê' } } } }),
  })),
  ...[[C, 'C', ['keyP']] as const, [Qc, 'Qc', []] as const].map(([unit, label, allowed]): Row => ({
    route: 'POST /api/v1/readiness',
    label,
    allowed: [...allowed],
    req: (f) => ({ method: 'post', path: '/api/v1/readiness', body: { communes: [{ communeCode: unit, values: { scanners: { value: f.seq() % 5, asOf: '2026-09-30', source: 'Sở Nội vụ' } } }] } }),
  })),
  // Administration.
  { route: 'GET /api/v1/users', label: '', allowed: ADMIN, req: () => ({ method: 'get', path: '/api/v1/users' }) },
  { route: 'GET /api/v1/users/{id}', label: '', allowed: ADMIN, req: (f) => ({ method: 'get', path: `/api/v1/users/${f.userId}` }) },
  {
    route: 'POST /api/v1/users',
    label: '',
    allowed: ADMIN,
    req: (f) => ({ method: 'post', path: '/api/v1/users', body: { username: `matrix-new-${f.seq()}`, displayName: 'Mới', role: 'leader', scope: `province:${Q}`, password: 'a-long-password-1' } }),
  },
  { route: 'PATCH /api/v1/users/{id}', label: '', allowed: ADMIN, req: (f) => ({ method: 'patch', path: `/api/v1/users/${f.userId}`, body: { displayName: `Tên ${f.seq()}` } }) },
  {
    route: 'POST /api/v1/users/{id}/password',
    label: '',
    allowed: ADMIN,
    req: (f) => ({ method: 'post', path: `/api/v1/users/${f.userId}/password`, body: { password: `another-password-${f.seq()}` } }),
  },
  { route: 'GET /api/v1/ingest-keys', label: '', allowed: ADMIN, req: () => ({ method: 'get', path: '/api/v1/ingest-keys' }) },
  { route: 'POST /api/v1/ingest-keys', label: '', allowed: ADMIN, req: (f) => ({ method: 'post', path: '/api/v1/ingest-keys', body: { name: `Hệ thống ${f.seq()}`, scope: `commune:${C}` } }) },
  { route: 'DELETE /api/v1/ingest-keys/{id}', label: '', allowed: ADMIN, req: async (f) => ({ method: 'delete', path: `/api/v1/ingest-keys/${await f.keyId()}` }) },
  { route: 'GET /api/v1/audit', label: '', allowed: ADMIN, req: () => ({ method: 'get', path: '/api/v1/audit' }) },
  ...notificationRows(),
  // Reports: the scope's figures, and every unit it ranks comparable (a chair ranks no provinces).
  { route: 'GET /api/v1/reports', label: 'every scope the caller may read', allowed: ALL_PEOPLE, req: () => ({ method: 'get', path: '/api/v1/reports' }) },
  ...reportRows('nation', 'nation', IN_P),
  ...reportRows(`province:${P}`, 'P', ALL_PEOPLE),
  ...reportRows(`commune:${C2}`, 'C2', IN_P),
  ...reportRows(`province:${Q}`, 'Q', IN_P),
  ...reportRows(`commune:${Qc}`, 'Qc', NATION),
  { route: 'POST /api/v1/reports', label: 'C', allowed: ALL_PEOPLE, req: () => ({ method: 'post', path: '/api/v1/reports', body: { scope: `commune:${C}`, from: '2026-01-01', to: '2026-01-31' } }) },
  { route: 'POST /api/v1/reports', label: 'Qc', allowed: NATION, req: () => ({ method: 'post', path: '/api/v1/reports', body: { scope: `commune:${Qc}`, from: '2026-01-01', to: '2026-01-31' } }) },
  {
    route: 'POST /api/v1/imports',
    label: 'C',
    allowed: [...KEYS],
    req: (f) => {
      const record = {
        dossierId: `IMP-${f.seq()}`,
        communeCode: C,
        procedureCode: '1.001193',
        sector: 'Hộ tịch',
        channel: 'online',
        fullOnlineEligible: true,
        resultRequired: false,
        feeRequired: false,
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      };
      return { method: 'post', path: '/api/v1/imports', type: 'application/x-ndjson', body: `${JSON.stringify(record)}\n` };
    },
  },
  {
    route: 'GET /api/v1/events/{eventId}',
    label: '',
    allowed: ADMIN,
    req: async (f) => {
      await f.t.db.query(
        `WITH k AS (INSERT INTO ingest_event_key (event_id, seq, ingested_at) VALUES ('matrix-probe', nextval('ingest_event_seq'), now()) ON CONFLICT DO NOTHING RETURNING seq, ingested_at)
         INSERT INTO ingest_event (seq, event_id, dossier_id, unit_code, type, occurred_at, ingested_at, payload)
         SELECT seq, 'matrix-probe', 'matrix-probe', '00004', 'digitized', now(), ingested_at, '{}' FROM k`,
      );
      return { method: 'get', path: '/api/v1/events/matrix-probe' };
    },
  },
];

/** Live views: who may hold each topic. */
const LIVE: { view: LiveView; scope: string; label: string; allowed: Who[] }[] = [
  { view: 'summary', scope: 'nation', label: 'nation', allowed: ALL_PEOPLE },
  { view: 'summary', scope: `province:${P}`, label: 'P', allowed: ALL_PEOPLE },
  { view: 'summary', scope: `commune:${C}`, label: 'C', allowed: ALL_PEOPLE },
  { view: 'summary', scope: `commune:${C2}`, label: 'C2', allowed: IN_P },
  { view: 'summary', scope: `province:${Q}`, label: 'Q', allowed: IN_P },
  { view: 'summary', scope: `commune:${Qc}`, label: 'Qc', allowed: NATION },
  { view: 'children', scope: 'nation', label: 'provinces of the nation', allowed: IN_P },
  { view: 'children', scope: `province:${P}`, label: 'communes of P', allowed: IN_P },
  { view: 'children', scope: `province:${Q}`, label: 'communes of Q', allowed: NATION },
  { view: 'alerts', scope: 'nation', label: 'nation', allowed: NATION },
  { view: 'alerts', scope: `province:${P}`, label: 'P', allowed: IN_P },
  { view: 'alerts', scope: `commune:${C}`, label: 'C', allowed: [...IN_P, 'chairC'] },
  { view: 'alerts', scope: `commune:${C2}`, label: 'C2', allowed: IN_P },
  { view: 'alerts', scope: `province:${Q}`, label: 'Q', allowed: NATION },
];

let t: TestApp;
const tokens = new Map<Who, string>();
const keys = new Map<Who, string>();
let fixtures: Fixtures;

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  for (const p of PEOPLE) tokens.set(p, (await t.signIn({ username: p, password: `${p}-password`, ...ACCOUNTS[p] })).accessToken);
  for (const k of KEYS) {
    const key = `matrix-${k}-key-0000`;
    await registerIngestKey(t.db, key, KEY_SCOPES[k], k);
    keys.set(k, key);
  }
  await t.signIn({ username: 'matrix-probe', password: 'matrix-probe-password', role: 'leader', scope: `province:${Q}` });
  const target = await t.signIn({ username: 'matrix-target', role: 'leader', scope: `province:${Q}` });
  let n = 0;
  fixtures = {
    t,
    userId: target.user.id,
    seq: () => ++n,
    alert: async (unit) => {
      // A fresh alert each time, so acknowledging is always possible.
      const province = unit.length === 2 ? unit : unit === Qc ? Q : P;
      const [row] = (await t.db.query(
        `INSERT INTO alert (rule_id, unit_code, province_code, severity, status, fired_at, updated_at, fired_value, params, details)
         VALUES ($1, $2, $3, 'major', 'cleared', now(), now(), 1, '{}', '{}') RETURNING id`,
        [unit.length === 2 ? 'province-overdue-backlog' : 'commune-overdue-backlog', unit, province],
      )) as { id: string }[];
      return String(row!.id);
    },
    keyId: async () => {
      const [row] = (await t.db.query(`INSERT INTO ingest_key (name, prefix, key_hash, scope, created_by) VALUES ('x', 'x', $1, 'commune:00004', 'x') RETURNING id`, [Buffer.from(`k${++n}`)])) as {
        id: string;
      }[];
      return row!.id;
    },
  };
});
afterAll(async () => {
  await t?.close();
});

async function call(row: Row, who: Who): Promise<request.Response> {
  const r = await row.req(fixtures, who);
  let req = request(t.app.getHttpServer())[r.method](r.path);
  if (r.query) req = req.query(r.query);
  if (r.cookie) req = req.set('Cookie', r.cookie);
  if (r.type) req = req.set('Content-Type', r.type);
  if (!r.bare) {
    const token = tokens.get(who);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
  }
  const key = keys.get(who);
  if (key) req = req.set('X-Api-Key', key);
  return r.body === undefined ? req : req.send(r.body as object);
}

describe('access matrix', () => {
  it('has a row for every route the server serves, and no row for a route it does not', async () => {
    const doc = (await request(t.app.getHttpServer()).get('/api/docs/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const served = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const covered = new Set(ROWS.map((r) => r.route));
    expect(served.filter((r) => !covered.has(r))).toEqual([]);
    expect([...covered].filter((r) => !served.includes(r))).toEqual([]);
  });

  for (const row of ROWS) {
    it(`${row.route} ${row.label}`.trim(), async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const who of WHO) {
        const res = await call(row, who);
        const denied = res.status === 401 || res.status === 403 || (row.refused?.(res) ?? false);
        if (!denied && res.status >= 300) throw new Error(`${who}: unexpected ${res.status} ${JSON.stringify(res.body)}`);
        if (res.status === 401 || res.status === 403) {
          // Callers without the credential a route takes are told to authenticate (401); known callers who may not are refused (403).
          // On key routes the known callers are keys: a key outside its scope is refused (403), a person has no key (401).
          const keyRoute = ['POST /api/v1/events', 'POST /api/v1/imports', 'POST /api/v1/heartbeats', 'POST /api/v1/readiness', 'POST /api/v1/indicator-values'].includes(row.route);
          const known = keyRoute ? (KEYS as readonly string[]).includes(who) : PEOPLE.includes(who as Person);
          if (res.status !== (known ? 403 : 401)) throw new Error(`${who}: ${res.status} instead of ${known ? 403 : 401}: ${res.body.message}`);
        }
        got.push(`${who}: ${denied ? 'denied' : 'allowed'}`);
        want.push(`${who}: ${row.allowed.includes(who) ? 'allowed' : 'denied'}`);
      }
      expect(got).toEqual(want);
    });
  }

  for (const topic of LIVE) {
    it(`live ${topic.view} ${topic.label}`, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const who of WHO) {
        got.push(`${who}: ${await subscribe(who, topic.view, topic.scope)}`);
        want.push(`${who}: ${topic.allowed.includes(who) ? 'allowed' : 'denied'}`);
      }
      expect(got).toEqual(want);
    });
  }
});

/** Connects as `who` and asks for one topic: 'allowed', or 'denied' (handshake refused, or the topic refused as forbidden). */
async function subscribe(who: Who, view: LiveView, scope: string): Promise<'allowed' | 'denied'> {
  const token = tokens.get(who);
  const socket: Socket = io(`${t.base}/live`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: token ? { token } : {} });
  try {
    const connected = await new Promise<boolean>((resolve, reject) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', (e: Error & { data?: { status?: number } }) => (e.message === 'unauthorized' && e.data?.status === 401 ? resolve(false) : reject(e)));
    });
    if (!connected) return 'denied';
    const ack = (await socket.timeout(5000).emitWithAck('subscribe', { topics: [{ scope, view }] })) as SubscribeAck;
    const r = ack.topics[0]!;
    if (!r.ok && r.code !== 'FORBIDDEN') throw new Error(`refused for another reason: ${r.code} ${r.reason}`);
    return r.ok ? 'allowed' : 'denied';
  } finally {
    socket.close();
  }
}
