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

interface ErrorPanelProps {
  /** What failed, and why. */
  text: string;
  /** A second line under it, such as when the next try comes. */
  hint?: string;
  retryLabel: string;
  onRetry: () => void;
  retrying?: boolean;
  /** A small retry button, for a part of a page rather than the whole of it. */
  small?: boolean;
  /** Classes added to the panel's own. */
  className?: string;
}

/** Nothing to show because a request failed: says why and offers a retry. */
export function ErrorPanel({ text, hint, retryLabel, onRetry, retrying, small = false, className }: ErrorPanelProps) {
  return (
    <div className={`state-panel state-panel--error${className ? ` ${className}` : ''}`} role="alert">
      <p className="state-panel__title">{text}</p>
      {hint && <p className="state-panel__hint">{hint}</p>}
      <button type="button" className={small ? 'button button--small' : 'button'} onClick={onRetry} disabled={retrying}>
        {retryLabel}
      </button>
    </div>
  );
}

/** Grey bars where a table's rows will come, hidden from screen readers. */
export function SkeletonTable({ rows }: { rows: number }) {
  return (
    <div className="skeleton-table" aria-hidden="true">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton skeleton--row" />
      ))}
    </div>
  );
}

interface LoadingRowsProps {
  /** What is loading, announced once to screen readers. */
  text: string;
  rows?: number;
  /** Shows the text on screen too, above the bars. */
  visible?: boolean;
  className?: string;
}

/** Something is loading: said in words (to screen readers only, unless `visible`) over grey bars. */
export function LoadingRows({ text, rows = 4, visible = false, className }: LoadingRowsProps) {
  return (
    <div className={className}>
      <p role="status" className={visible ? undefined : 'visually-hidden'}>
        {text}
      </p>
      <SkeletonTable rows={rows} />
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
