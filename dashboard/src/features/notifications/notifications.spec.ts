import { afterAll, describe, expect, it } from '@jest/globals';
import type { NotificationChannel, NotificationDelivery, NotificationSubscription } from '@ioc/shared';
import { setLanguage } from '../../i18n';
import { deliveriesByAlert, deliveryStateText, headlineDelivery } from './deliveryState';
import { channelFormOf, checkChannel, checkEscalation, checkSubscription, escalationFormOf, isEmailAddress, scopeOfForm, subscriptionFormOf } from './forms';

const delivery = (over: Partial<NotificationDelivery>): NotificationDelivery => ({
  id: '1',
  deliveryId: '0b6c0000-0000-4000-8000-000000000001',
  kind: 'fired',
  channelId: '1',
  channelName: 'Relay Zalo',
  channelKind: 'webhook',
  ruleId: 'commune-overdue-backlog',
  subject: '[IOC] Cảnh báo mới',
  recipients: [],
  alertIds: ['42'],
  provinceCodes: ['01'],
  status: 'queued',
  attempts: 0,
  lastError: null,
  heldUntil: null,
  nextAttemptAt: null,
  createdAt: '2026-11-16T02:16:00.000Z',
  sentAt: null,
  ...over,
});

describe('delivery state in words', () => {
  afterAll(() => setLanguage('vi'));

  it('says when a message went out, in Vietnam time', () => {
    // 02:16 UTC is 09:16 in Hà Nội.
    expect(deliveryStateText(delivery({ status: 'sent', attempts: 1, sentAt: '2026-11-16T02:16:30.000Z' }))).toEqual({ status: 'sent', label: 'Đã gửi lúc 09:16', detail: null });
  });

  it('says until when a queued message waits, and why', () => {
    expect(deliveryStateText(delivery({ heldUntil: '2026-11-15T23:30:00.000Z', nextAttemptAt: '2026-11-15T23:30:00.000Z' }))).toEqual({
      status: 'queued',
      label: 'Đang chờ đến 06:30',
      detail: 'trong giờ yên lặng của người nhận',
    });
    expect(deliveryStateText(delivery({ attempts: 2, nextAttemptAt: '2026-11-16T02:20:00.000Z', lastError: 'HTTP 503' }))).toEqual({
      status: 'queued',
      label: 'Gửi lại lúc 09:20',
      detail: 'lần trước: HTTP 503',
    });
    expect(deliveryStateText(delivery({})).label).toBe('Đang chờ gửi');
  });

  it('gives the reason of a failure and of a dead letter', () => {
    expect(deliveryStateText(delivery({ status: 'failed', attempts: 1, lastError: 'HTTP 404' }))).toEqual({ status: 'failed', label: 'Gửi thất bại', detail: 'HTTP 404' });
    expect(deliveryStateText(delivery({ status: 'dead_letter', attempts: 6, lastError: 'connect ECONNREFUSED' }))).toEqual({
      status: 'dead_letter',
      label: 'Thư lỗi sau 6 lần thử',
      detail: 'connect ECONNREFUSED',
    });
    expect(deliveryStateText(delivery({ status: 'failed' })).detail).toBe('không rõ lý do');
  });

  it('speaks English too, with plural forms', () => {
    setLanguage('en');
    expect(deliveryStateText(delivery({ status: 'dead_letter', attempts: 1, lastError: 'HTTP 500' })).label).toBe('Dead letter after 1 attempt');
    expect(deliveryStateText(delivery({ status: 'dead_letter', attempts: 3 })).label).toBe('Dead letter after 3 attempts');
    expect(deliveryStateText(delivery({ heldUntil: '2026-11-15T23:30:00.000Z' })).label).toBe('Queued until 06:30');
    setLanguage('vi');
  });

  it('groups messages by alert and picks the one that needs an eye first', () => {
    const sent = delivery({ id: 'a', status: 'sent', alertIds: ['1', '2'] });
    const dead = delivery({ id: 'b', status: 'dead_letter', alertIds: ['2'] });
    const queued = delivery({ id: 'c', status: 'queued', alertIds: ['2'] });
    const by = deliveriesByAlert([sent, dead, queued]);
    expect(by.get('1')?.map((d) => d.id)).toEqual(['a']);
    expect(by.get('2')?.map((d) => d.id)).toEqual(['a', 'b', 'c']);
    expect(headlineDelivery(by.get('2')!)?.id).toBe('b');
    expect(headlineDelivery([sent, queued])?.id).toBe('c');
    expect(headlineDelivery([])).toBeNull();
  });
});

const channel = (over: Partial<NotificationChannel>): NotificationChannel => ({
  id: '7',
  name: 'Relay Zalo',
  kind: 'webhook',
  enabled: true,
  from: null,
  url: 'https://relay:***@relay.example.gov.vn/ioc',
  hasSecret: true,
  createdBy: 'admin',
  createdAt: '2026-11-16T02:16:00.000Z',
  updatedAt: '2026-11-16T02:16:00.000Z',
  ...over,
});

describe('channel form', () => {
  it('asks a new webhook for a name, an http(s) address and a secret of 16 characters', () => {
    const empty = checkChannel(channelFormOf(null), null);
    expect(empty).toEqual({ ok: false, errors: { name: 'required', url: 'required', secret: 'secretRequired' } });
    const bad = checkChannel({ ...channelFormOf(null), name: 'Relay', url: 'ftp://x', secret: 'short' }, null);
    expect(bad).toEqual({ ok: false, errors: { url: 'url', secret: 'secretShort' } });
    const good = checkChannel({ ...channelFormOf(null), name: ' Relay Zalo ', url: 'http://127.0.0.1:9000/hook', secret: '0123456789abcdef' }, null);
    expect(good).toEqual({ ok: true, body: { name: 'Relay Zalo', enabled: true, kind: 'webhook', url: 'http://127.0.0.1:9000/hook', secret: '0123456789abcdef' } });
  });

  it('checks an email sender, and leaves it to the server when empty', () => {
    const form = { ...channelFormOf(null), kind: 'email' as const, name: 'Thư điện tử' };
    expect(checkChannel(form, null)).toEqual({ ok: true, body: { name: 'Thư điện tử', enabled: true, kind: 'email' } });
    expect(checkChannel({ ...form, from: 'IOC Hà Nội' }, null)).toEqual({ ok: false, errors: { from: 'sender' } });
    expect(checkChannel({ ...form, from: '"IOC Hà Nội" <ioc@hanoi.gov.vn>' }, null)).toMatchObject({ ok: true, body: { from: '"IOC Hà Nội" <ioc@hanoi.gov.vn>' } });
  });

  it('never writes the masked address or an empty secret back over the real ones', () => {
    const existing = channel({});
    const form = channelFormOf(existing);
    expect(form.secret).toBe('');
    expect(checkChannel({ ...form, name: 'Relay Zalo 2' }, existing)).toEqual({ ok: true, body: { name: 'Relay Zalo 2', enabled: true } });
    expect(checkChannel({ ...form, url: 'https://relay2.example.gov.vn/ioc', secret: 'a-new-secret-of-20-ch' }, existing)).toEqual({
      ok: true,
      body: { name: 'Relay Zalo', enabled: true, url: 'https://relay2.example.gov.vn/ioc', secret: 'a-new-secret-of-20-ch' },
    });
    const email = channel({ kind: 'email', url: null, hasSecret: false, from: 'ioc@hanoi.gov.vn' });
    expect(checkChannel({ ...channelFormOf(email), from: '' }, email)).toEqual({ ok: true, body: { name: 'Relay Zalo', enabled: true, from: null } });
  });

  it('knows an email address for the test', () => {
    expect(isEmailAddress('vanhanh.hanoi@demo.ioc.local')).toBe(true);
    expect(isEmailAddress('vanhanh.hanoi')).toBe(false);
  });
});

describe('subscription form', () => {
  it('needs a recipient and a channel, and a valid commune code and quiet hours when given', () => {
    const form = subscriptionFormOf(null);
    expect(checkSubscription(form)).toEqual({ ok: false, errors: { recipient: 'recipient', channelId: 'channel' } });
    const filled = { ...form, userId: '6f1c2f9e-0000-4000-8000-000000000001', channelId: '7', commune: '4', quiet: true, quietStart: '22:00', quietEnd: '22:00' };
    expect(checkSubscription(filled)).toEqual({ ok: false, errors: { commune: 'commune', quietEnd: 'sameTimes' } });
    expect(checkSubscription({ ...filled, commune: '', quietEnd: '25:00' })).toEqual({ ok: false, errors: { quietEnd: 'time' } });
  });

  it('becomes the request body, the commune narrowing the province', () => {
    const form = { ...subscriptionFormOf(null, '7'), userId: 'u1', province: '01', quiet: true, quietStart: '22:00', quietEnd: '06:30' };
    expect(checkSubscription(form)).toEqual({
      ok: true,
      body: {
        channelId: '7',
        recipient: { kind: 'user', userId: 'u1' },
        scope: 'province:01',
        minSeverity: 'major',
        ruleId: null,
        quietHours: { start: '22:00', end: '06:30' },
        notifyResolved: true,
        enabled: true,
      },
    });
    expect(scopeOfForm({ province: '01', commune: '00004' })).toBe('commune:00004');
    expect(scopeOfForm({ province: '', commune: '' })).toBe('nation');
  });

  it('opens an existing subscription as it is', () => {
    const s: NotificationSubscription = {
      id: '3',
      name: 'Ba Đình',
      channelId: '7',
      recipient: { kind: 'group', groupId: '2' },
      scope: 'commune:00004',
      minSeverity: 'critical',
      ruleId: 'commune-overdue-backlog',
      quietHours: null,
      notifyResolved: false,
      enabled: false,
      createdBy: 'admin',
      createdAt: '2026-11-16T02:16:00.000Z',
      updatedAt: '2026-11-16T02:16:00.000Z',
    };
    const form = subscriptionFormOf(s);
    expect(form).toMatchObject({ recipientKind: 'group', groupId: '2', province: '', commune: '00004', quiet: false, notifyResolved: false, enabled: false });
    expect(checkSubscription(form)).toMatchObject({ ok: true, body: { name: 'Ba Đình', scope: 'commune:00004', ruleId: 'commune-overdue-backlog', quietHours: null } });
  });
});

describe('escalation form', () => {
  it('takes whole working minutes from 1 to 10,000, empty for never', () => {
    const form = escalationFormOf({ afterMinutes: { critical: 30, major: 60, minor: null, warning: null }, channelIds: ['1'] });
    expect(form.minutes).toEqual({ critical: '30', major: '60', minor: '', warning: '' });
    expect(checkEscalation({ ...form, channelIds: ['1', '1', '2'] })).toEqual({
      ok: true,
      body: { afterMinutes: { critical: 30, major: 60, minor: null, warning: null }, channelIds: ['1', '2'] },
    });
    expect(checkEscalation({ ...form, minutes: { critical: '0', major: '1.5', minor: '10001', warning: 'x' } })).toEqual({
      ok: false,
      errors: { critical: 'minutes', major: 'minutes', minor: 'minutes', warning: 'minutes' },
    });
  });
});
