import './map.css';
import { useTranslation } from 'react-i18next';
import { type LinkState, SILENT_AFTER_MINUTES } from '@ioc/shared';
import { formatCount } from '../../lib/format';
import { type MapLayer, isIndexMetric, legendClasses } from './choropleth';
import { formatSilence, legendLabel } from './format';
import { DOWN_SHARE_HIGH, downShareLegend, linkLegend } from './links';

interface Props {
  metric: MapLayer;
  /** The connectivity layer shows communes by state, or (nationally) provinces by their share of relayed communes down. */
  level?: 'province' | 'commune';
  /** On the connectivity layer: how many communes are in each state. */
  linkCounts?: Readonly<Record<LinkState, number>> | null;
  /** The metric's name, the legend's title. */
  title: string;
  showFreshness: boolean;
  silentAfterMinutes?: number;
  /** False when the figures carry no freshness, so the silent units cannot be told. */
  freshnessKnown?: boolean;
  theme?: 'light' | 'dark';
}

/** The map's classes with their ranges, no data, and (when shown) the silent units. */
export function MapLegend({ metric, level = 'commune', linkCounts = null, title, showFreshness, silentAfterMinutes = SILENT_AFTER_MINUTES, freshnessKnown = true, theme = 'light' }: Props) {
  const { t } = useTranslation('map');
  if (metric === 'links') return level === 'province' ? <DownShareLegend theme={theme} /> : <LinkLegend counts={linkCounts} theme={theme} />;
  const duration = formatSilence(silentAfterMinutes);
  return (
    <div className={`map-legend map-legend--${theme}`} data-legend-metric={metric}>
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
      {metric === 'index' && <p className="map-legend__note">{t('legend.indexNote')}</p>}
      {metric !== 'index' && isIndexMetric(metric) && <p className="map-legend__note">{t('legend.subIndicatorNote')}</p>}
      {showFreshness && !freshnessKnown && <p className="map-legend__note">{t('legend.noFreshness')}</p>}
    </div>
  );
}

/** The connectivity layer's categories (not a scale): up, degraded, down, and no heartbeat source, hatched. */
function LinkLegend({ counts, theme }: { counts: Readonly<Record<LinkState, number>> | null; theme: 'light' | 'dark' }) {
  const { t } = useTranslation('map');
  return (
    <div className={`map-legend map-legend--${theme} map-legend--links`} data-testid="link-legend">
      <p className="map-legend__title">{t('link.legendTitle')}</p>
      <ul className="map-legend__items">
        {linkLegend(counts).map((c) => {
          const label = t(`link.state.${c.state}`);
          return (
            <li key={c.state} className="map-legend__item" data-link-state={c.state}>
              {c.color ? (
                <span className="map-legend__swatch" style={{ background: c.color }} aria-hidden="true" />
              ) : (
                <span className="map-legend__swatch map-legend__swatch--nodata" aria-hidden="true" />
              )}
              {c.count === null ? label : t('link.count', { label, n: formatCount(c.count) })}
            </li>
          );
        })}
      </ul>
      <p className="map-legend__note">{t('link.legendNote')}</p>
    </div>
  );
}

/** The nation's connectivity layer: provinces by the share of their relayed communes that are down. */
function DownShareLegend({ theme }: { theme: 'light' | 'dark' }) {
  const { t } = useTranslation('map');
  const share = `${DOWN_SHARE_HIGH}%`;
  return (
    <div className={`map-legend map-legend--${theme} map-legend--links`} data-testid="link-legend">
      <p className="map-legend__title">{t('link.share.legendTitle')}</p>
      <ul className="map-legend__items">
        {downShareLegend().map((c) => (
          <li key={c.cls ?? 'none'} className="map-legend__item">
            {c.color ? (
              <span className="map-legend__swatch" style={{ background: c.color }} aria-hidden="true" />
            ) : (
              <span className="map-legend__swatch map-legend__swatch--nodata" aria-hidden="true" />
            )}
            {c.cls === null ? t('link.share.none') : t(`link.share.class${c.cls as 0 | 1 | 2}`, { share })}
          </li>
        ))}
      </ul>
      <p className="map-legend__note">{t('link.share.legendNote')}</p>
    </div>
  );
}
