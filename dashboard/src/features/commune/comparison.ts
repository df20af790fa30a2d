import { KPI_CATALOGUE, type IndexPoints, type KpiId, type KpiSet, round2 } from '@ioc/shared';
import type { ChartOption } from '../../lib/charts/echarts';
import type { PeerMedians } from './peers';

/** What a comparison row measures: the index score (out of 100) or a KPI (percent). */
export type Metric = 'score' | KpiId;
export const METRICS: readonly Metric[] = ['score', ...KPI_CATALOGUE.map((d) => d.id)];

export interface UnitFiguresLike {
  kpis: KpiSet;
  index: IndexPoints;
}

export interface ComparisonRow {
  metric: Metric;
  commune: number | null;
  province: number | null;
  nation: number | null;
  /** The peer group's median. */
  peers: number | null;
  /** Commune minus the peers' median, in points; null when either is missing. */
  vsPeers: number | null;
  /** Where the index awards full points (null: no index component, or the score itself). */
  fullScoreAt: number | null;
}

function valueOf(f: UnitFiguresLike | null, metric: Metric): number | null {
  if (!f) return null;
  return metric === 'score' ? f.index.score : f.kpis[metric].value;
}

export function comparisonRows(commune: UnitFiguresLike | null, province: UnitFiguresLike | null, nation: UnitFiguresLike | null, peers: PeerMedians | null): ComparisonRow[] {
  return METRICS.map((metric) => {
    const c = valueOf(commune, metric);
    const p = peers ? (metric === 'score' ? peers.score : peers.kpis[metric]) : null;
    return {
      metric,
      commune: c,
      province: valueOf(province, metric),
      nation: valueOf(nation, metric),
      peers: p,
      vsPeers: c === null || p === null ? null : round2(c - p),
      fullScoreAt: metric === 'score' ? null : (KPI_CATALOGUE.find((d) => d.id === metric)?.fullScoreAt ?? null),
    };
  });
}

export interface ComparisonLabels {
  metric: (m: Metric) => string;
  commune: string;
  province: string;
  nation: string;
  peers: string;
  /** A value in the tooltip: "52,30" or "—". */
  format: (v: number | null) => string;
}

/** Distinct hues and lightness, so the bars stay apart in grey too; the table beside says the same in figures. */
export const COMPARISON_COLORS = { commune: '#0b57a4', province: '#7fb3e6', nation: '#9aa5b1', peers: '#d98c1f' } as const;

/**
 * Horizontal grouped bars, one group per metric (index score on top), one bar per
 * unit compared, 0–100; a missing value is a gap (`-`), never a zero bar.
 */
export function toComparisonOption(rows: readonly ComparisonRow[], l: ComparisonLabels): ChartOption {
  const keys = ['commune', 'province', 'nation', 'peers'] as const;
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 12 } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => l.format(typeof v === 'number' ? v : null),
    },
    xAxis: { type: 'value', min: 0, max: 100, splitNumber: 5, axisLabel: { fontSize: 11 } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => l.metric(r.metric)),
      axisLabel: { fontSize: 11, width: 150, overflow: 'truncate' },
      axisTick: { show: false },
    },
    series: keys.map((k) => ({
      type: 'bar' as const,
      name: l[k],
      data: rows.map((r) => r[k] ?? '-'),
      barMaxWidth: 7,
      barGap: '15%',
      itemStyle: { color: COMPARISON_COLORS[k] },
    })),
  };
}
