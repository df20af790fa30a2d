import { formatClock } from '../../lib/format';
import type { LiveFeed } from './useOverviewData';

/** The live stream's state, then when the figures were last confirmed. */
export function LiveStatus({ indicator, asOf }: LiveFeed) {
  return (
    <p className="page-header__refresh">
      <span className={`live-status live-status--${indicator.tone}`} role="status" aria-live="polite">
        <span className="live-status__dot" aria-hidden="true" />
        {indicator.text}
      </span>
      {/* Outside the live region: the time moves with every heartbeat and would be read out every few seconds. */}
      {asOf !== null && <span>· Cập nhật lúc {formatClock(asOf)}</span>}
    </p>
  );
}

interface PollingStatusProps {
  fetching: boolean;
  updatedAt: number | null;
  refreshSeconds: number;
}

export function PollingStatus({ fetching, updatedAt, refreshSeconds }: PollingStatusProps) {
  return (
    <p className="page-header__refresh">
      {fetching && <span className="spinner-dot" aria-hidden="true" />}
      {fetching
        ? 'Đang cập nhật…'
        : updatedAt !== null
          ? `Cập nhật lúc ${formatClock(updatedAt)} · tự làm mới mỗi ${refreshSeconds} giây`
          : `Tự làm mới mỗi ${refreshSeconds} giây`}
    </p>
  );
}
