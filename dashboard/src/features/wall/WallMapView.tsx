import { Suspense } from 'react';
import type { IndexV2Summary, KpiResponse } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { NO_VALUE, formatCount, formatDecimal, formatPercent } from '../../lib/format';
import { kpiNameOf } from '../../lib/kpiText';
import { legendTitle } from '../map/format';
import { LazyChoroplethMap, MapBoundary } from '../map/LazyChoroplethMap';
import { MapLegend } from '../map/MapLegend';
import type { WallMapDatum } from './wallData';

/** What stands in the map's place when this screen cannot draw it (no WebGL). */
function MapUnavailable({ label }: { label: string }) {
  const { t } = useTranslation('operations');
  return (
    <div className="wall-map__empty" role="img" aria-label={label}>
      <p>{t('wall.mapUnavailable')}</p>
    </div>
  );
}

interface Props {
  kpis: Pick<KpiResponse, 'kpis' | 'counts' | 'index'> | null;
  /** The scope's kpi-v2 index today: earned of available points; null while it comes or when it cannot be read. */
  indexV2: Pick<IndexV2Summary, 'earned' | 'available'> | null;
  /** Null: the scope is a commune, with nothing below it to map. */
  map: { level: 'province' | 'commune'; provinceCode?: string } | null;
  data: Record<string, WallMapDatum>;
  scopeName: string;
}

/** The scope's map (the kpi-v2 index today, as the headline; silent units outlined), its legend, beside its headline figures. */
export function WallMapView({ kpis, indexV2, map, data, scopeName }: Props) {
  const { t } = useTranslation('operations');
  const label = t('wall.mapLabel', { scope: scopeName });
  const k = kpis?.kpis;
  const c = kpis?.counts;
  const tiles: { key: string; name: string; value: string; alarm?: boolean }[] = [
    {
      key: 'index',
      name: t('wall.indexScore'),
      value: indexV2 && indexV2.available > 0 ? t('wall.indexValue', { earned: formatDecimal(indexV2.earned), available: formatCount(indexV2.available) }) : NO_VALUE,
    },
    { key: 'onTime', name: kpiNameOf('onTime'), value: formatPercent(k?.onTime.value) },
    { key: 'online', name: kpiNameOf('online'), value: formatPercent(k?.online.value) },
    { key: 'fullOnline', name: kpiNameOf('fullOnline'), value: formatPercent(k?.fullOnline.value) },
    { key: 'digitized', name: kpiNameOf('digitized'), value: formatPercent(k?.digitized.value) },
    { key: 'received', name: t('wall.received'), value: formatCount(c?.received) },
    { key: 'overdue', name: t('wall.overdue'), value: formatCount(c?.inProgressOverdue), alarm: (c?.inProgressOverdue ?? 0) > 0 },
  ];
  return (
    <div className="wall-view wall-view--map">
      <div className="wall-map">
        {map ? (
          <MapBoundary fallback={<MapUnavailable label={label} />}>
            <Suspense fallback={<div className="wall-map__empty" aria-hidden="true" />}>
              <LazyChoroplethMap level={map.level} provinceCode={map.provinceCode} metric="index" data={data} theme="dark" label={label} showFreshness />
            </Suspense>
          </MapBoundary>
        ) : (
          <div className="wall-map__empty">
            <p>{t('wall.noMapForCommune')}</p>
          </div>
        )}
        {map && (
          <div className="wall-map__legend">
            <MapLegend metric="index" title={legendTitle('index')} showFreshness theme="dark" />
          </div>
        )}
        <p className="wall-map__caption">{t('wall.mapCaption')}</p>
      </div>
      <dl className="wall-kpis">
        {tiles.map((tile) => (
          <div key={tile.key} className={`wall-kpi${tile.alarm ? ' wall-kpi--alarm' : ''}`}>
            <dt>{tile.name}</dt>
            <dd>{tile.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
