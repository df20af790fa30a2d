import type { MonthProjection } from '@ioc/shared';
import { t } from '../../i18n';
import { formatCount, formatPercent } from '../../lib/format';
import type { KeysUnder } from '../../i18n/keys';

export interface ProjectionLine {
  key: 'now' | 'best' | 'expected' | 'worst';
  value: number | null;
  /** One plain sentence saying what the figure means. */
  sentence: string;
}

/** `2025-11` → `11/2025`. */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return `${m}/${y}`;
}

/**
 * The four figures of the month's projection, each with its sentence; empty when
 * the month has no dossier to compute a rate from.
 */
export function projectionLines(p: MonthProjection): ProjectionLine[] {
  const tt = (key: KeysUnder<'commune', 'projection'>, values: Record<string, unknown> = {}) => t(`projection.${key}`, { ns: 'commune', ...values });
  if (p.denominator === 0) return [];
  const n = formatCount(p.atRisk);
  const month = monthLabel(p.month);
  return [
    {
      key: 'now',
      value: p.onTime.now,
      sentence: tt('nowSentence', { month, value: formatPercent(p.onTime.now), num: formatCount(p.onTimeNow), den: formatCount(p.denominator), count: p.denominator }),
    },
    {
      key: 'best',
      value: p.onTime.best,
      sentence: p.atRisk === 0 ? tt('bestNone', { value: formatPercent(p.onTime.best) }) : tt('bestSentence', { n, count: p.atRisk, value: formatPercent(p.onTime.best) }),
    },
    {
      key: 'expected',
      value: p.onTime.expected,
      sentence: p.onTime.expected === null ? tt('expectedNone') : tt('expectedSentence', { pace: formatPercent(p.recentOnTimeRate), value: formatPercent(p.onTime.expected) }),
    },
    {
      key: 'worst',
      value: p.onTime.worst,
      sentence: p.atRisk === 0 ? tt('worstNone', { value: formatPercent(p.onTime.worst) }) : tt('worstSentence', { n, count: p.atRisk, value: formatPercent(p.onTime.worst) }),
    },
  ];
}
