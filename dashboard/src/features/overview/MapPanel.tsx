import { Suspense, useId, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DEFAULT_CLIENT_CONFIG, clientConfigQuery } from '../../lib/clientConfig';
import { describeError } from '../../lib/http';
import { useApiQuery } from '../../lib/useApiQuery';
import { type MapLayer, isIndexMetric, isMapLayer } from '../map/choropleth';
import { colourByGroups } from '../map/colourBy';
import { legendTitle, metricName } from '../map/format';
import { linksToMapData, provinceLinksToMapData } from '../map/links';
import { MapLegend } from '../map/MapLegend';
import { LazyChoroplethMap, MapBoundary } from '../map/LazyChoroplethMap';
import { type MapSourceRow, type MapSourceRows, toMapData } from '../map/mapData';
import { fetchConnectivity } from '../readiness/api';
import '../map/map.css';

const LINKS_REFRESH_MS = 60_000;

interface Props {
  /** The 34 provinces, or the communes of `provinceCode`. */
  level: 'province' | 'commune';
  provinceCode?: string;
  /** The rows the page has for the units below its scope (ranking entries or live rows); null while they come. */
  rows: MapSourceRows | null;
  /** What colours the map; the page keeps it in its address (`?kpi=onTime`, `?kpi=2.1`, `?kpi=links`; none: the kpi-v2 index). */
  metric: MapLayer;
  /** The kpi-v2 index of each unit (read apart from the rows): still coming, or why it could not be read. */
  indexState?: { loading: boolean; error: unknown };
  onMetric: (m: MapLayer) => void;
  onSelect: (code: string) => void;
  selected?: string | null;
  theme?: 'light' | 'dark';
}

function MapSkeleton({ text }: { text: string }) {
  return (
    <div className="choropleth" data-map-state="loading">
      <div className="choropleth__frame">
        <div className="choropleth__overlay choropleth__overlay--loading" role="status">
          <span className="choropleth__spinner" aria-hidden="true" />
          {text}
        </div>
      </div>
    </div>
  );
}

/** The overview's map: a KPI (or the index score) of every unit below the scope, with silent units outlined. */
export function MapPanel({ level, provinceCode, rows, metric, indexState, onMetric, onSelect, selected = null, theme = 'light' }: Props) {
  const { t } = useTranslation('map');
  const [showSilent, setShowSilent] = useState(true);
  const config = useQuery({ ...clientConfigQuery, retry: 1 });
  // Without the server's settings, the built-in offline map.
  const styleUrl = config.isError ? DEFAULT_CLIENT_CONFIG.mapStyleUrl : config.data?.mapStyleUrl;
  const metricId = useId();
  const headingId = useId();

  const groups = colourByGroups();
  // A list or a table by code: Object.values reads both.
  const rowList = useMemo((): readonly MapSourceRow[] => (rows === null ? [] : Object.values(rows)), [rows]);
  // The link states come with the connectivity layer only: the communes of the province, or every commune for the nation's map.
  const linksScope = metric !== 'links' ? null : level === 'province' ? 'nation' : provinceCode ? `province:${provinceCode}` : null;
  const links = useApiQuery(linksScope ? ['connectivity', linksScope] : null, (s) => fetchConnectivity(linksScope!, s), { refetchMs: LINKS_REFRESH_MS });
  const data = useMemo(() => {
    if (metric !== 'links') return toMapData(rows ?? [], metric);
    if (level === 'commune') return linksToMapData(links.data);
    return provinceLinksToMapData(links.data, Object.fromEntries(rowList.map((r) => [r.unitCode, r.unitName])));
  }, [rows, rowList, metric, level, links.data]);
  const freshnessKnown = metric !== 'links' && rowList.some((r) => r.lastEventAt !== undefined);
  const scope = level === 'province' ? t('panel.provinces') : t('panel.communes');

  return (
    <section className="panel panel--map" aria-labelledby={headingId}>
      <div className="panel__head">
        <h2 id={headingId}>{level === 'province' ? t('panel.headingProvinces') : t('panel.headingCommunes')}</h2>
        <p className="panel__note">{t('panel.textAlternative')}</p>
      </div>
      <div className="map-panel__controls">
        <label htmlFor={metricId}>
          {t('panel.metric')}
          <select
            id={metricId}
            value={metric}
            onChange={(e) => {
              if (isMapLayer(e.target.value)) onMetric(e.target.value);
            }}
          >
            {groups.map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.options.map((o) => (
                  <option key={o.value} value={o.value} disabled={o.disabled}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        {metric !== 'links' && (
          <label>
            <input type="checkbox" checked={showSilent} onChange={(e) => setShowSilent(e.target.checked)} />
            {t('panel.showSilent')}
          </label>
        )}
      </div>
      <div className="map-panel__body">
        {styleUrl === undefined ? (
          <MapSkeleton text={t('state.loading')} />
        ) : (
          <MapBoundary
            fallback={(retry) => (
              <div className="choropleth" data-map-state="error">
                <div className="choropleth__frame">
                  <div className="choropleth__overlay choropleth__overlay--error" role="alert">
                    <p>{t('state.chunkFailed')}</p>
                    <button type="button" className="button button--secondary" onClick={retry}>
                      {t('state.reload')}
                    </button>
                  </div>
                </div>
              </div>
            )}
          >
            <Suspense fallback={<MapSkeleton text={t('state.loading')} />}>
              <LazyChoroplethMap
                level={level}
                provinceCode={provinceCode}
                metric={metric}
                data={data}
                selected={selected}
                onSelect={onSelect}
                showFreshness={showSilent && metric !== 'links'}
                theme={theme}
                styleUrl={styleUrl}
                label={t('panel.mapLabel', { metric: metricName(metric), scope })}
              />
            </Suspense>
          </MapBoundary>
        )}
        <MapLegend metric={metric} level={level} linkCounts={links.data?.counts} title={legendTitle(metric)} showFreshness={showSilent} freshnessKnown={freshnessKnown} theme={theme} />
        {metric !== 'links' && isIndexMetric(metric) && indexState?.loading && (
          <p className="map-panel__alt" role="status">
            {t('panel.indexLoading')}
          </p>
        )}
        {metric !== 'links' && isIndexMetric(metric) && indexState && indexState.error !== null && !indexState.loading && (
          <p className="map-panel__alt" role="alert">
            {t('panel.indexFailed', { reason: describeError(indexState.error) })}
          </p>
        )}
        {linksScope && links.error !== null && !links.data && (
          <p className="map-panel__alt" role="alert">
            {t('link.error', { reason: describeError(links.error) })}
          </p>
        )}
        {metric !== 'links' && rows !== null && rowList.length === 0 && <p className="map-panel__alt">{t('panel.noRows')}</p>}
      </div>
    </section>
  );
}
