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
