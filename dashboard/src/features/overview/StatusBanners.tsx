import type { HealthResponse } from '@ioc/shared';
import { formatProgress } from '../../lib/format';

/** System state a viewer must know before trusting the figures. */
export function StatusBanners({ health }: { health: HealthResponse | null }) {
  if (!health) return null;
  const { database, demoFeed } = health;
  const catchingUp = demoFeed.enabled && demoFeed.phase === 'catch-up';
  const history = demoFeed.enabled ? demoFeed.historyProgress : null;
  return (
    <>
      {database.status === 'down' && (
        <div className="banner banner--danger" role="alert">
          <strong>Mất kết nối cơ sở dữ liệu.</strong> Số liệu có thể không được cập nhật cho đến khi kết nối được khôi
          phục.
          {database.error && <span className="banner__detail">Chi tiết kỹ thuật: {database.error}</span>}
        </div>
      )}
      {catchingUp && (
        <div className="banner banner--info" role="status">
          <strong>Đang nạp dữ liệu mô phỏng của hôm nay.</strong> Số liệu sẽ tăng dần cho đến khi nạp xong.
        </div>
      )}
      {history !== null && (
        <div className="banner banner--info" role="status">
          <div className="banner__row">
            <span>
              <strong>Đang nạp dữ liệu mô phỏng lịch sử: {formatProgress(history)}.</strong> Số liệu các ngày trước
              chưa đầy đủ cho đến khi nạp xong.
            </span>
            <progress
              className="banner__progress"
              max={1}
              value={history}
              aria-label="Tiến độ nạp dữ liệu mô phỏng lịch sử"
            />
          </div>
        </div>
      )}
    </>
  );
}
