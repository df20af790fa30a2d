import type { AlertEvaluationStatus } from '@ioc/shared';
import { t } from '../../i18n';
import { formatClock } from '../../lib/format';

/**
 * What an empty list of open alerts means: every unit within its thresholds once the
 * rules have been evaluated; before the first evaluation (or while that is not known),
 * "not yet evaluated", never "within thresholds".
 */
export function emptyOpenText(status: AlertEvaluationStatus | null): string {
  if (status?.evaluatedAt) return t('empty.open', { ns: 'operations' });
  if (status?.everySeconds) return t('empty.notEvaluatedEvery', { ns: 'operations', minutes: Math.max(1, Math.round(status.everySeconds / 60)) });
  return t('empty.notEvaluated', { ns: 'operations' });
}

/** "Đánh giá quy tắc lần cuối: 14:05" / "Quy tắc chưa được đánh giá lần nào"; null while not known. */
export function evaluationLine(status: AlertEvaluationStatus | null): string | null {
  if (!status) return null;
  return status.evaluatedAt ? t('evaluation.last', { ns: 'operations', time: formatClock(Date.parse(status.evaluatedAt)) }) : t('evaluation.never', { ns: 'operations' });
}
