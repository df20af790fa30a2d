import { t } from '../i18n';
import { formatHourMinute } from './format';
import type { PeriodChoice, PeriodPreset } from './period';

/**
 * A period's name for a header. Today is never a whole day until midnight: it
 * says up to when its figures go ("Hôm nay, đến 09:05"), so a morning's low
 * counts are not read as a bad day.
 */
export function periodTitle(choice: PeriodChoice | PeriodPreset, asOf: string | number | null): string {
  const preset = typeof choice === 'string' ? choice : choice.preset;
  if (preset === 'custom') return t('period.custom', { ns: 'common' });
  if (preset === 'today') return t('period.todayUntil', { ns: 'common', time: formatHourMinute(asOf ?? Date.now()) });
  return t(`period.${preset}`, { ns: 'common' });
}
