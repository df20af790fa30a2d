import type { AlertSummary, NotificationDelivery } from '@ioc/shared';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../lib/format';
import { formatAge, formatAgo, formatRuleValue, formatThreshold, ruleName } from './alertList';
import { paramsFor } from './ruleParams';
import type { RuleOverrides } from './useRuleOverrides';
import { SeverityBadge } from './SeverityBadge';
import { AlertDeliveriesCell } from '../notifications/AlertDeliveries';

interface Props {
  alerts: readonly AlertSummary[];
  now: number;
  provinceName: (code: string) => string | null;
  overrides: RuleOverrides;
  selectedId: string | null;
  /** Critical alerts that arrived while the page was open. */
  newIds: ReadonlySet<string>;
  onOpen: (id: string) => void;
  caption: string;
  /**
   * The notifications' delivery states per alert, for those who may read them (a column
   * appears); null while they are read, undefined for those who may not.
   */
  deliveries?: ReadonlyMap<string, NotificationDelivery[]> | null;
}

/** The alert list: one row per alert, reachable with Tab, opened with Enter or a click. */
export function AlertTable({ alerts, now, provinceName, overrides, selectedId, newIds, onOpen, caption, deliveries }: Props) {
  const { t } = useTranslation('operations');
  const { t: tn } = useTranslation('notifications');
  const onKey = (e: KeyboardEvent<HTMLTableRowElement>, id: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(id);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const row = e.currentTarget;
      const next = (e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling) as HTMLElement | null;
      next?.focus();
    }
  };
  return (
    <div className="table-wrap">
      <table className="alerts-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('columns.severity')}</th>
            <th scope="col">{t('columns.rule')}</th>
            <th scope="col">{t('columns.unit')}</th>
            <th scope="col">{t('columns.state')}</th>
            <th scope="col" className="num">
              {t('columns.fired')}
            </th>
            <th scope="col">{t('columns.age')}</th>
            <th scope="col" className="num">
              {t('columns.last')}
            </th>
            {deliveries !== undefined && <th scope="col">{tn('alert.column')}</th>}
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => {
            // An alert newer than the overrides read shows no threshold until they are read again, rather than a wrong one.
            const params = overrides.covers(a) ? paramsFor(a, overrides.overrides) : null;
            const threshold = params ? formatThreshold(params, a.severity, a.unit) : null;
            const province = provinceName(a.provinceCode);
            const classes = ['alerts-table__row', `alerts-table__row--${a.severity}`];
            if (a.id === selectedId) classes.push('alerts-table__row--selected');
            if (newIds.has(a.id)) classes.push('alerts-table__row--new');
            if (a.status === 'cleared') classes.push('alerts-table__row--cleared');
            return (
              <tr
                key={a.id}
                className={classes.join(' ')}
                tabIndex={0}
                aria-current={a.id === selectedId ? true : undefined}
                aria-label={t('row.label', { rule: ruleName(a), unit: a.unitName })}
                onClick={() => onOpen(a.id)}
                onKeyDown={(e) => onKey(e, a.id)}
                data-alert-id={a.id}
              >
                <td>
                  <SeverityBadge severity={a.severity} />
                  {newIds.has(a.id) && <span className="badge badge--new">{t('row.new')}</span>}
                </td>
                <td className="alerts-table__rule">{ruleName(a)}</td>
                <td>
                  <span className="alerts-table__unit">{a.unitName}</span>
                  {a.unitCode.length === 5 && <span className="alerts-table__province">{province ?? a.provinceCode}</span>}
                </td>
                <td>
                  <span className={`state state--${a.status}`}>{t(`state.${a.status}`)}</span>
                  {a.acknowledged ? (
                    <span className="alerts-table__ack">✓ {t('state.acknowledgedBy', { who: a.acknowledgedBy ?? '—' })}</span>
                  ) : (
                    <span className="alerts-table__unack">{t('state.unacknowledged')}</span>
                  )}
                  {a.assignee && <span className="alerts-table__assignee">{t('state.assignee', { who: a.assigneeName ?? a.assignee })}</span>}
                </td>
                <td className="num">
                  <strong>{formatRuleValue(a.firedValue, a.unit)}</strong>
                  {threshold && <span className="alerts-table__threshold">{t('row.threshold', { threshold })}</span>}
                </td>
                <td>
                  <time dateTime={a.firedAt} title={formatInstant(a.firedAt)}>
                    {formatAge(Date.parse(a.firedAt), now)}
                  </time>
                  {a.clearedAt && <span className="alerts-table__sub">{t('row.clearedAgo', { ago: formatAgo(Date.parse(a.clearedAt), now) })}</span>}
                </td>
                <td className="num">{formatRuleValue(a.lastValue, a.unit)}</td>
                {deliveries !== undefined && <td className="alerts-table__deliveries">{deliveries && <AlertDeliveriesCell list={deliveries.get(a.id)} />}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
