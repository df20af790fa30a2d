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

/** A card's small line: no axes, no tooltip, gaps where there is no value. */
export function toSparklineOption(values: readonly (number | null)[], color: string): ChartOption {
  return {
    animation: false,
    grid: { left: 1, right: 1, top: 2, bottom: 2 },
    xAxis: { type: 'category', show: false, boundaryGap: false, data: values.map((_, i) => i) },
    yAxis: { type: 'value', show: false, min: (v: { min: number }) => Math.max(0, Math.floor(v.min - 2)), max: (v: { max: number }) => Math.min(100, Math.ceil(v.max + 2)) },
    tooltip: { show: false },
    series: [
      {
        type: 'line',
        data: values.map((v) => v ?? '-'),
        showSymbol: values.filter((v) => v !== null).length === 1,
        symbolSize: 4,
        connectNulls: false,
        lineStyle: { width: 1.5, color },
        itemStyle: { color },
        areaStyle: { opacity: 0.08, color },
      },
    ],
  };
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
        ? { markLine: { silent: true, symbol: 'none', label: { formatter: texts.targetOf(l.name), position: 'insideEndTop' as const }, lineStyle: { type: 'dashed' as const, color: l.color }, data: [{ yAxis: l.target }] } }
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
