import { useTranslation } from 'react-i18next';
import { formatClock } from '../../lib/format';
import type { LiveFeed } from './useOverviewData';

/** The live stream's state, then when the figures were last confirmed. */
export function LiveStatus({ indicator, asOf }: LiveFeed) {
  const { t } = useTranslation('overview');
  return (
    <p className="page-header__refresh">
      <span className={`live-status live-status--${indicator.tone}`} role="status" aria-live="polite">
        <span className="live-status__dot" aria-hidden="true" />
        {indicator.text}
      </span>
      {/* Outside the live region: the time moves with every heartbeat and would be read out every few seconds. */}
      {asOf !== null && <span>· {t('status.updatedAt', { time: formatClock(asOf) })}</span>}
    </p>
  );
}

interface PollingStatusProps {
  fetching: boolean;
  updatedAt: number | null;
  refreshSeconds: number;
}

export function PollingStatus({ fetching, updatedAt, refreshSeconds }: PollingStatusProps) {
  const { t } = useTranslation('overview');
  return (
    <p className="page-header__refresh">
      {fetching && <span className="spinner-dot" aria-hidden="true" />}
      {fetching ? t('status.fetching') : updatedAt !== null ? t('status.polledAt', { time: formatClock(updatedAt), seconds: refreshSeconds }) : t('status.polling', { seconds: refreshSeconds })}
    </p>
  );
}
