import { Suspense, lazy, useMemo } from 'react';
import { toSparklineOption } from './trend';

const EChart = lazy(() => import('../../lib/charts/EChart').then((m) => ({ default: m.EChart })));

/** A card's small trend; decorative (the card's text and the trend chart carry the figures). */
export function Sparkline({ values, color, label }: { values: readonly (number | null)[]; color: string; label: string }) {
  const option = useMemo(() => toSparklineOption(values, color), [values, color]);
  if (values.every((v) => v === null)) return <div className="sparkline sparkline--empty" aria-hidden="true" />;
  return (
    <div className="sparkline" aria-hidden="true">
      <Suspense fallback={null}>
        <EChart option={option} label={label} height={36} className="sparkline__chart" />
      </Suspense>
    </div>
  );
}
