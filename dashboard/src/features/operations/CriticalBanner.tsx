import type { AlertSummary } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { paths } from '../../app/routes';
import { ruleName } from './alertList';
import { SeverityIcon } from './SeverityBadge';

interface Props {
  alerts: readonly AlertSummary[];
  provinceName: (code: string) => string | null;
  onDismiss: () => void;
}

/** New critical alerts since the page opened: announced at once (role="alert"), until dismissed or handled. */
export function CriticalBanner({ alerts, provinceName, onDismiss }: Props) {
  const { t } = useTranslation('operations');
  return (
    <div className="critical-banner" role="alert">
      {alerts.length > 0 && (
        <>
          <SeverityIcon severity="critical" size={24} />
          <div className="critical-banner__body">
            <p className="critical-banner__title">
              {t('banner.title', { count: alerts.length })}{' '}
              {alerts.slice(0, 3).map((a, i) => (
                <span key={a.id}>
                  {i > 0 && '; '}
                  <Link href={paths.alert(a.id)} className="critical-banner__link">
                    {ruleName(a)} — {a.unitName}
                    {a.unitCode.length === 5 && provinceName(a.provinceCode) ? `, ${provinceName(a.provinceCode)}` : ''}
                  </Link>
                </span>
              ))}
              {alerts.length > 3 && ` ${t('banner.more', { n: alerts.length - 3 })}`}
            </p>
          </div>
          <button type="button" className="button button--small critical-banner__close" onClick={onDismiss}>
            {t('banner.dismiss')}
          </button>
        </>
      )}
    </div>
  );
}
