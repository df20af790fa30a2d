import { type AlertDetail, type UnitRef, can } from '@ioc/shared';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../lib/http';
import { ErrorPanel } from '../../lib/StatePanels';
import { useHourlyKeptFrom } from '../../lib/clientConfig';
import { formatInstant } from '../../lib/format';
import type { Person } from '../../lib/access';
import { chartPlanOf } from './alertChart';
import { AlertActions } from './AlertActions';
import { AlertChart } from './AlertChart';
import { formatAgo, formatRuleValue, ruleName } from './alertList';
import { describeFiring, historyText, ruleParamsText, thresholdRows } from './firing';
import { SeverityBadge, SeverityIcon } from './SeverityBadge';
import { useAlertDetail } from './useAlertDetail';
import { type AlertDeliveries, AlertDeliveriesSection } from '../notifications/AlertDeliveries';

interface Props {
  id: string;
  /** The live list's `updatedAt` of this alert, so the panel follows it. */
  version: string | null;
  person: Person;
  now: number;
  provinceName: (code: string) => string | null;
  onClose: () => void;
  /** The notifications' delivery states, for those who may read them. */
  deliveries: AlertDeliveries | null;
}

function unitRefOfAlert(a: Pick<AlertDetail, 'unitCode' | 'provinceCode'>): UnitRef {
  return a.unitCode.length === 5 ? { kind: 'commune', code: a.unitCode, provinceCode: a.provinceCode } : { kind: 'province', code: a.unitCode };
}

/** One alert: why it fired, its thresholds, its measure around the firing, its history, and what the person may do. */
export function AlertDetailPanel({ id, version, person, now, provinceName, onClose, deliveries }: Props) {
  const { t } = useTranslation('operations');
  const { data: a, error, refresh, fetching } = useAlertDetail(id, version);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownId = a?.id ?? null;
  useEffect(() => {
    // A newly opened alert takes the focus, so a keyboard user lands on what they opened.
    if (shownId !== null) heading.current?.focus();
  }, [shownId]);
  // The plan depends on the alert's scope, rule and times only, not on its history or acknowledgement.
  const hourlyFrom = useHourlyKeptFrom();
  const { scope, rule, firedAt, clearedAt = null } = a ?? {};
  const plan = useMemo(() => (scope && rule && firedAt ? chartPlanOf({ scope, rule, firedAt, clearedAt }, Date.now(), hourlyFrom) : null), [scope, rule, firedAt, clearedAt, hourlyFrom]);

  const body = (() => {
    if (!a) {
      return error ? (
        <ErrorPanel text={t('detail.error', { reason: describeError(error) })} retryLabel={t('retry')} onRetry={refresh} retrying={fetching} />
      ) : (
        <p role="status" className="panel__text">
          {t('detail.loading')}
        </p>
      );
    }
    const province = provinceName(a.provinceCode);
    const unit = unitRefOfAlert(a);
    const mayAct = can(person, 'alerts.act', unit);
    return (
      <>
        <header className="alert-detail__head">
          <SeverityBadge severity={a.severity} />
          <h2 ref={heading} tabIndex={-1} id="alert-detail-heading">
            {ruleName(a)}
          </h2>
          <p className="alert-detail__unit">
            {a.unitName}
            {a.unitCode.length === 5 && province ? `, ${province}` : ''} <span className="muted">({a.unitCode})</span>
          </p>
          <p className="alert-detail__state">
            <span className={`state state--${a.status}`}>{t(`state.${a.status}`)}</span>
            {' · '}
            {a.acknowledged ? t('detail.acknowledgedBy', { who: a.acknowledgedBy ?? '—', at: a.acknowledgedAt ? formatInstant(a.acknowledgedAt) : '—' }) : t('state.unacknowledged')}
            {a.assignee && (
              <>
                {' · '}
                {t('detail.assignee', { who: a.assigneeName ? `${a.assigneeName} (${a.assignee})` : a.assignee })}
              </>
            )}
          </p>
        </header>

        <section aria-labelledby="alert-why">
          <h3 id="alert-why">{t('detail.why')}</h3>
          <p className="alert-detail__why">{describeFiring(a)}</p>
          <dl className="alert-detail__facts">
            <div>
              <dt>{t('detail.firedAt')}</dt>
              <dd>
                {formatInstant(a.firedAt)} <span className="muted">({formatAgo(Date.parse(a.firedAt), now)})</span>
              </dd>
            </div>
            {a.clearedAt && (
              <div>
                <dt>{t('detail.clearedAt')}</dt>
                <dd>{formatInstant(a.clearedAt)}</dd>
              </div>
            )}
            <div>
              <dt>{t('detail.firedValue')}</dt>
              <dd>{formatRuleValue(a.firedValue, a.unit)}</dd>
            </div>
            <div>
              <dt>{t('detail.lastValue')}</dt>
              <dd>{formatRuleValue(a.lastValue, a.unit)}</dd>
            </div>
          </dl>
        </section>

        <section aria-labelledby="alert-thresholds">
          <h3 id="alert-thresholds">{t('detail.thresholds')}</h3>
          <table className="thresholds">
            <caption className="visually-hidden">{t('detail.thresholds')}</caption>
            <tbody>
              {thresholdRows(a).map((r) => (
                <tr key={r.severity} className={r.severity === a.severity ? 'thresholds__current' : undefined}>
                  <th scope="row">
                    <span className={`sev sev--${r.severity}`}>
                      <SeverityIcon severity={r.severity} />
                      <span>{r.label}</span>
                    </span>
                  </th>
                  <td>{r.condition}</td>
                  <td>{r.severity === a.severity ? t('detail.currentLevel') : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="alert-detail__params">
            {ruleParamsText(a).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="alert-chart-heading">
          <h3 id="alert-chart-heading">{t('detail.chart')}</h3>
          {plan && <AlertChart alert={a} plan={plan} />}
        </section>

        <section aria-labelledby="alert-act">
          <h3 id="alert-act">{t('detail.act')}</h3>
          {mayAct ? <AlertActions alert={a} onChanged={refresh} /> : <p className="panel__text">{t('detail.readOnly')}</p>}
        </section>

        {deliveries && <AlertDeliveriesSection alertId={a.id} deliveries={deliveries} />}

        <section aria-labelledby="alert-history">
          <h3 id="alert-history">{t('detail.history')}</h3>
          <ol className="alert-history">
            {[...a.history].reverse().map((e) => {
              const h = historyText(e, a.unit);
              return (
                <li key={e.id} className={`alert-history__item alert-history__item--${e.action}`}>
                  <p>
                    <time dateTime={e.at}>{formatInstant(e.at)}</time> · <strong>{h.action}</strong> · {h.actor}
                  </p>
                  {h.change && <p className="alert-history__change">{h.change}</p>}
                  {e.note && <p className="alert-history__note">“{e.note}”</p>}
                </li>
              );
            })}
          </ol>
        </section>
      </>
    );
  })();

  return (
    <aside className="panel alert-detail" aria-labelledby={a ? 'alert-detail-heading' : undefined} aria-label={a ? undefined : t('detail.label')}>
      <div className="alert-detail__bar">
        <span className="muted">{t('detail.label')}</span>
        <button type="button" className="button button--secondary button--small" onClick={onClose}>
          {t('detail.close')}
        </button>
      </div>
      {body}
    </aside>
  );
}
