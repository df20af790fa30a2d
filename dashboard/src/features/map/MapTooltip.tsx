import { useTranslation } from 'react-i18next';
import { isSilent } from './choropleth';
import { formatLastEvent, formatSilence } from './format';

interface Props {
  id: string;
  /** Where it points, in the map canvas's pixels. */
  x: number;
  y: number;
  name: string;
  value: string;
  lastEventAt: string | null | undefined;
  silentAfterMinutes: number;
  showFreshness: boolean;
  now: number;
  hint: string | null;
  /** Open to the left / above the point, near the right / bottom edge of the map. */
  flipX?: boolean;
  flipY?: boolean;
}

/** A unit's name, value and freshness, next to the pointer or the unit chosen from the keyboard. */
export function MapTooltip({ id, x, y, name, value, lastEventAt, silentAfterMinutes, showFreshness, now, hint, flipX = false, flipY = false }: Props) {
  const { t } = useTranslation('map');
  const last = formatLastEvent(lastEventAt, now);
  const silent = isSilent(lastEventAt, now, silentAfterMinutes);
  return (
    <div id={id} className="choropleth__tooltip" role="tooltip" style={{ left: x, top: y, transform: `translate(${flipX ? 'calc(-100% - 12px)' : '12px'}, ${flipY ? 'calc(-100% - 12px)' : '12px'})` }}>
      <strong className="choropleth__tooltip-name">{name}</strong>
      <span className="choropleth__tooltip-value">{value}</span>
      {last && <span className="choropleth__tooltip-meta">{last}</span>}
      {silent && (showFreshness || lastEventAt === null) && (
        <span className="choropleth__tooltip-silent">
          <span className="choropleth__silent-mark" aria-hidden="true" />
          {lastEventAt === null ? t('tooltip.silent') : t('tooltip.silentFor', { duration: formatSilence(silentAfterMinutes) })}
        </span>
      )}
      {hint && <span className="choropleth__tooltip-hint">{hint}</span>}
    </div>
  );
}
