import type { Severity } from '../alerts/rules.js';
import { DAY_MS, VN_OFFSET_MS } from '../time.js';

/** REST contract of `/api/v1/notifications/…`: channels, policies, escalation, deliveries. */

export const CHANNEL_KINDS = ['email', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A channel as the API shows it: a webhook's secret is never returned, only whether one is set. */
export interface NotificationChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  /** Email: the sender shown (null: the server's SMTP_FROM). */
  from: string | null;
  /** Webhook: the address posted to, with any password in it masked. */
  url: string | null;
  hasSecret: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelTestResult {
  delivered: boolean;
  /** What the other side answered, or why it failed. */
  detail: string;
}

export type RecipientRef = { kind: 'user'; userId: string } | { kind: 'group'; groupId: string };

export interface NotificationPerson {
  userId: string;
  username: string;
  displayName: string;
}

export interface NotificationGroup {
  id: string;
  name: string;
  members: NotificationPerson[];
}

export interface NotificationContact extends NotificationPerson {
  role: string;
  scope: string;
  email: string | null;
}

/** Local wall-clock times (Asia/Ho_Chi_Minh), `HH:MM`; a range may wrap past midnight (22:00–06:30). */
export interface QuietHours {
  start: string;
  end: string;
}

export interface NotificationSubscription {
  id: string;
  name: string;
  channelId: string;
  recipient: RecipientRef;
  /** `nation`, `province:<code>` or `commune:<code>`: alerts of this unit and the units below it. */
  scope: string;
  minSeverity: Severity;
  /** One rule, or null for every rule. */
  ruleId: string | null;
  quietHours: QuietHours | null;
  /** Also send a message when the alert clears. */
  notifyResolved: boolean;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * How long an unacknowledged active alert waits before it goes to the next level, in working
 * minutes (null: never), and over which channels the next level is reached.
 */
export interface EscalationPolicy {
  afterMinutes: Record<Severity, number | null>;
  channelIds: string[];
  updatedBy: string | null;
  updatedAt: string | null;
}

export const MESSAGE_KINDS = ['fired', 'raised', 'resolved', 'escalation', 'assigned', 'test'] as const;
/**
 * fired: new alerts; raised: alerts that became severe enough for the subscription; resolved: cleared;
 * escalation: to the next level; assigned: to the person an alert was just assigned to.
 */
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const DELIVERY_STATUSES = ['queued', 'sent', 'failed', 'dead_letter'] as const;
/** queued (also while held by quiet hours or waiting for a retry), sent, failed for good (not worth retrying), dead_letter (every retry failed). */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface NotificationRecipient {
  username: string;
  displayName: string;
  role: string;
  email: string | null;
}

export interface NotificationDelivery {
  id: string;
  /** Sent with every attempt (`X-IOC-Delivery`), so a receiver can drop a repeat. */
  deliveryId: string;
  kind: MessageKind;
  channelId: string | null;
  channelName: string;
  channelKind: ChannelKind;
  ruleId: string | null;
  subject: string;
  recipients: NotificationRecipient[];
  alertIds: string[];
  provinceCodes: string[];
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  /** Set when quiet hours held the message back. */
  heldUntil: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface DeliveryListResponse {
  total: number;
  page: number;
  pageSize: number;
  items: NotificationDelivery[];
}

export interface CaughtMail {
  id: string;
  at: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface CaughtMailResponse {
  /** The in-process catcher runs (demo mode without SMTP_URL). */
  enabled: boolean;
  /** Where it listens, `smtp://127.0.0.1:<port>`. */
  address: string | null;
  items: CaughtMail[];
}

/** One alert in a message. */
export interface WebhookAlert {
  id: string;
  unitCode: string;
  unitName: string;
  provinceCode: string;
  provinceName: string;
  severity: Severity;
  severityVi: string;
  value: number | null;
  unit: string;
  firedAt: string;
  clearedAt: string | null;
}

/** The JSON body of every webhook POST (signed: see the README, "Notifications"). */
export interface WebhookPayload {
  type: `alert.${Exclude<MessageKind, 'test'>}` | 'test';
  deliveryId: string;
  createdAt: string;
  rule: { id: string; nameVi: string } | null;
  severity: Severity | null;
  subject: string;
  text: string;
  recipients: NotificationRecipient[];
  alerts: WebhookAlert[];
}

/** Minutes from local midnight of `HH:MM`, or null when malformed. */
export function parseLocalTime(s: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * When `ms` falls in the quiet hours, the instant they end (the message waits until then);
 * null when it does not. Quiet hours are local (Asia/Ho_Chi_Minh) and may wrap past midnight.
 */
export function quietHoursEnd(ms: number, quiet: QuietHours): number | null {
  const start = parseLocalTime(quiet.start);
  const end = parseLocalTime(quiet.end);
  if (start === null || end === null || start === end) return null;
  const local = ms + VN_OFFSET_MS;
  const dayStart = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  const minute = (local - dayStart) / 60_000;
  const endToday = dayStart + end * 60_000 - VN_OFFSET_MS;
  if (start < end) return minute >= start && minute < end ? endToday : null;
  if (minute >= start) return endToday + DAY_MS;
  if (minute < end) return endToday;
  return null;
}
