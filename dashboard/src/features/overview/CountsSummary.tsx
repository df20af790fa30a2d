import type { KpiCounts } from '@ioc/shared';
import { formatCount } from '../../lib/format';

interface CountItem {
  key: keyof KpiCounts;
  label: string;
  /** Counts that mean trouble when above zero. */
  alarm?: boolean;
}

/** Biểu II.06a, in the order the form reads. */
const ITEMS: readonly CountItem[] = [
  { key: 'received', label: 'Tiếp nhận' },
  { key: 'receivedOnline', label: 'Trực tuyến' },
  { key: 'resolved', label: 'Đã giải quyết' },
  { key: 'resolvedEarlyOrOnTime', label: 'Đúng hạn/trước hạn' },
  { key: 'resolvedLate', label: 'Quá hạn', alarm: true },
  { key: 'inProgress', label: 'Đang giải quyết' },
  { key: 'inProgressOverdue', label: 'Đang quá hạn', alarm: true },
];

export function CountsSummary({ counts }: { counts: KpiCounts }) {
  return (
    <dl className="counts">
      {ITEMS.map((item) => {
        const n = counts[item.key];
        const alarm = item.alarm === true && n > 0;
        return (
          <div key={item.key} className={alarm ? 'counts__item counts__item--alarm' : 'counts__item'}>
            <dt>{item.label}</dt>
            <dd>{formatCount(n)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
