import { SEVERITIES, type AlertSummary } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../lib/format';
import { formatAge, formatRuleValue, ruleName, severityCounts, severityLabel } from '../operations/alertList';
import { SeverityIcon } from '../operations/SeverityBadge';
import { emptyOpenText } from '../operations/evaluationText';
import { useAlertEvaluation } from '../operations/useAlertEvaluation';

interface Props {
  alerts: AlertSummary[] | null;
  now: number;
  provinceName: (code: string) => string | null;
  newIds: ReadonlySet<string>;
}

const SHOWN = 6;

/** Open alerts by severity, and the most severe, newest ones. */
export function WallAlertsView({ alerts, now, provinceName, newIds }: Props) {
  const { t } = useTranslation('operations');
  const counts = alerts ? severityCounts(alerts) : null;
  const active = alerts?.filter((a) => a.status === 'active') ?? [];
  const top = active.slice(0, SHOWN);
  // Before the rules' first evaluation, no alert does not mean every unit is within its thresholds.
  const evaluation = useAlertEvaluation();
  const evaluated = Boolean(evaluation.data?.evaluatedAt);
  return (
    <div className="wall-view wall-view--alerts">
      <ul className="wall-sev">
        {SEVERITIES.map((s) => (
          <li key={s} className={`wall-sev__item wall-sev__item--${s}`}>
            <SeverityIcon severity={s} size={40} />
            <span className="wall-sev__count">{counts ? formatCount(counts[s]) : '…'}</span>
            <span className="wall-sev__label">{severityLabel(s)}</span>
          </li>
        ))}
      </ul>
      {alerts === null ? (
        <p className="wall-empty">{t('loading')}</p>
      ) : top.length === 0 ? (
        <p className={`wall-empty${evaluated ? ' wall-empty--ok' : ''}`}>{emptyOpenText(evaluation.data)}</p>
      ) : (
        <ol className="wall-alerts">
          {top.map((a) => (
            <li key={a.id} className={`wall-alert wall-alert--${a.severity}${newIds.has(a.id) ? ' wall-alert--new' : ''}`}>
              <span className={`sev sev--${a.severity} wall-alert__sev`}>
                <SeverityIcon severity={a.severity} size={28} />
                <span>{severityLabel(a.severity)}</span>
              </span>
              <span className="wall-alert__what">
                <strong>{a.unitName}</strong>
                {a.unitCode.length === 5 && provinceName(a.provinceCode) ? <span className="wall-alert__province">, {provinceName(a.provinceCode)}</span> : null}
                <span className="wall-alert__rule">{ruleName(a)}</span>
              </span>
              <span className="wall-alert__value">{formatRuleValue(a.lastValue ?? a.firedValue, a.unit)}</span>
              <span className="wall-alert__age">{formatAge(Date.parse(a.firedAt), now)}</span>
            </li>
          ))}
        </ol>
      )}
      {active.length > SHOWN && <p className="wall-more">{t('wall.moreAlerts', { n: formatCount(active.length - SHOWN) })}</p>}
    </div>
  );
}
