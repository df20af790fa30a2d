import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../lib/http';
import { ErrorPanel, LoadingRows, StaleNotice } from '../../lib/StatePanels';

/** Grey bars where rows will come; announced once to screen readers. */
export function SkeletonRows({ rows = 4 }: { rows?: number }) {
  const { t } = useTranslation('commune');
  return <LoadingRows text={t('state.loading')} rows={rows} />;
}

/** A part of the page that could not load, with a retry; the rest of the page stays usable. */
export function PanelError({ error, onRetry, retrying }: { error: unknown; onRetry: () => void; retrying: boolean }) {
  const { t } = useTranslation('commune');
  return (
    <ErrorPanel
      text={t('state.error', { reason: describeError(error) })}
      retryLabel={retrying ? t('state.retrying') : t('state.retry')}
      onRetry={onRetry}
      retrying={retrying}
      small
      className="commune-error"
    />
  );
}

/** A refresh failed while earlier figures are on screen: say so, offer a retry. */
export function StaleLine({ error, onRetry, retrying }: { error: unknown; onRetry: () => void; retrying: boolean }) {
  const { t } = useTranslation('commune');
  return <StaleNotice text={t('state.stale', { reason: describeError(error) })} retryLabel={retrying ? t('state.retrying') : t('state.retry')} onRetry={onRetry} retrying={retrying} />;
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
