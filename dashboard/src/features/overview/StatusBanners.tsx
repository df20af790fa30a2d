import type { HealthResponse } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { formatProgress } from '../../lib/format';

/** System state a viewer must know before trusting the figures. */
export function StatusBanners({ health }: { health: HealthResponse | null }) {
  const { t } = useTranslation('overview');
  if (!health) return null;
  const { database, demoFeed } = health;
  const catchingUp = demoFeed.enabled && demoFeed.phase === 'catch-up';
  const history = demoFeed.enabled ? demoFeed.historyProgress : null;
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
      {history !== null && (
        <div className="banner banner--info" role="status">
          <div className="banner__row">
            <span>
              <strong>{t('banners.history', { progress: formatProgress(history) })}</strong> {t('banners.historyHint')}
            </span>
            <progress
              className="banner__progress"
              max={1}
              value={history}
              aria-label={t('banners.historyProgress')}
            />
          </div>
        </div>
      )}
    </>
  );
}
