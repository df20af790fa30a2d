import type { DeliveryStatus, NotificationDelivery } from '@ioc/shared';
import { type KeysUnder, textsOf } from '../../i18n/keys';
import { formatHourMinute } from '../../lib/format';

type DeliveryFacts = Pick<NotificationDelivery, 'status' | 'attempts' | 'lastError' | 'heldUntil' | 'nextAttemptAt' | 'sentAt'>;

/** One message's state in words: a short label and, when there is one, why. */
export interface DeliveryStateText {
  status: DeliveryStatus;
  label: string;
  /** The reason of a failure, or what a queued message waits for. */
  detail: string | null;
}

const text = (key: KeysUnder<'notifications', 'delivery'>, values: Record<string, unknown> = {}) => textsOf('notifications')(`delivery.${key}`, values);

/**
 * "Đã gửi lúc 14:05", "Đang chờ đến 06:30 (giờ yên lặng)", "Gửi thất bại" with its
 * reason, "Thư lỗi" after every retry failed. Times are Vietnam local.
 */
export function deliveryStateText(d: DeliveryFacts): DeliveryStateText {
  switch (d.status) {
    case 'sent':
      return { status: d.status, label: d.sentAt ? text('sentAt', { time: formatHourMinute(d.sentAt) }) : text('sent'), detail: null };
    case 'queued':
      if (d.heldUntil) return { status: d.status, label: text('queuedUntil', { time: formatHourMinute(d.heldUntil) }), detail: text('quietHours') };
      if (d.attempts > 0 && d.nextAttemptAt) {
        return { status: d.status, label: text('retryAt', { time: formatHourMinute(d.nextAttemptAt) }), detail: d.lastError ? text('lastError', { reason: d.lastError }) : null };
      }
      return { status: d.status, label: d.nextAttemptAt ? text('queuedUntil', { time: formatHourMinute(d.nextAttemptAt) }) : text('queued'), detail: null };
    case 'failed':
      return { status: d.status, label: text('failed'), detail: d.lastError ?? text('noReason') };
    case 'dead_letter':
      return { status: d.status, label: text('deadLetter', { count: d.attempts }), detail: d.lastError ?? text('noReason') };
  }
}

/** What needs a person's eye first: a dead letter, then a failure, then a wait, then what went out. */
const PRIORITY: Record<DeliveryStatus, number> = { dead_letter: 0, failed: 1, queued: 2, sent: 3 };

/** The messages about each alert, newest first (the list is read newest first). */
export function deliveriesByAlert(items: readonly NotificationDelivery[]): Map<string, NotificationDelivery[]> {
  const out = new Map<string, NotificationDelivery[]>();
  for (const d of items) {
    for (const id of d.alertIds) {
      const list = out.get(id);
      if (list) list.push(d);
      else out.set(id, [d]);
    }
  }
  return out;
}

/** The one message an alert's row shows: the most pressing, the newest among equals. */
export function headlineDelivery(list: readonly NotificationDelivery[]): NotificationDelivery | null {
  let best: NotificationDelivery | null = null;
  for (const d of list) if (!best || PRIORITY[d.status] < PRIORITY[best.status]) best = d;
  return best;
}
