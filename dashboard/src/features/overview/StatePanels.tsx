import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ErrorPanelProps {
  reason: string;
  onRetry: () => void;
  retrying: boolean;
  retryInSeconds: number;
}

/** Shown when there is nothing to display because the request failed. */
export function ErrorPanel({ reason, onRetry, retrying, retryInSeconds }: ErrorPanelProps) {
  const { t } = useTranslation('overview');
  return (
    <div className="state-panel state-panel--error" role="alert">
      <p className="state-panel__title">{t('states.loadFailed', { reason })}</p>
      <p className="state-panel__hint">{t('states.retryIn', { seconds: retryInSeconds })}</p>
      <button type="button" className="button" onClick={onRetry} disabled={retrying}>
        {retrying ? t('states.retrying') : t('states.retry')}
      </button>
    </div>
  );
}

export function EmptyPanel({ children }: { children: ReactNode }) {
  return (
    <div className="state-panel state-panel--empty" role="status">
      <p className="state-panel__title">{children}</p>
    </div>
  );
}

interface StaleNoticeProps {
  reason: string;
  onRetry: () => void;
  retrying: boolean;
}

/** A refresh failed but earlier figures are still on screen: say they are old. */
export function StaleNotice({ reason, onRetry, retrying }: StaleNoticeProps) {
  const { t } = useTranslation('overview');
  return (
    <div className="stale-notice" role="status">
      <span>{t('states.stale', { reason })}</span>
      <button type="button" className="button button--small" onClick={onRetry} disabled={retrying}>
        {retrying ? t('states.retrying') : t('states.retry')}
      </button>
    </div>
  );
}
