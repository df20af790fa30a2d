import { type IndexComponentId, KPI_CATALOGUE, type KpiId, type ReportFigures, type ReportKind } from '@ioc/shared';
import { formatCount, formatDateTime, formatNumber, formatPercent, periodLabel } from './format.js';

/**
 * What a report says, as rows, from its archived figures alone: the PDF and the xlsx are
 * both drawn from this, so they cannot disagree with each other or with the figures.
 */

export const INDEX_COMPONENT_VI: Record<IndexComponentId, string> = {
  progress: 'Tiến độ giải quyết',
  online: 'Dịch vụ công trực tuyến',
  digitization: 'Số hóa hồ sơ',
  satisfaction: 'Mức độ hài lòng',
  payment: 'Thanh toán trực tuyến',
};

export const KIND_VI: Record<ReportKind, string> = { monthly: 'Báo cáo tháng', quarterly: 'Báo cáo quý', on_demand: 'Báo cáo theo yêu cầu' };

export const KPI_NAME_VI = Object.fromEntries(KPI_CATALOGUE.map((k) => [k.id, k.nameVi])) as Record<KpiId, string>;

export interface CountRow {
  label: string;
  value: number;
  /** Indented under the row before it (a breakdown). */
  sub: boolean;
}
export interface KpiRow {
  id: KpiId;
  name: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  /** The catalogue's level that earns full index points (null: not scored). */
  target: number | null;
  /** "Đạt", "Chưa đạt" or "—" (no value or no target). */
  verdict: string;
}
export interface IndexRow {
  name: string;
  kpiName: string;
  maxPoints: number;
  points: number | null;
  lost: number | null;
}
export interface RankRow {
  rank: number | null;
  unitCode: string;
  unitName: string;
  score: number | null;
  points: number;
  maxPoints: number;
  onTime: number | null;
  fullOnline: number | null;
  received: number;
}
export interface TrendRow {
  label: string;
  received: number;
  resolved: number;
  onTime: number | null;
  score: number | null;
}

export interface ReportContent {
  title: string;
  scopeName: string;
  kindLabel: string;
  periodLabel: string;
  generatedAt: string;
  freshness: string[];
  counts: CountRow[];
  kpis: KpiRow[];
  index: { score: number | null; points: number; maxPoints: number; rows: IndexRow[] };
  ranking: { levelLabel: string; rows: RankRow[] } | null;
  trend: { grainLabel: string; rows: TrendRow[] };
}

export function verdictOf(value: number | null, target: number | null): string {
  if (value === null || target === null) return '—';
  return value >= target ? 'Đạt' : 'Chưa đạt';
}

export function reportContent(f: ReportFigures, meta: { scopeName: string; kind: ReportKind; generatedAt: number }): ReportContent {
  const k = f.kpis;
  const c = k.counts;
  const p = k.projection;
  const freshness = [
    `Số liệu đúng tại thời điểm ${formatDateTime(Date.parse(k.asOf))} (cuối kỳ báo cáo), theo định nghĩa ${k.kpiVersion}.`,
    `Đã tổng hợp nhật ký sự kiện đến vị trí ${formatCount(p.watermark)}${p.projectedUpTo ? ` (sự kiện nhận lúc ${formatDateTime(Date.parse(p.projectedUpTo))})` : ''}; ` +
      (p.pendingEvents > 0 ? `còn khoảng ${formatCount(p.pendingEvents)} sự kiện chưa tổng hợp khi lập báo cáo.` : 'không còn sự kiện chờ tổng hợp khi lập báo cáo.'),
  ];
  if (k.loading) freshness.push(`Dữ liệu lịch sử các ngày ${k.loading.from} – ${k.loading.to} đang được nạp: số liệu của kỳ chưa đầy đủ.`);
  const onTimeOnly = c.resolvedEarlyOrOnTime - c.resolvedEarly;
  const counts: CountRow[] = [
    { label: 'Tổng số hồ sơ tiếp nhận trong kỳ', value: c.received, sub: false },
    { label: 'Trực tuyến', value: c.receivedOnline, sub: true },
    { label: 'Trực tiếp', value: c.receivedDirect, sub: true },
    { label: 'Qua bưu chính', value: c.receivedPostal, sub: true },
    { label: 'Kỳ trước chuyển sang', value: c.carriedOver, sub: false },
    { label: 'Đã giải quyết', value: c.resolved, sub: false },
    { label: 'Trước hạn', value: c.resolvedEarly, sub: true },
    { label: 'Đúng hạn', value: onTimeOnly, sub: true },
    { label: 'Quá hạn', value: c.resolvedLate, sub: true },
    { label: 'Đang giải quyết', value: c.inProgress, sub: false },
    { label: 'Trong hạn', value: c.inProgressWithinDeadline, sub: true },
    { label: 'Quá hạn', value: c.inProgressOverdue, sub: true },
  ];
  const kpis: KpiRow[] = KPI_CATALOGUE.map((d) => {
    const v = k.kpis[d.id];
    const ratio = 'numerator' in v ? v : null;
    return {
      id: d.id,
      name: d.nameVi,
      numerator: ratio ? ratio.numerator : null,
      denominator: ratio ? ratio.denominator : null,
      value: v.value,
      target: d.fullScoreAt,
      verdict: verdictOf(v.value, d.fullScoreAt),
    };
  });
  const index = {
    score: k.index.score,
    points: k.index.points,
    maxPoints: k.index.maxPoints,
    rows: k.index.components.map((x) => ({ name: INDEX_COMPONENT_VI[x.id], kpiName: KPI_NAME_VI[x.kpi], maxPoints: x.maxPoints, points: x.points, lost: x.lost })),
  };
  const ranking = f.rankings
    ? {
        levelLabel: f.rankings.level === 'province' ? 'tỉnh, thành phố' : 'xã, phường, đặc khu',
        rows: f.rankings.entries.map((e) => ({
          rank: e.rank,
          unitCode: e.unitCode,
          unitName: e.unitName,
          score: e.index.score,
          points: e.index.points,
          maxPoints: e.index.maxPoints,
          onTime: e.kpis.onTime.value,
          fullOnline: e.kpis.fullOnline.value,
          received: e.received,
        })),
      }
    : null;
  const trend = {
    grainLabel: f.trend.granularity === 'month' ? 'Tháng' : 'Ngày',
    rows: f.trend.points.map((pt) => ({ label: pt.label, received: pt.counts.received, resolved: pt.counts.resolved, onTime: pt.kpis.onTime.value, score: pt.index.score })),
  };
  return {
    title: 'BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH',
    scopeName: meta.scopeName,
    kindLabel: KIND_VI[meta.kind],
    periodLabel: periodLabel(k.from, k.to),
    generatedAt: formatDateTime(meta.generatedAt),
    freshness,
    counts,
    kpis,
    index,
    ranking,
    trend,
  };
}

/** Cells as the PDF prints them. */
export const cell = {
  count: formatCount,
  percent: formatPercent,
  points: formatNumber,
  target: (t: number | null) => (t === null ? '—' : `≥ ${formatPercent(t)}`),
};
