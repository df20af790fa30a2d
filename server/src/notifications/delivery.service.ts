import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  DELIVERY_STATUSES,
  type ChannelTestResult,
  channelTestBodySchema,
  type DeliveryListResponse,
  type DeliveryStatus,
  MESSAGE_KINDS,
  type NotificationDelivery,
  type NotificationRecipient,
  type WebhookPayload,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { badRequest, conflict, forbidden, notFound } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import { parseBody, positive } from '../common/validation.js';
import type { AuthedPrincipal, Client } from '../auth/auth.types.js';
import { AuditService } from '../audit/audit.service.js';
import { type ChannelConfig, channelConfigs } from './channels.repository.js';
import { emailOf } from './contacts.repository.js';
import { type DeliveryFilter, claimDueMessages, deliveryPage, messageForUpdate, recordAttempt, requeueMessage } from './deliveries.repository.js';
import { MailCatcher } from './mail-catcher.service.js';
import { renderTest } from './messages.js';
import type { Notification } from './notification.entities.js';
import { NotificationPolicies } from './policies.service.js';
import { type MailAttachment, Mailer, type SendResult, postWebhook } from './senders.js';

/** Messages claimed per pass; each pass sends them all at once, so one slow channel does not hold up the others. */
const CLAIM = 50;
/** A claimed message is not claimed again (by this or another process) for this long: longer than any one attempt. */
const LEASE_MS = 5 * 60_000;

export interface DeliveryQuery {
  status?: string;
  kind?: string;
  channel?: string;
  page?: string;
  pageSize?: string;
}

function deliveryOf(r: Notification): NotificationDelivery {
  return {
    id: String(r.id),
    deliveryId: r.deliveryId,
    kind: r.kind,
    channelId: r.channelId === null ? null : String(r.channelId),
    channelName: r.channelName,
    channelKind: r.channelKind,
    ruleId: r.ruleId,
    subject: r.subject,
    recipients: r.recipients,
    alertIds: r.alertIds.map(String),
    provinceCodes: r.provinceCodes,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    heldUntil: r.heldUntil?.toISOString() ?? null,
    nextAttemptAt: r.status === 'queued' ? (r.nextAttemptAt?.toISOString() ?? null) : null,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
  };
}

/**
 * Sends queued messages: email through SMTP (SMTP_URL, or the demo's catcher) and signed
 * webhooks. A failure worth retrying waits retryBaseMs, then twice as long each time, up to
 * maxAttempts; then the message is dead-lettered. A failure not worth retrying (a 4xx answer,
 * a refused address, a deleted channel) fails it at once. Each attempt is kept.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationShutdown {
  private readonly log = new Logger('Notifications');
  private readonly mailer = new Mailer();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly catcher: MailCatcher,
    private readonly policies: NotificationPolicies,
    private readonly audit: AuditService,
  ) {}

  onApplicationShutdown(): void {
    this.mailer.close();
  }

  /** Where mail goes: SMTP_URL, else the demo's catcher, else nowhere. */
  smtpUrl(): string | null {
    return this.config.notifications.smtpUrl ?? this.catcher.url();
  }

  /**
   * Sends one mail now through the same SMTP path as the alert messages (SMTP_URL or the demo's
   * catcher, SMTP_FROM): for mail that is not an alert message, such as the daily digest and the
   * reports, whose callers keep their own record of what was sent.
   */
  async sendMail(mail: { to: string[]; subject: string; text: string; html?: string; attachments?: MailAttachment[]; deliveryId?: string }): Promise<SendResult> {
    const smtp = this.smtpUrl();
    if (!smtp) return { ok: false, retryable: false, detail: 'no SMTP server: set SMTP_URL (or run the demo, whose catcher receives mail)' };
    if (mail.to.length === 0) return { ok: false, retryable: false, detail: 'no recipient address' };
    return this.mailer.send(smtp, { from: this.config.notifications.smtpFrom, ...mail, deliveryId: mail.deliveryId ?? randomUUID() });
  }

  /** Sends every message due at `now` (claimed first, so two processes never send the same one). */
  async deliverDue(now = Date.now()): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (;;) {
      const claimed = await inTransaction(this.db, (m) => claimDueMessages(m, new Date(now), new Date(now + LEASE_MS), CLAIM));
      if (claimed.length === 0) return { sent, failed };
      const channels = await this.channels(claimed.map((n) => n.channelId).filter((x): x is string => x !== null));
      const results = await Promise.all(
        claimed.map((n) =>
          this.attempt(n, n.channelId ? channels.get(String(n.channelId)) : undefined).catch((e: unknown) => ({ ok: false, retryable: true, detail: (e as Error).message }) as SendResult),
        ),
      );
      for (const [i, n] of claimed.entries()) {
        const r = results[i]!;
        await this.record(n, r, now);
        if (r.ok) sent++;
        else failed++;
      }
      if (claimed.length < CLAIM) return { sent, failed };
    }
  }

  private async channels(ids: string[]): Promise<Map<string, ChannelConfig>> {
    if (ids.length === 0) return new Map();
    const rows = await channelConfigs(this.db.manager, [...new Set(ids)]);
    return new Map(rows.map((r) => [String(r.id), r]));
  }

  private async attempt(n: Notification, ch: ChannelConfig | undefined): Promise<SendResult> {
    if (!ch) return { ok: false, retryable: false, detail: 'the channel was deleted' };
    if (!ch.enabled) return { ok: false, retryable: false, detail: `channel "${ch.name}" is disabled` };
    return this.send(ch, { deliveryId: n.deliveryId, subject: n.subject, text: n.body.text, payload: n.body.payload, recipients: n.recipients });
  }

  private async send(ch: ChannelConfig, msg: { deliveryId: string; subject: string; text: string; payload: WebhookPayload; recipients: NotificationRecipient[]; to?: string[] }): Promise<SendResult> {
    if (ch.kind === 'webhook') {
      if (!ch.config.url) return { ok: false, retryable: false, detail: 'the channel has no url' };
      return postWebhook(ch.config.url, ch.secret, JSON.stringify(msg.payload), msg.deliveryId, msg.payload.type);
    }
    const smtp = this.smtpUrl();
    if (!smtp) return { ok: false, retryable: false, detail: 'no SMTP server: set SMTP_URL (or run the demo, whose catcher receives mail)' };
    const to = msg.to ?? [...new Set(msg.recipients.map((r) => r.email).filter((e): e is string => Boolean(e)))];
    if (to.length === 0) return { ok: false, retryable: false, detail: 'no recipient has an email address (PUT /api/v1/notifications/contacts/{userId})' };
    return this.mailer.send(smtp, { from: ch.config.from ?? this.config.notifications.smtpFrom, to, subject: msg.subject, text: msg.text, deliveryId: msg.deliveryId });
  }

  private async record(n: Notification, r: SendResult, now: number): Promise<void> {
    const attempts = n.attempts + 1;
    const at = new Date(now);
    let status: DeliveryStatus;
    let next: Date | null = null;
    if (r.ok) status = 'sent';
    else if (!r.retryable) status = 'failed';
    else if (attempts >= this.config.notifications.maxAttempts) status = 'dead_letter';
    else {
      status = 'queued';
      next = new Date(now + this.config.notifications.retryBaseMs * 2 ** (attempts - 1));
    }
    await inTransaction(this.db, (m) => recordAttempt(m, n.id, { status, attempts, error: r.ok ? null : r.detail, nextAttemptAt: next, at, ok: r.ok, detail: r.detail }));
    if (status === 'dead_letter') this.log.warn(`notification ${n.id} to "${n.channelName}" dead-lettered after ${attempts} attempts: ${r.ok ? '' : r.detail}`);
  }

  /** Sends a test message through a channel now (not queued), and says how it went. */
  async test(channelId: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<ChannelTestResult> {
    const b = parseBody(channelTestBodySchema, body ?? {});
    const ch = await this.policies.channelRow(channelId);
    let to: string[] | undefined;
    if (ch.kind === 'email') {
      const addr = b.to ?? (await emailOf(this.db.manager, p.userId));
      if (!addr) throw badRequest(`to: give the address to send the test to; ${p.username} has no email address of their own (PUT /api/v1/notifications/contacts/${p.userId})`);
      to = [addr];
    } else if (b.to !== undefined) {
      throw badRequest("to: only an email channel takes an address; a webhook test goes to the channel's url");
    }
    const deliveryId = randomUUID();
    const msg = renderTest(deliveryId, ch.name, p.displayName, Date.now());
    const r = await this.send({ ...ch, enabled: true }, { deliveryId, subject: msg.subject, text: msg.text, payload: msg.payload, recipients: [], ...(to ? { to } : {}) });
    await this.audit.record({
      action: 'notification.channel_test',
      outcome: r.ok ? 'success' : 'failure',
      actor: p.username,
      target: `channel:${ch.id}`,
      ip: client.ip,
      details: { delivered: r.ok, detail: r.detail, ...(to ? { to } : {}), ...(r.ok ? {} : { reason: r.detail }) },
    });
    return { delivered: r.ok, detail: r.detail };
  }

  /**
   * Delivery states: administrators see every message; an operator sees those about their
   * province alone (a message listing alerts of other provinces is not theirs to read).
   */
  async list(q: DeliveryQuery, p: AuthedPrincipal, deadLetters = false): Promise<DeliveryListResponse> {
    const f: DeliveryFilter = {};
    if (p.role === 'operator' && p.scope.kind === 'province') {
      f.province = p.scope.code;
    } else if (p.role !== 'admin') {
      throw forbidden(`${p.username} (${p.role}) may not read notification deliveries: they are for administrators, and for operators about their province.`);
    }
    if (deadLetters) f.statuses = ['dead_letter'];
    else if (q.status !== undefined) {
      const list = q.status.split(',');
      const bad = list.filter((s) => !DELIVERY_STATUSES.includes(s as DeliveryStatus));
      if (bad.length) throw badRequest(`status must be among ${DELIVERY_STATUSES.join(', ')}, got "${bad.join(',')}"`);
      f.statuses = DELIVERY_STATUSES.filter((s) => list.includes(s));
    }
    if (q.kind !== undefined) {
      const kind = MESSAGE_KINDS.find((k) => k === q.kind);
      if (!kind) throw badRequest(`kind must be one of ${MESSAGE_KINDS.join(', ')}, got "${q.kind}"`);
      f.kind = kind;
    }
    if (q.channel !== undefined) {
      if (!/^\d{1,18}$/.test(q.channel)) throw badRequest(`channel must be a channel id (a number), got "${q.channel}"`);
      f.channelId = q.channel;
    }
    const page = positive(q.page, 'page', 1, 1_000_000);
    const pageSize = positive(q.pageSize, 'pageSize', 50, 200);
    const { total, rows } = await deliveryPage(this.db.manager, f, pageSize, (page - 1) * pageSize);
    return { total, page, pageSize, items: rows.map(deliveryOf) };
  }

  /** Puts a failed or dead-lettered message back in the queue, with its attempts counted afresh. */
  async redeliver(id: string, p: AuthedPrincipal, client: Client): Promise<NotificationDelivery> {
    if (!/^\d{1,18}$/.test(id)) throw badRequest(`notification id must be a number, got "${id}"`);
    const row = await inTransaction(this.db, async (m) => {
      const cur = await messageForUpdate(m, id);
      if (!cur) throw notFound(`no notification ${id}`);
      if (cur.status !== 'failed' && cur.status !== 'dead_letter') throw conflict(`notification ${id} is ${cur.status}: only a failed or dead-lettered one is sent again`);
      const r = await requeueMessage(m, id);
      await this.audit.record({ action: 'notification.redeliver', actor: p.username, target: `notification:${id}`, ip: client.ip, details: { was: cur.status, lastError: cur.lastError } }, m);
      return r;
    });
    return deliveryOf(row);
  }
}
