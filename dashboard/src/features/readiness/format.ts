import { READINESS_FIELD_INFO, READINESS_TARGETS, type ReadinessField } from '@ioc/shared';
import { t } from '../../i18n';
import { formatCount, formatDecimal, formatPercent } from '../../lib/format';

/** A readiness value as shown: a count, a percentage, or yes/no. */
export function formatReadinessValue(field: ReadinessField, value: number | null | undefined): string {
  if (value === null || value === undefined) return t('commune.missing', { ns: 'readiness' });
  switch (READINESS_FIELD_INFO[field].kind) {
    case 'count':
      return formatCount(value);
    case 'percent':
      return formatPercent(value);
    case 'yesNo':
      return value >= 1 ? t('yes', { ns: 'readiness' }) : t('no', { ns: 'readiness' });
  }
}

/** The "ready" level of a field, e.g. "≥ 2", "≥ 60,00%", "Có". */
export function formatTarget(field: ReadinessField): string {
  const target = READINESS_TARGETS[field];
  return READINESS_FIELD_INFO[field].kind === 'yesNo' ? formatReadinessValue(field, target) : `≥ ${formatReadinessValue(field, target)}`;
}

export function isReady(field: ReadinessField, value: number): boolean {
  return value >= READINESS_TARGETS[field];
}

export { formatDecimal };
