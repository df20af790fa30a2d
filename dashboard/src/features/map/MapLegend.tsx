import './map.css';
import { useTranslation } from 'react-i18next';
import { type MapMetric, legendClasses } from './choropleth';
import { formatSilence, legendLabel } from './format';

interface Props {
  metric: MapMetric;
  /** The metric's name, the legend's title. */
  title: string;
  showFreshness: boolean;
  silentAfterMinutes?: number;
  /** False when the figures carry no freshness, so the silent units cannot be told. */
  freshnessKnown?: boolean;
  theme?: 'light' | 'dark';
}

/** The map's classes with their ranges, no data, and (when shown) the silent units. */
export function MapLegend({ metric, title, showFreshness, silentAfterMinutes = 120, freshnessKnown = true, theme = 'light' }: Props) {
  const { t } = useTranslation('map');
  const duration = formatSilence(silentAfterMinutes);
  return (
    <div className={`map-legend map-legend--${theme}`}>
      <p className="map-legend__title">{title}</p>
      <ul className="map-legend__items">
        {[...legendClasses(metric)].reverse().map((c) => (
          <li key={c.cls} className="map-legend__item">
            <span className="map-legend__swatch" style={{ background: c.color }} aria-hidden="true" />
            {legendLabel(metric, c)}
          </li>
        ))}
        <li className="map-legend__item">
          <span className="map-legend__swatch map-legend__swatch--nodata" aria-hidden="true" />
          {t('legend.noData')}
        </li>
        {showFreshness && freshnessKnown && (
          <li className="map-legend__item" title={t('legend.silentNote', { duration })}>
            <span className="map-legend__swatch map-legend__swatch--silent" aria-hidden="true" />
            {t('legend.silent', { duration })}
          </li>
        )}
      </ul>
      {showFreshness && !freshnessKnown && <p className="map-legend__note">{t('legend.noFreshness')}</p>}
    </div>
  );
}
