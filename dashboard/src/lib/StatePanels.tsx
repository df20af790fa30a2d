import type { ReactNode } from 'react';

/** Nothing to show here (yet), said in words; an optional second line says why or what to do. */
export function EmptyPanel({ children, hint }: { children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="state-panel state-panel--empty" role="status">
      <p className="state-panel__title">{children}</p>
      {hint && <p className="commune-empty__hint">{hint}</p>}
    </div>
  );
}

interface StaleNoticeProps {
  /** Why the figures on screen are old. */
  text: string;
  retryLabel: string;
  onRetry: () => void;
  retrying: boolean;
}

/** A refresh failed while earlier figures are still on screen: say they are old, offer a retry. */
export function StaleNotice({ text, retryLabel, onRetry, retrying }: StaleNoticeProps) {
  return (
    <div className="stale-notice" role="status">
      <span>{text}</span>
      <button type="button" className="button button--small" onClick={onRetry} disabled={retrying}>
        {retryLabel}
      </button>
    </div>
  );
}
