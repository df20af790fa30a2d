import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../lib/http';
import { StaleNotice } from '../../lib/StatePanels';

/** Grey bars where rows will come; announced once to screen readers. */
export function SkeletonRows({ rows = 4 }: { rows?: number }) {
  const { t } = useTranslation('commune');
  return (
    <div className="skeleton-table">
      <p className="visually-hidden" role="status">
        {t('state.loading')}
      </p>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton skeleton--row" aria-hidden="true" />
      ))}
    </div>
  );
}

/** A part of the page that could not load, with a retry; the rest of the page stays usable. */
export function PanelError({ error, onRetry, retrying }: { error: unknown; onRetry: () => void; retrying: boolean }) {
  const { t } = useTranslation('commune');
  return (
    <div className="state-panel state-panel--error commune-error" role="alert">
      <p className="state-panel__title">{t('state.error', { reason: describeError(error) })}</p>
      <button type="button" className="button button--small" onClick={onRetry} disabled={retrying}>
        {retrying ? t('state.retrying') : t('state.retry')}
      </button>
    </div>
  );
}

/** A refresh failed while earlier figures are on screen: say so, offer a retry. */
export function StaleLine({ error, onRetry, retrying }: { error: unknown; onRetry: () => void; retrying: boolean }) {
  const { t } = useTranslation('commune');
  return (
    <StaleNotice
      text={t('state.stale', { reason: describeError(error) })}
      retryLabel={retrying ? t('state.retrying') : t('state.retry')}
      onRetry={onRetry}
      retrying={retrying}
    />
  );
}

interface LoadProps<T> {
  data: T | null;
  error: unknown;
  fetching: boolean;
  refresh: () => void;
  rows?: number;
  children: (data: T) => ReactNode;
}

/** Loading, failed, or the data (with a note when a refresh failed). */
export function Loaded<T>({ data, error, fetching, refresh, rows, children }: LoadProps<T>) {
  if (data === null) {
    return error !== null && error !== undefined ? <PanelError error={error} onRetry={refresh} retrying={fetching} /> : <SkeletonRows rows={rows} />;
  }
  return (
    <>
      {error !== null && error !== undefined && <StaleLine error={error} onRetry={refresh} retrying={fetching} />}
      {children(data)}
    </>
  );
}
