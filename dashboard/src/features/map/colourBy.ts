import { INDEX_V2_GROUPS, INDEX_V2_SUB_INDICATORS, KPI_CATALOGUE } from '@ioc/shared';
import { t } from '../../i18n';
import { nameOf } from '../../lib/indexV2';
import { type MapLayer, MAPPED_SUB_INDICATORS, isMapLayer } from './choropleth';
import { metricName } from './format';

/**
 * The map's "colour by" choice: what it offers, and how it lives in the page's
 * address (`?kpi=…`). The kpi-v2 index is the default, so an address without
 * `kpi` shows it and the choice of the index writes no parameter.
 */
export const DEFAULT_MAP_LAYER: MapLayer = 'index';

export interface ColourByOption {
  value: string;
  label: string;
  /** Listed for completeness, not selectable: no figure per unit (2.2). */
  disabled?: boolean;
}
export interface ColourByGroup {
  label: string;
  options: ColourByOption[];
}

/**
 * The choices, grouped as the select shows them: the kpi-v2 index; its 20
 * sub-indicators in their 6 groups (2.2 listed but not selectable); the kpi-v1
 * score and rates; and the communes' connectivity.
 */
export function colourByGroups(): ColourByGroup[] {
  const mapped = new Set<string>(MAPPED_SUB_INDICATORS);
  return [
    { label: t('map:panel.groupIndex'), options: [{ value: 'index', label: metricName('index') }] },
    ...INDEX_V2_GROUPS.map((g) => ({
      label: t('map:panel.groupOf', { name: nameOf(g), pmax: g.pmax }),
      options: INDEX_V2_SUB_INDICATORS.filter((d) => d.group === g.id).map((d): ColourByOption =>
        mapped.has(d.id) ? { value: d.id, label: metricName(d.id) } : { value: d.id, label: t('map:panel.notPerUnit', { id: d.id, name: nameOf(d) }), disabled: true },
      ),
    })),
    {
      label: t('map:panel.groupV1'),
      options: [{ value: 'points', label: metricName('points') }, ...KPI_CATALOGUE.map((k) => ({ value: k.id, label: metricName(k.id) }))],
    },
    { label: t('map:link.layer'), options: [{ value: 'links', label: metricName('links') }] },
  ];
}

/** The layer an address names (`kpi`), or the default when it names none or one the map does not offer. */
export function layerFromParam(kpi: string | null): MapLayer {
  return kpi !== null && isMapLayer(kpi) ? kpi : DEFAULT_MAP_LAYER;
}

/** The address parameter of a layer: none for the default. */
export function layerToParam(layer: MapLayer): string | undefined {
  return layer === DEFAULT_MAP_LAYER ? undefined : layer;
}
