import type { HealthResponse, HistoryLoading } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { formatDateRange, formatProgress } from '../../lib/format';

/**
 * System state a viewer must know before trusting the figures. `loading`: what the
 * figures' own answer says of history still loading on the period's days (given by
 * pages that show a period; it then replaces the demo feed's general notice).
 */
export function StatusBanners({ health, loading }: { health: HealthResponse | null; loading?: HistoryLoading | null }) {
  const { t } = useTranslation('overview');
  if (!health) return null;
  const { database, demoFeed } = health;
  const catchingUp = demoFeed.enabled && demoFeed.phase === 'catch-up';
  const history = loading === undefined && demoFeed.enabled ? demoFeed.historyProgress : null;
  return (
    <>
      {database.status === 'down' && (
        <div className="banner banner--danger" role="alert">
          <strong>{t('banners.dbDown')}</strong> {t('banners.dbDownHint')}
          {database.error && <span className="banner__detail">{t('banners.technical', { detail: database.error })}</span>}
        </div>
      )}
      {catchingUp && (
        <div className="banner banner--info" role="status">
          <strong>{t('banners.catchUp')}</strong> {t('banners.catchUpHint')}
        </div>
      )}
      {loading && (
        <div className="banner banner--warning" role="status">
          <div className="banner__row">
            <span>
              <strong>{t('banners.periodLoading', { days: formatDateRange(loading.from, loading.to) })}</strong>{' '}
              {loading.progress === null || loading.progress >= 1 ? t('banners.periodFolding') : t('banners.periodLoadingHint', { progress: formatProgress(loading.progress) })}
            </span>
            {loading.progress !== null && <progress className="banner__progress" max={1} value={loading.progress} aria-label={t('banners.historyProgress')} />}
          </div>
        </div>
      )}
      {history !== null && (
        <div className="banner banner--info" role="status">
          <div className="banner__row">
            <span>
              <strong>{t('banners.history', { progress: formatProgress(history) })}</strong> {t('banners.historyHint')}
            </span>
            <progress className="banner__progress" max={1} value={history} aria-label={t('banners.historyProgress')} />
          </div>
        </div>
      )}
    </>
  );
}
