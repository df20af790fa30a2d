import type { KpiCounts } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import type { KeysUnder } from '../../i18n/keys';
import { formatCount } from '../../lib/format';

interface CountItem {
  key: Exclude<KeysUnder<'overview', 'counts'>, 'heading'> & keyof KpiCounts;
  /** Counts that mean trouble when above zero. */
  alarm?: boolean;
}

/** Biểu II.06a, in the order the form reads. */
const ITEMS: readonly CountItem[] = [
  { key: 'received' },
  { key: 'receivedOnline' },
  { key: 'resolved' },
  { key: 'resolvedEarlyOrOnTime' },
  { key: 'resolvedLate', alarm: true },
  { key: 'inProgress' },
  { key: 'inProgressOverdue', alarm: true },
];

export function CountsSummary({ counts }: { counts: KpiCounts }) {
  const { t } = useTranslation('overview');
  return (
    <dl className="counts">
      {ITEMS.map((item) => {
        const n = counts[item.key];
        const alarm = item.alarm === true && n > 0;
        return (
          <div key={item.key} className={alarm ? 'counts__item counts__item--alarm' : 'counts__item'}>
            <dt>{t(`counts.${item.key}`)}</dt>
            <dd>{formatCount(n)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
