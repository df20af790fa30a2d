import { KPI_CATALOGUE, type KpiDefinition, type KpiId } from '@ioc/shared';
import { currentLanguage, t } from '../i18n';

/** Anything the contract names in both languages: KPIs, alert rules. */
export interface NamedInBothLanguages {
  nameVi: string;
  nameEn: string;
}

/** A KPI's (or any catalogue entry's) name in the current language: "Tỷ lệ hồ sơ trực tuyến" / "Online filing". */
export function kpiName(def: NamedInBothLanguages): string {
  return currentLanguage() === 'en' ? def.nameEn : def.nameVi;
}

/** The catalogue's name of a KPI by id, in the current language. */
export function kpiNameOf(id: KpiId): string {
  const def = KPI_CATALOGUE.find((d) => d.id === id);
  return def ? kpiName(def) : id;
}

/** What a KPI counts above the line, in the current language. */
export function kpiNumerator(def: Pick<KpiDefinition, 'numeratorVi' | 'numeratorEn'>): string {
  return currentLanguage() === 'en' ? def.numeratorEn : def.numeratorVi;
}

/** What a KPI counts below the line, in the current language. */
export function kpiDenominator(def: Pick<KpiDefinition, 'denominatorVi' | 'denominatorEn'>): string {
  return currentLanguage() === 'en' ? def.denominatorEn : def.denominatorVi;
}

/** Where a KPI is defined: a section of Decision 766 as written, the national portal by its name in the language shown. */
export function kpiReference(def: Pick<KpiDefinition, 'reference'>): string {
  return def.reference === 'Cổng DVCQG' ? t('cards.portal', { ns: 'overview' }) : def.reference;
}
