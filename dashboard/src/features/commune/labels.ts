import type { UnitType } from '@ioc/shared';
import { t } from '../../i18n';
import { kpiNameOf } from '../../lib/kpiText';
import type { Metric } from './comparison';
import type { KeysUnder } from '../../i18n/keys';

const TYPE_KEYS: Partial<Record<UnitType, KeysUnder<'commune', 'unitType'>>> = { xã: 'xa', phường: 'phuong', 'đặc khu': 'dacKhu' };

/** "Phường" (en: "Ward"); a province's type as written. */
export function unitTypeLabel(type: UnitType): string {
  const k = TYPE_KEYS[type];
  return k ? t(`unitType.${k}`, { ns: 'commune' }) : type;
}

/** "phường" (en: "wards"), to say what the peers are. */
export function unitTypePlural(type: UnitType): string {
  const k = TYPE_KEYS[type];
  return k ? t(`unitTypePlural.${k}`, { ns: 'commune' }) : type;
}

/** A comparison row's name: the index score or the KPI's catalogue name. */
export function metricName(m: Metric): string {
  return m === 'score' ? t('compare.score', { ns: 'commune' }) : kpiNameOf(m);
}
