import { useMemo } from 'react';
import { sparklinePath } from './trend';

const WIDTH = 120;
const HEIGHT = 36;

/**
 * A card's small trend, drawn as SVG (no chart library on the first screen);
 * decorative: the card's text and the trend chart carry the figures.
 */
export function Sparkline({ values, color }: { values: readonly (number | null)[]; color: string; label?: string }) {
  const d = useMemo(() => sparklinePath(values, WIDTH, HEIGHT), [values]);
  if (d === '') return <div className="sparkline sparkline--empty" aria-hidden="true" />;
  return (
    <div className="sparkline" aria-hidden="true">
      <svg className="sparkline__chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" width="100%" height={HEIGHT} focusable="false">
        <path d={d} fill="none" stroke={color} strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round" vectorEffect="non-scaling-stroke" />
      </svg>
    </div>
  );
}
