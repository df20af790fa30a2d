import type { AlertSummary } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { AlertLinks } from './AlertLinks';

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
            {t('mine.title', { count: alerts.length })} <AlertLinks alerts={alerts} provinceName={provinceName} linkClassName="assigned-banner__link" />
          </p>
          <button type="button" className="button button--small button--secondary" onClick={onDismiss}>
            {t('mine.dismiss')}
          </button>
        </>
      )}
    </div>
  );
}
