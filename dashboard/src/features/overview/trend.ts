import type { KpiId, KpiSet, SeriesPoint } from '@ioc/shared';
import type { ChartOption } from '../../lib/charts/echarts';

/** What a trend line or a card measures: a KPI (percent) or the index score (out of 100). */
export type Metric = KpiId | 'points';

export function metricValue(kpis: KpiSet, score: number | null, metric: Metric): number | null {
  if (metric === 'points') return score;
  return kpis[metric].value;
}

/** A metric's values along a series; null where the bucket had no denominator (a gap, never 0). */
export function seriesValues(points: readonly SeriesPoint[], metric: Metric): (number | null)[] {
  return points.map((p) => metricValue(p.kpis, p.index.score, metric));
}

/**
 * Change against the previous period, in percentage points (or index points),
 * rounded to 2 decimals; null when either side has no value.
 */
export function change(now: number | null, before: number | null): number | null {
  if (now === null || before === null) return null;
  return Math.round((now - before) * 100) / 100;
}

/**
 * A card's small line as SVG path data in a `width` × `height` box: no axes,
 * gaps where there is no value, the vertical range fitted to the values (within
 * 0–100, with a little room). A lone value between gaps is a dot (a zero-length
 * segment drawn with round caps).
 */
export function sparklinePath(values: readonly (number | null)[], width: number, height: number, pad = 2): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const min = Math.max(0, Math.floor(Math.min(...known) - 2));
  const max = Math.min(100, Math.ceil(Math.max(...known) + 2));
  const span = Math.max(max - min, 1);
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const r = (v: number) => Math.round(v * 10) / 10;
  let d = '';
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null) {
      drawing = false;
      return;
    }
    const x = r(values.length > 1 ? pad + i * step : width / 2);
    const y = r(pad + ((max - v) / span) * (height - 2 * pad));
    const next = values[i + 1];
    d += drawing ? `L${x},${y}` : `M${x},${y}`;
    if (!drawing && (next === null || next === undefined)) d += `L${x},${y}`;
    drawing = true;
  });
  return d;
}

export interface TrendLine {
  metric: Metric;
  name: string;
  color: string;
  /** A dashed line at the value that earns full index points. */
  target: number | null;
}

/**
 * The trend chart: one line per chosen metric over the series' buckets (hour,
 * day or month labels as given), 0–100 on the y-axis, gaps for buckets without
 * a value, targets as dashed lines, values formatted by `format` in the tooltip.
 */
export function toTrendOption(
  points: readonly SeriesPoint[],
  lines: readonly TrendLine[],
  labels: readonly string[],
  format: (v: number | null) => string,
  texts: { targetOf: (name: string) => string },
): ChartOption {
  return {
    animationDuration: 300,
    grid: { left: 44, right: 16, top: 36, bottom: 28 },
    legend: { top: 0, type: 'scroll', data: lines.map((l) => l.name) },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => format(typeof v === 'number' ? v : null),
    },
    xAxis: { type: 'category', boundaryGap: false, data: [...labels] },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: (v: number) => `${v}` } },
    series: lines.map((l) => ({
      type: 'line' as const,
      name: l.name,
      data: seriesValues(points, l.metric).map((v) => v ?? '-'),
      connectNulls: false,
      showSymbol: points.length <= 31,
      symbolSize: 5,
      lineStyle: { width: 2, color: l.color },
      itemStyle: { color: l.color },
      ...(l.target !== null && l.target < 100
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              label: { formatter: texts.targetOf(l.name), position: 'insideEndTop' as const },
              lineStyle: { type: 'dashed' as const, color: l.color },
              data: [{ yAxis: l.target }],
            },
          }
        : {}),
    })),
  };
}

/**
 * Colour-blind-safe categorical colours (Okabe–Ito), one per metric, used by
 * the cards' sparklines and the trend's lines alike.
 */
export const METRIC_COLORS: Readonly<Record<Metric, string>> = {
  points: '#000000',
  onTime: '#0072B2',
  online: '#E69F00',
  fullOnline: '#009E73',
  digitized: '#CC79A7',
  eResult: '#56B4E9',
  onlinePayment: '#D55E00',
  satisfaction: '#6B5B00',
};
