import type { NotificationDelivery } from '@ioc/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Person } from '../../lib/access';
import { formatInstant } from '../../lib/format';
import { describeError } from '../../lib/http';
import { ErrorPanel } from '../../lib/StatePanels';
import { useApiQuery } from '../../lib/useApiQuery';
import { fetchDeliveries } from './api';
import { deliveriesByAlert, deliveryStateText, headlineDelivery } from './deliveryState';
import { NOTIFICATIONS_KEY } from './parts';
import './delivery.css';

/** The newest messages read for the alert list: enough for the alerts on screen (the list is newest first). */
const RECENT = 200;
const REFRESH_MS = 15_000;

export interface AlertDeliveries {
  /** Messages per alert id; null until read (or when the person may not read them). */
  byAlert: Map<string, NotificationDelivery[]> | null;
  error: unknown;
  fetching: boolean;
  refresh: () => void;
}

/** Who may read delivery states: administrators, and operators about their province (the server's rule). */
export function readsDeliveries(p: Person): boolean {
  return p.role === 'admin' || (p.role === 'operator' && p.scope.kind === 'province');
}

/** The delivery states of the alerts' notifications, for those who may read them; null for the others. */
export function useAlertDeliveries(p: Person): AlertDeliveries | null {
  const allowed = readsDeliveries(p);
  const q = useApiQuery(allowed ? [NOTIFICATIONS_KEY, 'deliveries', 'recent'] : null, (signal) => fetchDeliveries({ pageSize: RECENT }, signal), { refetchMs: REFRESH_MS });
  const byAlert = useMemo(() => (q.data ? deliveriesByAlert(q.data.items) : null), [q.data]);
  if (!allowed) return null;
  return { byAlert, error: q.error, fetching: q.fetching, refresh: q.refresh };
}

export function DeliveryState({ delivery }: { delivery: NotificationDelivery }) {
  const s = deliveryStateText(delivery);
  return (
    <span className={`delivery-state delivery-state--${s.status}`}>
      <span aria-hidden="true">{ICON[s.status]}</span>
      <span>
        {s.label}
        {s.detail && <span className="delivery-state__detail">{s.detail}</span>}
      </span>
    </span>
  );
}

const ICON: Record<NotificationDelivery['status'], string> = { sent: '✓', queued: '⏱', failed: '✕', dead_letter: '⚠' };

/** An alert row's notifications: the most pressing message's state, and how many others there are. */
export function AlertDeliveriesCell({ list }: { list: readonly NotificationDelivery[] | undefined }) {
  const { t } = useTranslation('notifications');
  const head = list ? headlineDelivery(list) : null;
  if (!list || !head) return <span className="muted">{t('alert.none')}</span>;
  return (
    <>
      <DeliveryState delivery={head} />
      {list.length > 1 && <span className="delivery-state__detail">{t('alert.more', { count: list.length - 1 })}</span>}
    </>
  );
}

/** One alert's notifications, each with its kind, channel, recipients and state. */
export function AlertDeliveriesSection({ alertId, deliveries }: { alertId: string; deliveries: AlertDeliveries }) {
  const { t } = useTranslation('notifications');
  const list = deliveries.byAlert?.get(alertId) ?? [];
  return (
    <section aria-labelledby="alert-deliveries">
      <h3 id="alert-deliveries">{t('alert.heading')}</h3>
      {deliveries.byAlert === null ? (
        deliveries.error ? (
          <ErrorPanel text={t('alert.error', { reason: describeError(deliveries.error) })} retryLabel={t('common.retry')} onRetry={deliveries.refresh} retrying={deliveries.fetching} small />
        ) : (
          <p role="status" className="panel__text">
            {t('alert.loading')}
          </p>
        )
      ) : list.length === 0 ? (
        <p className="panel__text">{t('alert.empty')}</p>
      ) : (
        <ul className="delivery-list">
          {list.map((d) => (
            <li key={d.id} className={`delivery-list__item delivery-list__item--${d.status}`}>
              <p>
                <strong>{t('alert.via', { kind: t(`delivery.kind.${d.kind}`), channel: d.channelName })}</strong>
              </p>
              <DeliveryState delivery={d} />
              {d.recipients.length > 0 && <p className="delivery-list__meta">{t('alert.to', { names: d.recipients.map((r) => r.displayName).join(', ') })}</p>}
              <p className="delivery-list__meta">
                <time dateTime={d.createdAt}>{t('alert.createdAt', { time: formatInstant(d.createdAt) })}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
