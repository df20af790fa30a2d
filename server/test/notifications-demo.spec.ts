import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CaughtMailResponse, NotificationChannel, NotificationSubscription } from '@ioc/shared';
import { loadConfig } from '../src/config/config.js';
import { DemoNotifications } from '../src/notifications/demo-notifications.js';
import { MailCatcher } from '../src/notifications/mail-catcher.service.js';
import { Mailer } from '../src/notifications/senders.js';
import { type TestApp, startTestApp } from './harness.js';

/** Demo mode: the in-process mail catcher, and the notifications a newcomer's demo starts with. */
describe('demo mail catcher', () => {
  it('runs only in demo mode without SMTP_URL', () => {
    expect(loadConfig({ DEMO_FEED: 'on' }).notifications.mailCatcher).toBe(true);
    expect(loadConfig({ DEMO_FEED: 'on', SMTP_URL: 'smtp://mail.example.gov.vn:587' }).notifications.mailCatcher).toBe(false);
    expect(loadConfig({ DEMO_FEED: 'off' }).notifications.mailCatcher).toBe(false);
    expect(() => loadConfig({ SMTP_URL: 'mail.example.gov.vn' })).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
  });

  it('receives real SMTP mail and lists it', async () => {
    const catcher = new MailCatcher(loadConfig({ DEMO_FEED: 'on', LOG_LEVEL: 'warn' }));
    await catcher.onModuleInit();
    const mailer = new Mailer();
    try {
      expect(catcher.url()).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
      const r = await mailer.send(catcher.url()!, {
        from: '"Trung tâm điều hành IOC" <ioc@localhost>',
        to: ['vanhanh.hanoi@demo.ioc.local'],
        subject: '[IOC] Cảnh báo mới (Nghiêm trọng): Tồn đọng hồ sơ quá hạn — Phường Ba Đình',
        text: 'Vui lòng xem và xác nhận cảnh báo trên bảng điều hành IOC.',
        deliveryId: '6f1c2f9e-0000-4000-8000-000000000001',
      });
      expect(r.ok).toBe(true);
      const list: CaughtMailResponse = catcher.list();
      expect(list.enabled).toBe(true);
      expect(list.items).toEqual([
        expect.objectContaining({
          to: ['vanhanh.hanoi@demo.ioc.local'],
          subject: '[IOC] Cảnh báo mới (Nghiêm trọng): Tồn đọng hồ sơ quá hạn — Phường Ba Đình',
          text: expect.stringContaining('Vui lòng xem và xác nhận cảnh báo'),
        }),
      ]);
    } finally {
      mailer.close();
      await catcher.onApplicationShutdown();
    }
  });
});

describe('demo notifications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DEMO_ACCOUNTS: 'on', NOTIFY_POLL_SECONDS: '0' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('subscribes the Hà Nội operator by mail and escalates to the leaders, once', async () => {
    const seed = new DemoNotifications(t.config, t.db);
    t.app.get(DemoNotifications).onApplicationShutdown();
    expect(await seed.seed()).toBe(true);
    expect(await seed.seed()).toBe(true);
    const channels = (await t.http.get('/api/v1/notifications/channels')).body as NotificationChannel[];
    expect(channels.map((c) => [c.name, c.kind])).toEqual([['Thư điện tử (demo)', 'email']]);
    const subs = (await t.http.get('/api/v1/notifications/subscriptions')).body as NotificationSubscription[];
    expect(subs.map((s) => [s.scope, s.minSeverity, s.channelId])).toEqual([['province:01', 'major', channels[0]!.id]]);
    const policy = await t.http.get('/api/v1/notifications/escalation-policy');
    expect(policy.body.channelIds).toEqual([channels[0]!.id]);
    const caught = await t.http.get('/api/v1/notifications/caught-mail');
    expect(caught.body).toEqual({ enabled: false, address: null, items: [] });
  });
});
