import type { ReactNode } from 'react';

interface ErrorPanelProps {
  reason: string;
  onRetry: () => void;
  retrying: boolean;
  retryInSeconds: number;
}

/** Shown when there is nothing to display because the request failed. */
export function ErrorPanel({ reason, onRetry, retrying, retryInSeconds }: ErrorPanelProps) {
  return (
    <div className="state-panel state-panel--error" role="alert">
      <p className="state-panel__title">Không tải được dữ liệu: {reason}.</p>
      <p className="state-panel__hint">Trang sẽ tự thử lại sau {retryInSeconds} giây, hoặc bấm nút dưới đây.</p>
      <button type="button" className="button" onClick={onRetry} disabled={retrying}>
        {retrying ? 'Đang thử lại…' : 'Thử lại'}
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
  return (
    <div className="stale-notice" role="status">
      <span>
        Không cập nhật được: {reason}. Đang hiển thị số liệu lần tải trước.
      </span>
      <button type="button" className="button button--small" onClick={onRetry} disabled={retrying}>
        {retrying ? 'Đang thử lại…' : 'Thử lại'}
      </button>
    </div>
  );
}
