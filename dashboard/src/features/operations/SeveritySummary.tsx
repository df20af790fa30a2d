import { SEVERITIES, type Severity } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../lib/format';
import { severityLabel } from './alertList';
import { SeverityIcon } from './SeverityBadge';

interface Props {
  counts: Record<Severity, number> | null;
  unacknowledged: number | null;
  /** Severities the list is filtered to (empty: all). */
  selected: readonly Severity[];
  onToggle: (s: Severity) => void;
}

/** Open alerts per severity; each count also filters the list to it. */
export function SeveritySummary({ counts, unacknowledged, selected, onToggle }: Props) {
  const { t } = useTranslation('operations');
  return (
    <div className="sev-strip" role="group" aria-label={t('summary.label')}>
      {SEVERITIES.map((s) => (
        <button
          key={s}
          type="button"
          className={`sev-strip__item sev-strip__item--${s}${counts && counts[s] > 0 ? ' sev-strip__item--some' : ''}`}
          aria-pressed={selected.includes(s)}
          onClick={() => onToggle(s)}
          title={t('summary.filterHint', { severity: severityLabel(s) })}
        >
          <SeverityIcon severity={s} size={20} />
          <span className="sev-strip__count">{counts ? formatCount(counts[s]) : '…'}</span>
          <span className="sev-strip__label">{severityLabel(s)}</span>
        </button>
      ))}
      <p className="sev-strip__note">{unacknowledged === null ? '' : t('summary.unacknowledged', { count: unacknowledged, n: formatCount(unacknowledged) })}</p>
    </div>
  );
}
