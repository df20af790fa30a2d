import type { AlertSummary } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { AlertLinks } from './AlertLinks';
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
              {t('banner.title', { count: alerts.length })} <AlertLinks alerts={alerts} provinceName={provinceName} linkClassName="critical-banner__link" />
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
