import type { DeliveryStatus, MessageKind } from '@ioc/shared';
import type { EntityManager } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { Notification, NotificationAttempt } from './notification.entities.js';

/* Messages and their delivery (table notification), and each attempt (notification_attempt). */

/** Which messages a page of deliveries holds: every condition given must hold. */
export interface DeliveryFilter {
  /** Only messages about alerts of this province alone. */
  province?: string;
  statuses?: DeliveryStatus[];
  kind?: MessageKind;
  channelId?: string;
}

/** A message to queue: rendered, with its recipients and when it is due. */
export type QueuedMessage = Pick<
  Notification,
  | 'deliveryId'
  | 'kind'
  | 'channelId'
  | 'channelName'
  | 'channelKind'
  | 'ruleId'
  | 'tickAt'
  | 'alertIds'
  | 'provinceCodes'
  | 'recipients'
  | 'subject'
  | 'body'
  | 'heldUntil'
  | 'nextAttemptAt'
  | 'createdAt'
>;

const notifications = (m: EntityManager) => m.getRepository(Notification);
const attempts = (m: EntityManager) => m.getRepository(NotificationAttempt);

/** Every column of `notification`, by the Notification property it maps to. */
const NOTIFICATION_COLUMNS: Record<keyof Notification, string> = {
  id: 'id',
  deliveryId: 'delivery_id',
  kind: 'kind',
  channelId: 'channel_id',
  channelName: 'channel_name',
  channelKind: 'channel_kind',
  ruleId: 'rule_id',
  tickAt: 'tick_at',
  alertIds: 'alert_ids',
  provinceCodes: 'province_codes',
  recipients: 'recipients',
  subject: 'subject',
  body: 'body',
  status: 'status',
  attempts: 'attempts',
  lastError: 'last_error',
  heldUntil: 'held_until',
  nextAttemptAt: 'next_attempt_at',
  createdAt: 'created_at',
  sentAt: 'sent_at',
};
const RETURNING_NOTIFICATION = Object.entries(NOTIFICATION_COLUMNS)
  .map(([property, column]) => `${column} AS "${property}"`)
  .join(', ');
const NOTIFICATION_PROPERTIES = Object.keys(NOTIFICATION_COLUMNS)
  .map((property) => `"${property}"`)
  .join(', ');

export async function queueMessage(m: EntityManager, msg: QueuedMessage): Promise<void> {
  await notifications(m).insert({ ...msg, status: 'queued' });
}

/**
 * Claims up to `limit` queued messages due at `now`, oldest due first, by moving their
 * next attempt to `leaseUntil`: another pass (of this or another process) skips them
 * meanwhile. Answers them by id.
 */
export async function claimDueMessages(q: Queryable, now: Date, leaseUntil: Date, limit: number): Promise<Notification[]> {
  return (await q.query(
    `WITH c AS (
       UPDATE notification SET next_attempt_at = $2 WHERE id IN (
         SELECT id FROM notification WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED)
       RETURNING ${RETURNING_NOTIFICATION})
     SELECT ${NOTIFICATION_PROPERTIES} FROM c ORDER BY id`,
    [now, leaseUntil],
  )) as Notification[];
}

/** Records an attempt at `at` and the message's state after it. */
export async function recordAttempt(
  m: EntityManager,
  id: string,
  a: { status: DeliveryStatus; attempts: number; error: string | null; nextAttemptAt: Date | null; at: Date; ok: boolean; detail: string },
): Promise<void> {
  await notifications(m).update({ id }, { status: a.status, attempts: a.attempts, lastError: a.error, nextAttemptAt: a.nextAttemptAt, ...(a.status === 'sent' ? { sentAt: a.at } : {}) });
  await attempts(m).insert({ notificationId: id, at: a.at, ok: a.ok, detail: a.detail });
}

/** A page of the messages that match `f`, newest first, and how many match in all. */
export async function deliveryPage(m: EntityManager, f: DeliveryFilter, limit: number, offset: number): Promise<{ total: number; rows: Notification[] }> {
  const q = notifications(m).createQueryBuilder('n');
  if (f.province !== undefined) q.andWhere('cardinality(n.provinceCodes) > 0 AND n.provinceCodes <@ ARRAY[:province]::text[]', { province: f.province });
  if (f.statuses !== undefined) q.andWhere('n.status = ANY(:statuses)', { statuses: f.statuses });
  if (f.kind !== undefined) q.andWhere('n.kind = :kind', { kind: f.kind });
  if (f.channelId !== undefined) q.andWhere('n.channelId = :channel', { channel: f.channelId });
  const total = await q.getCount();
  const rows = await q.orderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'DESC').limit(limit).offset(offset).getMany();
  return { total, rows };
}

/** The message, locked until the transaction ends. */
export function messageForUpdate(m: EntityManager, id: string): Promise<Notification | null> {
  return notifications(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

/** Puts a message back in the queue, due now, with its attempts counted afresh; answers it as it now is. */
export async function requeueMessage(m: EntityManager, id: string): Promise<Notification> {
  await notifications(m).update({ id }, { status: 'queued', attempts: 0, nextAttemptAt: () => 'now()', heldUntil: null });
  return notifications(m).findOneByOrFail({ id });
}
