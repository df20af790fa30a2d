import { createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import type { AlertListResponse, AuditListResponse, DeliveryListResponse, DossierEvent, NotificationChannel, NotificationDelivery, WebhookPayload } from '@ioc/shared';
import { at, eventsOf, ms } from '../../shared/src/kpi/test-dossiers.js';
import { AlertEngine } from '../src/alerts/alert-engine.service.js';
import { DeliveryWorker } from '../src/notifications/delivery.service.js';
import { NotificationDispatcher } from '../src/notifications/dispatcher.service.js';
import { UnitsService } from '../src/units/units.service.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/**
 * Notifications end to end: the alert engine on a real database fires alerts, the
 * dispatcher turns them into messages, and a real SMTP server (smtp-server + mailparser)
 * and a real HTTP receiver take them. Evaluation and notification passes are run at pinned
 * times on Monday 16 November 2026 (Asia/Ho_Chi_Minh), increasing through the file.
 */
const SECRET = 'relay-secret-0123456789abcdef';

interface Mail {
  to: string[];
  subject: string;
  text: string;
}
interface Hook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const mails: Mail[] = [];
const hooks: Hook[] = [];
let smtp: SMTPServer;
let receiver: Server;
let smtpPort = 0;
let hookBase = '';
/** Requests to /hang wait until this is called. */
let releaseHang: (() => void) | null = null;

let t: TestApp;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
const channels: Record<string, NotificationChannel> = {};

/** Waits until `probe` returns a value, or fails after `deadlineMs`. */
async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, deadlineMs = 15_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** What a receiver does: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret. */
function validSignature(h: Hook, secret: string): boolean {
  const ts = String(h.headers['x-ioc-timestamp']);
  const sig = String(h.headers['x-ioc-signature']);
  const want = `sha256=${createHmac('sha256', secret).update(`${ts}.${h.body}`).digest('hex')}`;
  return Math.abs(Date.now() / 1000 - Number(ts)) < 300 && want.length === sig.length && timingSafeEqual(Buffer.from(want), Buffer.from(sig));
}

const mailsTo = (addr: string) => mails.filter((m) => m.to.includes(addr));
const hooksAt = (path: string) => hooks.filter((h) => h.path === path);
const tick = (local: string) => t.app.get(NotificationDispatcher).tick(ms(local));
const evaluate = (local: string) => t.app.get(AlertEngine).evaluate(ms(local));
const post = async (events: DossierEvent[]) => {
  for (let i = 0; i < events.length; i += 4000) {
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/events?wait=projected')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ events: events.slice(i, i + 4000) });
    expect(res.body.accepted).toBe(Math.min(4000, events.length - i));
  }
};
let n = 0;
/** `count` dossiers received the week before at `unit`, due Friday the 13th: overdue by Monday. */
const overdue = (unit: string, count: number) => Array.from({ length: count }, () => eventsOf({ id: `N-${unit}-${++n}`, unit, received: '2026-11-09T08:00', due: '2026-11-13T17:00' })).flat();
const deliveries = async (query: Record<string, string> = {}, token?: string) => {
  const res = await (token ? t.as(token) : t.http).get('/api/v1/notifications/deliveries').query(query);
  expect(res.status).toBe(200);
  return (res.body as DeliveryListResponse).items;
};

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((m) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: m.subject ?? '', text: m.text ?? '' });
          callback();
        })
        .catch((e: unknown) => callback(e as Error));
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url === '/fail') res.writeHead(500).end('relay is down');
      else if (req.url === '/hang') releaseHang = () => res.writeHead(200).end('late');
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, NOTIFY_POLL_SECONDS: '0', NOTIFY_MAX_ATTEMPTS: '3', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  const people = [
    { username: 'op.hanoi', role: 'operator', scope: 'province:01' },
    { username: 'ld.hanoi', role: 'leader', scope: 'province:01' },
    { username: 'ld.nation', role: 'leader', scope: 'nation' },
    { username: 'op.hcm', role: 'operator', scope: 'province:79' },
    { username: 'chair.badinh', role: 'commune_chair', scope: 'commune:00004' },
  ] as const;
  for (const p of people) {
    const tok = await t.signIn({ ...p, displayName: `Cán bộ ${p.username}` });
    tokens[p.username] = tok.accessToken;
    userIds[p.username] = tok.user.id;
    const res = await t.http.put(`/api/v1/notifications/contacts/${tok.user.id}`).send({ email: `${p.username}@example.gov.vn` });
    expect(res.status).toBe(200);
  }
  for (const [key, body] of [
    ['mail', { name: 'Thư điện tử', kind: 'email' }],
    ['relay', { name: 'Relay Zalo', kind: 'webhook', url: `${hookBase}/ok`, secret: SECRET }],
    ['broken', { name: 'Relay hỏng', kind: 'webhook', url: `${hookBase}/fail`, secret: SECRET }],
  ] as const) {
    const res = await t.http.post('/api/v1/notifications/channels').send(body);
    expect(res.status).toBe(201);
    channels[key] = res.body as NotificationChannel;
  }
  for (const ch of ['mail', 'relay', 'broken']) {
    const res = await t.http
      .post('/api/v1/notifications/subscriptions')
      .send({ channelId: channels[ch]!.id, recipient: { kind: 'user', userId: userIds['op.hanoi'] }, scope: 'province:01', minSeverity: 'warning', ruleId: 'commune-overdue-backlog' });
    expect(res.status).toBe(201);
  }
  const res = await t.http
    .post('/api/v1/notifications/subscriptions')
    .send({ channelId: channels.mail!.id, recipient: { kind: 'user', userId: userIds['op.hcm'] }, scope: 'province:79', quietHours: { start: '22:00', end: '06:30' } });
  expect(res.status).toBe(201);
  // Escalation is tracked from the firing on, so the policy is set before anything fires.
  const policy = await t.http.put('/api/v1/notifications/escalation-policy').send({ afterMinutes: { warning: 30 }, channelIds: [channels.mail!.id] });
  expect(policy.status).toBe(200);
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((r) => smtp?.close(() => r()));
  receiver?.closeAllConnections();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
});

describe('notifications', () => {
  let communes: string[] = [];
  let firstId = '';

  it('turns 40 communes crossing one threshold in one tick into one message per channel, with a valid signature; a failing channel blocks nothing', async () => {
    communes = t.app
      .get(UnitsService)
      .communesOf('01')
      .slice(0, 40)
      .map((c) => c.code);
    await post(communes.flatMap((c) => overdue(c, 21)));
    await evaluate('2026-11-16T09:00');
    await evaluate('2026-11-16T09:16');
    const fired = (await t.http.get('/api/v1/alerts').query({ scope: 'province:01', rule: 'commune-overdue-backlog', pageSize: '100' })).body as AlertListResponse;
    expect(fired.total).toBe(40);
    firstId = fired.items.find((a) => a.unitCode === communes[0])!.id;

    const r = await tick('2026-11-16T09:16');
    expect(r).toMatchObject({ sent: 2, failed: 1 });
    const got = mailsTo('op.hanoi@example.gov.vn');
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toContain('40 cảnh báo mới');
    expect(got[0]!.subject).toContain('Tồn đọng hồ sơ quá hạn');
    const first = t.app.get(UnitsService).commune(communes[0]!);
    expect(got[0]!.text).toContain(`Đơn vị (40):`);
    expect(got[0]!.text).toContain(`${first.fullName}, `);
    expect(got[0]!.text).toContain('giá trị 21 hồ sơ');
    expect(got[0]!.text).toContain('09:16 16/11/2026');

    const relay = hooksAt('/ok');
    expect(relay).toHaveLength(1);
    expect(validSignature(relay[0]!, SECRET)).toBe(true);
    expect(validSignature(relay[0]!, 'another-secret-0123456789')).toBe(false);
    expect(relay[0]!.headers['x-ioc-event']).toBe('alert.fired');
    const payload = JSON.parse(relay[0]!.body) as WebhookPayload;
    expect(payload).toMatchObject({ type: 'alert.fired', rule: { id: 'commune-overdue-backlog' }, severity: 'warning' });
    expect(payload.alerts).toHaveLength(40);
    expect(payload.alerts.map((a) => a.unitCode).sort()).toEqual([...communes].sort());
    expect(payload.recipients).toEqual([expect.objectContaining({ username: 'op.hanoi', email: 'op.hanoi@example.gov.vn' })]);
    expect(relay[0]!.headers['x-ioc-delivery']).toBe(payload.deliveryId);
    expect(hooksAt('/fail')).toHaveLength(1);

    const states = await deliveries({ kind: 'fired' });
    expect(states.map((d) => [d.channelName, d.status, d.attempts]).sort()).toEqual([
      ['Relay Zalo', 'sent', 1],
      ['Relay hỏng', 'queued', 1],
      ['Thư điện tử', 'sent', 1],
    ]);
    expect(states.find((d) => d.channelName === 'Relay hỏng')!.lastError).toContain('HTTP 500');
  });

  it('retries a failing webhook with growing waits, then dead-letters it; the others are not sent again', async () => {
    // The first retry waits NOTIFY_RETRY_SECONDS (30 s): not due a second later.
    await tick('2026-11-16T09:16');
    expect(hooksAt('/fail')).toHaveLength(1);
    await tick('2026-11-16T09:17');
    expect(hooksAt('/fail')).toHaveLength(2);
    // The second waits 60 s.
    await tick('2026-11-16T09:17');
    expect(hooksAt('/fail')).toHaveLength(2);
    await tick('2026-11-16T09:19');
    expect(hooksAt('/fail')).toHaveLength(3);
    await tick('2026-11-16T09:30');
    expect(hooksAt('/fail')).toHaveLength(3);
    expect(mailsTo('op.hanoi@example.gov.vn')).toHaveLength(1);
    expect(hooksAt('/ok')).toHaveLength(1);

    const dead = await t.http.get('/api/v1/notifications/dead-letters');
    expect(dead.status).toBe(200);
    const items = (dead.body as DeliveryListResponse).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ channelName: 'Relay hỏng', status: 'dead_letter', attempts: 3 });
    expect(items[0]!.lastError).toContain('HTTP 500');
    expect(items[0]!.alertIds).toHaveLength(40);
  });

  it('escalates unacknowledged alerts to the province leader after the working minutes, and an acknowledgement stops it', async () => {
    const ack = await t.as(tokens['op.hanoi']!).post(`/api/v1/alerts/${firstId}/acknowledge`).send({ note: 'đã xử lý' });
    expect(ack.status).toBe(200);

    // 24 working minutes since 09:16: nobody is reached yet, but the acknowledged one stops.
    expect(await tick('2026-11-16T09:40')).toMatchObject({ escalated: 0, stopped: 1 });
    expect(mailsTo('ld.hanoi@example.gov.vn')).toHaveLength(0);
    // 31 working minutes: the 39 others go to Hà Nội's leader (not the nation's), in one message.
    expect(await tick('2026-11-16T09:47')).toMatchObject({ escalated: 39 });
    const up = mailsTo('ld.hanoi@example.gov.vn');
    expect(up).toHaveLength(1);
    expect(up[0]!.subject).toContain('Chuyển cấp: 39 cảnh báo chưa được xác nhận');
    expect(up[0]!.text).toContain('31 phút làm việc');
    expect(up[0]!.text).not.toContain(`(mã ${communes[0]})`);
    expect(mailsTo('ld.nation@example.gov.vn')).toHaveLength(0);
    // Nothing more at the next pass: the leader is the last level.
    expect(await tick('2026-11-16T10:30')).toMatchObject({ escalated: 0 });

    const audit = (await t.http.get('/api/v1/audit').query({ action: 'notification.escalate,notification.escalation_stop', pageSize: '100' })).body as AuditListResponse;
    expect(audit.items.filter((e) => e.action === 'notification.escalate')).toHaveLength(39);
    const stop = audit.items.filter((e) => e.action === 'notification.escalation_stop');
    expect(stop).toEqual([expect.objectContaining({ target: `alert:${firstId}`, details: expect.objectContaining({ reason: 'acknowledged' }) })]);
    expect(audit.items.find((e) => e.action === 'notification.escalate')!.details).toMatchObject({ to: 'leader', leaders: ['ld.hanoi'] });
  });

  it('sends a resolution message when an alert clears', async () => {
    const unit = communes[1]!;
    const open = (await t.db.query(`SELECT dossier_id FROM dossier WHERE unit_code = $1 AND completed_at IS NULL ORDER BY dossier_id`, [unit])) as { dossier_id: string }[];
    await post(
      open
        .slice(0, 12)
        .map((d) => ({ eventId: `${d.dossier_id}-c`, dossierId: d.dossier_id, communeCode: unit, type: 'completed', occurredAt: at('2026-11-16T10:40'), outcome: 'resolved' }) as DossierEvent),
    );
    await evaluate('2026-11-16T10:45');
    await evaluate('2026-11-16T11:16');
    await tick('2026-11-16T11:16');
    const resolved = mailsTo('op.hanoi@example.gov.vn').filter((m) => m.subject.includes('Đã hết cảnh báo'));
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.text).toContain(`(mã ${unit})`);
    expect(resolved[0]!.text).toContain('Chỉ số đã trở lại ngưỡng bình thường.');
    expect(hooksAt('/ok').map((h) => (JSON.parse(h.body) as WebhookPayload).type)).toEqual(['alert.fired', 'alert.resolved']);
  });

  it('holds a message during quiet hours and sends it when they end', async () => {
    await post(overdue('25747', 21));
    await evaluate('2026-11-16T22:00');
    await evaluate('2026-11-16T22:16');
    await tick('2026-11-16T22:16');
    expect(mailsTo('op.hcm@example.gov.vn')).toHaveLength(0);
    const held = (await deliveries({ status: 'queued' })).filter((d) => d.recipients.some((r) => r.username === 'op.hcm'));
    expect(held).toHaveLength(1);
    expect(held[0]!.heldUntil).toBe(new Date(ms('2026-11-17T06:30')).toISOString());
    await tick('2026-11-17T06:29');
    expect(mailsTo('op.hcm@example.gov.vn')).toHaveLength(0);
    await tick('2026-11-17T06:30');
    const got = mailsTo('op.hcm@example.gov.vn');
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toContain('Cảnh báo mới (Lưu ý)');
    expect(got[0]!.text).toContain('(mã 25747)');
  });

  it('lets operators list the deliveries of their own province only, and refuses other roles', async () => {
    const own = await deliveries({}, tokens['op.hanoi']);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((d: NotificationDelivery) => d.provinceCodes.every((p) => p === '01'))).toBe(true);
    const hcm = await deliveries({}, tokens['op.hcm']);
    expect(hcm.map((d) => d.provinceCodes)).toEqual([['79']]);
    for (const who of ['ld.hanoi', 'chair.badinh']) {
      expect((await t.as(tokens[who]!).get('/api/v1/notifications/deliveries')).status).toBe(403);
    }
  });

  it('sends a test message through each kind of channel', async () => {
    const mail = await t.http.post(`/api/v1/notifications/channels/${channels.mail!.id}/test`).send({ to: 'kiemthu@example.gov.vn' });
    expect(mail.status).toBe(200);
    expect(mail.body.delivered).toBe(true);
    const got = await until('the test mail', () => mailsTo('kiemthu@example.gov.vn')[0]);
    expect(got.subject).toBe('[IOC] Thư thử nghiệm kênh "Thư điện tử"');
    const hook = await t.http.post(`/api/v1/notifications/channels/${channels.relay!.id}/test`).send({});
    expect(hook.body).toEqual({ delivered: true, detail: 'HTTP 200' });
    const last = hooksAt('/ok').at(-1)!;
    expect(JSON.parse(last.body)).toMatchObject({ type: 'test' });
    expect(validSignature(last, SECRET)).toBe(true);
    const broken = await t.http.post(`/api/v1/notifications/channels/${channels.broken!.id}/test`).send({});
    expect(broken.status).toBe(200);
    expect(broken.body.delivered).toBe(false);
    expect(broken.body.detail).toContain('HTTP 500');
  });

  it('sends the other channels while one hangs', async () => {
    const res = await t.http.post('/api/v1/notifications/channels').send({ name: 'Relay chậm', kind: 'webhook', url: `${hookBase}/hang`, secret: SECRET });
    expect(res.status).toBe(201);
    const make = async (channelId: string, name: string, kind: string) => {
      await t.db.query(
        `INSERT INTO notification (delivery_id, kind, channel_id, channel_name, channel_kind, recipients, subject, body, status, next_attempt_at, created_at)
         VALUES (gen_random_uuid(), 'fired', $1, $2, $3, $4, 'Thử song song', $5, 'queued', $6, $6)`,
        [
          channelId,
          name,
          kind,
          JSON.stringify([{ username: 'op.hanoi', displayName: 'x', role: 'operator', email: 'songsong@example.gov.vn' }]),
          JSON.stringify({ text: 'Nội dung', payload: { type: 'alert.fired', alerts: [] } }),
          new Date(ms('2026-11-17T07:00')),
        ],
      );
    };
    await make((res.body as NotificationChannel).id, 'Relay chậm', 'webhook');
    await make(channels.mail!.id, 'Thư điện tử', 'email');
    const pass = t.app.get(DeliveryWorker).deliverDue(ms('2026-11-17T07:00'));
    await until('the hanging request', () => hooksAt('/hang').length > 0);
    // The mail arrives while the webhook has not answered yet.
    await until('the mail sent beside the hanging webhook', () => mailsTo('songsong@example.gov.vn').length === 1);
    expect(releaseHang).not.toBeNull();
    releaseHang!();
    releaseHang = null;
    expect(await pass).toEqual({ sent: 2, failed: 0 });
  });

  it("tells the person an alert is assigned to, on their own subscriptions' channels, else by mail", async () => {
    const alertOf = async (scope: string) => ((await t.http.get('/api/v1/alerts').query({ scope, status: 'active' })).body as AlertListResponse).items[0]!;
    const hcm = await alertOf('commune:25747');
    const baDinh = await alertOf('commune:00004');
    // op.hcm subscribes on the mail channel (with quiet hours, which an assignment does not wait for); chair.badinh subscribes to nothing.
    expect((await t.as(tokens['op.hcm']!).post(`/api/v1/alerts/${hcm.id}/assign`).send({ assignee: 'op.hcm', note: 'Tự theo dõi.' })).status).toBe(200);
    expect((await t.as(tokens['op.hanoi']!).post(`/api/v1/alerts/${baDinh.id}/assign`).send({ assignee: 'chair.badinh', note: 'Nhờ phường kiểm tra hồ sơ tồn.' })).status).toBe(200);
    expect(await t.app.get(NotificationDispatcher).dispatch(ms('2026-11-17T23:10'))).toMatchObject({ transitions: 2, messages: 2 });
    await tick('2026-11-17T23:10');
    const toChair = await until('the mail to the chair', () => mailsTo('chair.badinh@example.gov.vn').find((m) => m.subject.includes('Cảnh báo được giao cho bạn xử lý')));
    expect(toChair.subject).toContain('Ba Đình');
    expect(toChair.text).toContain('Người giao: Cán bộ op.hanoi (op.hanoi)');
    expect(toChair.text).toContain('Ghi chú: Nhờ phường kiểm tra hồ sơ tồn.');
    expect(toChair.text).toContain('(mã 00004)');
    const toHcm = await until('the mail to op.hcm', () => mailsTo('op.hcm@example.gov.vn').find((m) => m.subject.includes('Cảnh báo được giao cho bạn xử lý')));
    expect(toHcm.text).toContain('(mã 25747)');
    const sent = await deliveries({ kind: 'assigned' });
    expect(sent.map((d) => [d.channelName, d.recipients.map((r) => r.username)]).sort()).toEqual([
      ['Thư điện tử', ['chair.badinh']],
      ['Thư điện tử', ['op.hcm']],
    ]);
    // Nobody else hears of it, and a second pass sends nothing again.
    expect(hooks.some((h) => (JSON.parse(h.body) as WebhookPayload).type === 'alert.assigned')).toBe(false);
    expect(await t.app.get(NotificationDispatcher).dispatch(ms('2026-11-17T23:20'))).toMatchObject({ transitions: 0, messages: 0 });
  });
});

describe('notification configuration API', () => {
  it('refuses non-administrators with 403', async () => {
    for (const who of ['op.hanoi', 'ld.nation', 'chair.badinh']) {
      const as = t.as(tokens[who]!);
      expect((await as.get('/api/v1/notifications/channels')).status).toBe(403);
      expect((await as.post('/api/v1/notifications/channels').send({ name: 'x', kind: 'email' })).status).toBe(403);
      expect((await as.get('/api/v1/notifications/subscriptions')).status).toBe(403);
      expect((await as.put('/api/v1/notifications/escalation-policy').send({ afterMinutes: { critical: 5 } })).status).toBe(403);
      expect((await as.get('/api/v1/notifications/dead-letters')).status).toBe(403);
      expect((await as.get('/api/v1/notifications/caught-mail')).status).toBe(403);
    }
  });

  it('never echoes a webhook secret', async () => {
    const created = await t.http
      .post('/api/v1/notifications/channels')
      .send({ name: 'Relay Telegram', kind: 'webhook', url: 'https://bot:p4ss@relay.example.gov.vn/hook', secret: 'telegram-secret-abcdef0123' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ hasSecret: true, url: 'https://bot:***@relay.example.gov.vn/hook' });
    const list = await t.http.get('/api/v1/notifications/channels');
    for (const body of [JSON.stringify(created.body), JSON.stringify(list.body)]) {
      expect(body).not.toContain('telegram-secret');
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain('p4ss');
    }
    const changed = await t.http.patch(`/api/v1/notifications/channels/${created.body.id as string}`).send({ secret: 'another-secret-0123456789', enabled: false });
    expect(changed.status).toBe(200);
    expect(JSON.stringify(changed.body)).not.toContain('another-secret');
    const audit = await t.http.get('/api/v1/audit').query({ action: 'notification' });
    expect(JSON.stringify(audit.body)).not.toContain('another-secret');
    expect((await t.http.delete(`/api/v1/notifications/channels/${created.body.id as string}`)).status).toBe(204);
  });

  it('answers bad input with 400 and a message that says what is wrong', async () => {
    const cases: [string, 'post' | 'put' | 'patch', string, unknown, RegExp][] = [
      ['unknown kind', 'post', '/api/v1/notifications/channels', { name: 'SMS', kind: 'sms' }, /kind: must be email or webhook/],
      ['webhook without secret', 'post', '/api/v1/notifications/channels', { name: 'A', kind: 'webhook', url: 'https://x.example/h' }, /secret: a webhook channel needs a secret/],
      ['short secret', 'post', '/api/v1/notifications/channels', { name: 'A', kind: 'webhook', url: 'https://x.example/h', secret: 'short' }, /secret: must be at least 16 characters/],
      ['bad url', 'post', '/api/v1/notifications/channels', { name: 'A', kind: 'webhook', url: 'ftp://x', secret: SECRET }, /url: must be an http:\/\/ or https:\/\/ URL/],
      ['unknown field', 'post', '/api/v1/notifications/channels', { name: 'A', kind: 'email', colour: 'red' }, /unknown field\(s\): colour/],
      ['array body', 'post', '/api/v1/notifications/channels', [1, 2], /must be a JSON object/],
      ['bad scope', 'post', '/api/v1/notifications/subscriptions', { channelId: '1', recipient: { kind: 'user', userId: '00000000-0000-0000-0000-000000000000' }, scope: 'city:1' }, /./],
      ['bad recipient', 'post', '/api/v1/notifications/subscriptions', { channelId: '1', recipient: { kind: 'team' }, scope: 'nation' }, /recipient/],
      [
        'bad quiet hours',
        'post',
        '/api/v1/notifications/subscriptions',
        { channelId: '1', recipient: { kind: 'group', groupId: '1' }, scope: 'nation', quietHours: { start: '25:00', end: '06:00' } },
        /quietHours.start: must be a local time HH:MM/,
      ],
      [
        'bad severity',
        'post',
        '/api/v1/notifications/subscriptions',
        { channelId: '1', recipient: { kind: 'group', groupId: '1' }, scope: 'nation', minSeverity: 'huge' },
        /minSeverity: must be one of critical, major, minor, warning/,
      ],
      ['bad minutes', 'put', '/api/v1/notifications/escalation-policy', { afterMinutes: { critical: -5 } }, /afterMinutes.critical: at least 1/],
      ['unknown escalation channel', 'put', '/api/v1/notifications/escalation-policy', { channelIds: ['999999'] }, /channelIds: no notification channel 999999/],
      ['bad email', 'put', `/api/v1/notifications/contacts/${userIds['op.hanoi']}`, { email: 'not-an-address' }, /email: must be an email address/],
    ];
    for (const [label, method, path, body, message] of cases) {
      const res = await t.http[method](path).send(body as object);
      expect([label, res.status]).toEqual([label, 400]);
      expect([label, (res.body as { message: string }).message]).toEqual([label, expect.stringMatching(message)]);
    }
    const outOfScope = await t.http.post('/api/v1/notifications/subscriptions').send({ channelId: channels.mail!.id, recipient: { kind: 'user', userId: userIds['op.hanoi'] }, scope: 'province:79' });
    expect(outOfScope.status).toBe(400);
    expect(outOfScope.body.message).toMatch(/op.hanoi \(operator, province:01\) may not read the alerts of/);
    const badStatus = await t.http.get('/api/v1/notifications/deliveries').query({ status: 'lost' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.message).toMatch(/status must be among queued, sent, failed, dead_letter/);
    expect((await t.http.get('/api/v1/notifications/deliveries').query({ status: ['sent', 'failed'] })).status).toBe(400);
    expect((await t.http.patch('/api/v1/notifications/channels/abc').send({ enabled: true })).status).toBe(400);
    expect((await t.http.patch('/api/v1/notifications/channels/424242').send({ enabled: true })).status).toBe(404);
    const noJson = await t.http.post('/api/v1/notifications/channels').set('Content-Type', 'application/json').send('{"name": ');
    expect(noJson.status).toBe(400);
  });
});
