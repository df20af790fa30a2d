import type { AlertSummary } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { paths } from '../../app/routes';
import { ruleName } from './alertList';

interface Props {
  alerts: readonly AlertSummary[];
  provinceName: (code: string) => string | null;
  onDismiss: () => void;
}

/** Alerts assigned to the signed-in person while the page is open: announced politely, until seen. */
export function AssignedBanner({ alerts, provinceName, onDismiss }: Props) {
  const { t } = useTranslation('operations');
  return (
    <div className="assigned-banner" role="status">
      {alerts.length > 0 && (
        <>
          <p className="assigned-banner__title">
            {t('mine.title', { count: alerts.length })}{' '}
            {alerts.slice(0, 3).map((a, i) => (
              <span key={a.id}>
                {i > 0 && '; '}
                <Link href={paths.alert(a.id)} className="assigned-banner__link">
                  {ruleName(a)} — {a.unitName}
                  {a.unitCode.length === 5 && provinceName(a.provinceCode) ? `, ${provinceName(a.provinceCode)}` : ''}
                </Link>
              </span>
            ))}
            {alerts.length > 3 && ` ${t('banner.more', { n: alerts.length - 3 })}`}
          </p>
          <button type="button" className="button button--small button--secondary" onClick={onDismiss}>
            {t('mine.dismiss')}
          </button>
        </>
      )}
    </div>
  );
}
