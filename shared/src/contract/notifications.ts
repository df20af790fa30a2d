import { z } from 'zod';
import { DEFAULT_RULES, SEVERITIES, type Severity } from '../alerts/rules.js';
import { type ChannelTestResult, MESSAGE_KINDS, parseLocalTime } from '../notifications/api.js';
import { type Endpoint, queryEnum, queryParam } from './endpoint.js';

/** Notification channels, contacts, groups, subscriptions, escalation and deliveries: request bodies, queries and endpoints. */

/** The WHATWG URL class of Node and the browsers (shared compiles without their type libraries). */
declare const URL: { canParse(input: string): boolean };

const RULE_IDS = DEFAULT_RULES.map((r) => r.id);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const name = z.string({ error: 'must be text' }).trim().min(1, 'is required').max(100, 'at most 100 characters');
const email = z.email({ error: 'must be an email address such as ten@example.gov.vn' }).max(200, 'at most 200 characters');
const sender = z
  .string({ error: 'must be text' })
  .trim()
  .min(3)
  .max(200, 'at most 200 characters')
  .refine((s) => /^[^<>@\s]+@[^<>@\s]+$/.test(s) || /^[^<>]*<[^<>@\s]+@[^<>@\s]+>$/.test(s), { error: 'must be an address, or "Name" <address>' });
const webhookUrl = z
  .string({ error: 'must be text' })
  .trim()
  .max(2000, 'at most 2,000 characters')
  .refine((s) => /^https?:\/\/\S+$/.test(s) && URL.canParse(s), { error: 'must be an http:// or https:// URL' });
const secret = z.string({ error: 'must be text' }).min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)').max(200, 'at most 200 characters');
const id = (what: string) => z.string({ error: `must be the id of a ${what} (text)` }).regex(/^\d{1,18}$/, { error: `must be the id of a ${what}` });

/** Body of `POST /api/v1/notifications/channels`. */
export const channelCreateBodySchema = z.strictObject({
  name,
  kind: z.enum(['email', 'webhook'], { error: 'must be email or webhook' }),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  from: sender.optional(),
  url: webhookUrl.optional(),
  secret: secret.optional(),
});
/** Body of `PATCH /api/v1/notifications/channels/:id`. */
export const channelUpdateBodySchema = z.strictObject({
  name: name.optional(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  from: sender.nullable().optional(),
  url: webhookUrl.optional(),
  secret: secret.optional(),
});
/** Body of `POST /api/v1/notifications/channels/:id/test` (may be left out). */
export const channelTestBodySchema = z.strictObject({ to: email.optional() });

const quietHours = z.strictObject({
  start: z.string({ error: 'must be a local time HH:MM' }).refine((s) => parseLocalTime(s) !== null, { error: 'must be a local time HH:MM, e.g. 22:00' }),
  end: z.string({ error: 'must be a local time HH:MM' }).refine((s) => parseLocalTime(s) !== null, { error: 'must be a local time HH:MM, e.g. 06:30' }),
});
const recipient = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('user'), userId: z.string({ error: 'must be an account id' }).regex(UUID, { error: 'must be an account id (UUID)' }) }),
    z.strictObject({ kind: z.literal('group'), groupId: id('group') }),
  ],
  { error: 'must be {"kind": "user", "userId": …} or {"kind": "group", "groupId": …}' },
);
const severity = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` });
const rule = z.enum(RULE_IDS as [string, ...string[]], { error: `must be one of ${RULE_IDS.join(', ')} (or null for every rule)` });

/** Body of `POST /api/v1/notifications/subscriptions`. */
export const subscriptionCreateBodySchema = z.strictObject({
  name: name.optional(),
  channelId: id('channel'),
  recipient,
  scope: z.string({ error: 'must be nation, province:<code> or commune:<code>' }),
  minSeverity: severity.optional(),
  ruleId: rule.nullable().optional(),
  quietHours: quietHours.nullable().optional(),
  notifyResolved: z.boolean({ error: 'must be true or false' }).optional(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
});
/** Body of `PATCH /api/v1/notifications/subscriptions/:id`: any of the fields. */
export const subscriptionUpdateBodySchema = subscriptionCreateBodySchema.partial();
/** Body of `POST /api/v1/notifications/groups`. */
export const groupCreateBodySchema = z.strictObject({
  name,
  members: z.array(z.string().regex(UUID, { error: 'must be account ids (UUID)' }), { error: 'must be a list of account ids' }).max(500, 'at most 500 members'),
});
/** Body of `PATCH /api/v1/notifications/groups/:id`. */
export const groupUpdateBodySchema = groupCreateBodySchema.partial();
/** Body of `PUT /api/v1/notifications/contacts/:userId` (null removes the address). */
export const contactBodySchema = z.strictObject({ email: email.nullable() });
/** Body of `PUT /api/v1/notifications/escalation-policy`. */
export const escalationPolicyBodySchema = z.strictObject({
  afterMinutes: z
    .strictObject(
      Object.fromEntries(
        SEVERITIES.map((s) => [
          s,
          z.number({ error: 'must be a number of working minutes or null' }).int('must be whole minutes').min(1, 'at least 1').max(10_000, 'at most 10,000').nullable().optional(),
        ]),
      ) as Record<Severity, z.ZodOptional<z.ZodNullable<z.ZodNumber>>>,
    )
    .optional(),
  channelIds: z.array(id('channel'), { error: 'must be a list of channel ids' }).max(20).optional(),
});

const kind = queryEnum(MESSAGE_KINDS);
const channel = queryParam('a channel id');
const page = queryParam('from 1');
const pageSize = queryParam('1–200, default 50');
/** Query of `GET /api/v1/notifications/deliveries`. */
export const deliveryListQuerySchema = z.object({ status: queryParam('comma-separated: queued, sent, failed, dead_letter'), kind, channel, page, pageSize });
/** Query of `GET /api/v1/notifications/dead-letters`: that of the deliveries, whose status it ignores (every message listed is dead_letter). */
export const deadLetterListQuerySchema = deliveryListQuerySchema.extend({ status: queryParam('ignored: every message listed is dead_letter') });

const channelTestResultSchema = z.object({ delivered: z.boolean(), detail: z.string() }) satisfies z.ZodType<ChannelTestResult>;
const noContent = (description: string) => ({ status: 204, type: 'void', description }) as const;

export const NOTIFICATION_ENDPOINTS = {
  channels: {
    method: 'GET',
    path: '/api/v1/notifications/channels',
    access: 'admin',
    response: { status: 200, type: 'NotificationChannel[]', description: 'Every channel; secrets only as whether one is set' },
  },
  createChannel: {
    method: 'POST',
    path: '/api/v1/notifications/channels',
    access: 'admin',
    body: channelCreateBodySchema,
    response: { status: 201, type: 'NotificationChannel', description: 'The channel created' },
  },
  updateChannel: {
    method: 'PATCH',
    path: '/api/v1/notifications/channels/:id',
    access: 'admin',
    body: channelUpdateBodySchema,
    response: { status: 200, type: 'NotificationChannel', description: 'The channel as changed' },
  },
  deleteChannel: { method: 'DELETE', path: '/api/v1/notifications/channels/:id', access: 'admin', response: noContent('Nothing (204)') },
  testChannel: {
    method: 'POST',
    path: '/api/v1/notifications/channels/:id/test',
    access: 'admin',
    body: channelTestBodySchema,
    response: { status: 200, type: 'ChannelTestResult', description: 'Whether the test message was delivered, and what the other side answered', schema: channelTestResultSchema },
  },
  contacts: {
    method: 'GET',
    path: '/api/v1/notifications/contacts',
    access: 'admin',
    response: { status: 200, type: 'NotificationContact[]', description: 'Every active account with its email address' },
  },
  setContact: {
    method: 'PUT',
    path: '/api/v1/notifications/contacts/:userId',
    access: 'admin',
    body: contactBodySchema,
    response: { status: 200, type: 'NotificationContact', description: 'The account with its address' },
  },
  groups: { method: 'GET', path: '/api/v1/notifications/groups', access: 'admin', response: { status: 200, type: 'NotificationGroup[]', description: 'Every group' } },
  createGroup: {
    method: 'POST',
    path: '/api/v1/notifications/groups',
    access: 'admin',
    body: groupCreateBodySchema,
    response: { status: 201, type: 'NotificationGroup', description: 'The group created' },
  },
  updateGroup: {
    method: 'PATCH',
    path: '/api/v1/notifications/groups/:id',
    access: 'admin',
    body: groupUpdateBodySchema,
    response: { status: 200, type: 'NotificationGroup', description: 'The group as changed' },
  },
  deleteGroup: { method: 'DELETE', path: '/api/v1/notifications/groups/:id', access: 'admin', response: noContent('Nothing (204)') },
  subscriptions: {
    method: 'GET',
    path: '/api/v1/notifications/subscriptions',
    access: 'admin',
    response: { status: 200, type: 'NotificationSubscription[]', description: 'Every subscription' },
  },
  createSubscription: {
    method: 'POST',
    path: '/api/v1/notifications/subscriptions',
    access: 'admin',
    body: subscriptionCreateBodySchema,
    response: { status: 201, type: 'NotificationSubscription', description: 'The subscription created' },
  },
  updateSubscription: {
    method: 'PATCH',
    path: '/api/v1/notifications/subscriptions/:id',
    access: 'admin',
    body: subscriptionUpdateBodySchema,
    response: { status: 200, type: 'NotificationSubscription', description: 'The subscription as changed' },
  },
  deleteSubscription: { method: 'DELETE', path: '/api/v1/notifications/subscriptions/:id', access: 'admin', response: noContent('Nothing (204)') },
  escalationPolicy: {
    method: 'GET',
    path: '/api/v1/notifications/escalation-policy',
    access: 'admin',
    response: { status: 200, type: 'EscalationPolicy', description: 'Working minutes per severity before escalation, and the channels used' },
  },
  setEscalationPolicy: {
    method: 'PUT',
    path: '/api/v1/notifications/escalation-policy',
    access: 'admin',
    body: escalationPolicyBodySchema,
    response: { status: 200, type: 'EscalationPolicy', description: 'The policy as set' },
  },
  deliveries: {
    method: 'GET',
    path: '/api/v1/notifications/deliveries',
    access: 'signed-in',
    query: deliveryListQuerySchema,
    response: { status: 200, type: 'DeliveryListResponse', description: 'A page of messages and their delivery state, newest first' },
  },
  deadLetters: {
    method: 'GET',
    path: '/api/v1/notifications/dead-letters',
    access: 'admin',
    query: deadLetterListQuerySchema,
    response: { status: 200, type: 'DeliveryListResponse', description: 'A page of messages whose every attempt failed' },
  },
  redeliver: {
    method: 'POST',
    path: '/api/v1/notifications/deliveries/:id/retry',
    access: 'admin',
    response: { status: 200, type: 'NotificationDelivery', description: 'The message, queued again' },
  },
  caughtMail: {
    method: 'GET',
    path: '/api/v1/notifications/caught-mail',
    access: 'admin',
    response: { status: 200, type: 'CaughtMailResponse', description: "The demo mail catcher's messages, newest first" },
  },
} as const satisfies Record<string, Endpoint>;
