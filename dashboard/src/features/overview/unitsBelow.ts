import type { Commune, CommuneType, Province, UnitRef } from '@ioc/shared';
import { t } from '../../i18n';
import type { KeysUnder } from '../../i18n/keys';

/** The units one level below a scope, as the access rules see them, and what to call them. */
export interface UnitsBelow {
  refs: UnitRef[];
  /** e.g. "tỉnh, thành phố", "xã, phường", "xã, đặc khu". */
  noun: string;
}

export const NO_UNITS_BELOW: UnitsBelow = { refs: [], noun: '' };

export function provincesBelow(provinces: readonly Province[]): UnitsBelow {
  return { refs: provinces.map((p) => ({ kind: 'province', code: p.code })), noun: t('units.provinces', { ns: 'overview' }) };
}

const COMMUNE_TYPES: readonly CommuneType[] = ['xã', 'phường', 'đặc khu'];
const TYPE_KEYS: Record<CommuneType, KeysUnder<'overview', 'units.kinds'>> = { xã: 'commune', phường: 'ward', 'đặc khu': 'special' };

/** Named by the kinds the province has, in the order the law lists them. */
export function communesBelow(communes: readonly Commune[]): UnitsBelow {
  const kinds = COMMUNE_TYPES.filter((t) => communes.some((c) => c.type === t));
  return {
    refs: communes.map((c) => ({ kind: 'commune', code: c.code, provinceCode: c.provinceCode })),
    noun: (kinds.length ? kinds : COMMUNE_TYPES.slice(0, 2)).map((k) => t(`units.kinds.${TYPE_KEYS[k]}`, { ns: 'overview' })).join(', '),
  };
}

/** "xã, phường" → "Xã, phường", for a column header. */
export function capitalize(s: string): string {
  return s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
}
