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
  /** More lines under the value (a link's since, last heartbeat and backlog). */
  details?: readonly string[];
  lastEventAt: string | null | undefined;
  silentAfterMinutes: number;
  showFreshness: boolean;
  now: number;
  hint: string | null;
  /** The map's width: near its right edge the tooltip opens to the left, and never wider than the side it opens on. */
  width?: number | null;
  /** Open above the point, near the bottom edge of the map. */
  flipY?: boolean;
}

/** A unit's name, value and freshness, next to the pointer or the unit chosen from the keyboard. */
export function MapTooltip({ id, x, y, name, value, details = [], lastEventAt, silentAfterMinutes, showFreshness, now, hint, width = null, flipY = false }: Props) {
  const { t } = useTranslation('map');
  const last = formatLastEvent(lastEventAt, now);
  const silent = isSilent(lastEventAt, now, silentAfterMinutes);
  const flipX = width !== null && x > width - 240 && x > width / 2;
  const room = width === null ? undefined : Math.max(160, (flipX ? x : width - x) - 20);
  return (
    <div
      id={id}
      className="choropleth__tooltip"
      role="tooltip"
      style={{ left: x, top: y, maxWidth: room, transform: `translate(${flipX ? 'calc(-100% - 12px)' : '12px'}, ${flipY ? 'calc(-100% - 12px)' : '12px'})` }}
    >
      <strong className="choropleth__tooltip-name">{name}</strong>
      <span className="choropleth__tooltip-value">{value}</span>
      {details.map((d) => (
        <span key={d} className="choropleth__tooltip-meta">
          {d}
        </span>
      ))}
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
