import { type IndexComponentId, type IndexV2SubIndicatorView, type IndexV2View, KPI_CATALOGUE, type KpiId, type ReportFigures, type ReportKind, type ReportedBy } from '@ioc/shared';
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
/** A sub-indicator of the national index (kpi-v2), exactly as `indexV2` of /kpis answers it. */
export interface IndexV2Row {
  id: string;
  name: string;
  /** `Sự kiện` (computed from dossier and feedback events) or `Đơn vị báo cáo` (reported per unit and month). */
  source: string;
  scored: boolean;
  unit: 'percent' | 'days';
  rate: number | null;
  numerator: number | null;
  denominator: number | null;
  /** "numerator/denominator", or each ratio of a difference (5.4: on time − complaint or dislike); "—" when none. */
  ratio: string;
  points: number | null;
  pmax: number;
  pointsLost: number | null;
  /** Share of dossiers carrying the optional attributes the rate is taken over (percent), null when all do by definition. */
  coverage: number | null;
  /** "chưa có số liệu", "không tính điểm", who reported the values, the coverage. */
  note: string;
  reported: ReportedBy[];
}
export interface IndexV2GroupRows {
  id: string;
  name: string;
  pmax: number;
  earned: number;
  available: number;
  pointsLost: number;
  missing: string[];
  rows: IndexV2Row[];
}
export interface IndexV2Content {
  version: string;
  earned: number;
  available: number;
  pointsLost: number;
  missing: string[];
  /** Pmax of the missing sub-indicators: neither earned nor lost. */
  missingPmax: number;
  /** The heading sentence: earned of available points, never rescaled. */
  summary: string;
  groups: IndexV2GroupRows[];
}
export interface RankRow {
  rank: number | null;
  unitCode: string;
  unitName: string;
  /** kpi-v2 points earned over the sub-indicators every ranked unit with data has (the ranked value). */
  points: number | null;
  /** Pmax of those sub-indicators. */
  commonPmax: number;
  /** The unit's own kpi-v2 index: earned of available. */
  earned: number | null;
  available: number | null;
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
  /** The national index (kpi-v2); null for figures archived before it. */
  indexV2: IndexV2Content | null;
  /** `basis`: what the ranking ranks by, in words. */
  ranking: { levelLabel: string; basis: string; rows: RankRow[] } | null;
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
  const r = f.rankings;
  const commonPmax = r?.commonPmax ?? 0;
  const ranking = r
    ? {
        levelLabel: r.level === 'province' ? 'tỉnh, thành phố' : 'xã, phường, đặc khu',
        basis: rankingBasis(r.commonSubIndicators ?? [], commonPmax),
        rows: r.entries.map((e) => ({
          rank: e.rank,
          unitCode: e.unitCode,
          unitName: e.unitName,
          points: e.value,
          commonPmax,
          earned: e.indexV2?.earned ?? null,
          available: e.indexV2?.available ?? null,
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
    indexV2: k.indexV2 ? indexV2Content(k.indexV2) : null,
    ranking,
    trend,
  };
}

export const SOURCE_VI = { events: 'Sự kiện', reported: 'Đơn vị báo cáo' } as const;
export const NO_DATA = 'chưa có số liệu';
export const NOT_SCORED = 'không tính điểm';

/** A rate as printed: percent, or days for 2.2. */
export function formatRate(rate: number | null, unit: 'percent' | 'days'): string {
  return rate === null ? '—' : unit === 'days' ? `${formatNumber(rate)} ngày` : formatPercent(rate);
}

function ratioOf(s: IndexV2SubIndicatorView): string {
  // 2.2's numerator is a sum of days (fractional).
  if (s.numerator !== null && s.denominator !== null) return `${s.unit === 'days' ? formatNumber(s.numerator) : formatCount(s.numerator)}/${formatCount(s.denominator)}`;
  if (s.parts.length === 0) return '—';
  return s.parts.map((x) => `${formatCount(x.numerator)}/${formatCount(x.denominator)}`).join(' − ');
}

function noteOf(s: IndexV2SubIndicatorView): string {
  const notes: string[] = [];
  if (!s.scored) notes.push(NOT_SCORED);
  if (s.rate === null) notes.push(NO_DATA);
  if (s.reported && s.reported.length > 0) {
    const by = [...new Set(s.reported.map((x) => x.reportedBy))].join(', ');
    const latest = s.reported.reduce((a, x) => (x.reportedAt > a ? x.reportedAt : a), '');
    notes.push(`báo cáo bởi ${by}, lúc ${formatDateTime(Date.parse(latest))}`);
  }
  if (s.rate !== null && s.coverage && s.coverage.value !== null && s.coverage.value < 100) notes.push(`tính trên ${formatPercent(s.coverage.value)} hồ sơ có thông tin`);
  return notes.join('; ');
}

export function indexV2Content(v: IndexV2View): IndexV2Content {
  const subs = v.groups.flatMap((g) => g.subIndicators);
  const missingPmax = v.missing.reduce((sum, id) => sum + (subs.find((s) => s.id === id)?.pmax ?? 0), 0);
  const summary =
    v.available === 0
      ? 'Chưa có chỉ tiêu thành phần nào có số liệu trong kỳ.'
      : `Đạt ${formatNumber(v.earned)} trên ${formatNumber(v.available)} điểm của các chỉ tiêu thành phần có số liệu; điểm mất: ${formatNumber(v.pointsLost)}.` +
        (v.missing.length > 0 ? ` Chưa có số liệu: ${v.missing.join(', ')} (${formatNumber(missingPmax)} điểm, không tính đạt hay mất).` : '');
  return {
    version: v.version,
    earned: v.earned,
    available: v.available,
    pointsLost: v.pointsLost,
    missing: v.missing,
    missingPmax,
    summary,
    groups: v.groups.map((g) => ({
      id: g.id,
      name: g.nameVi,
      pmax: g.pmax,
      earned: g.earned,
      available: g.available,
      pointsLost: g.pointsLost,
      missing: g.missing,
      rows: g.subIndicators.map((s) => ({
        id: s.id,
        name: s.nameVi,
        source: SOURCE_VI[s.source],
        scored: s.scored,
        unit: s.unit,
        rate: s.rate,
        numerator: s.numerator,
        denominator: s.denominator,
        ratio: ratioOf(s),
        points: s.points,
        pmax: s.pmax,
        pointsLost: s.pointsLost,
        coverage: s.coverage?.value ?? null,
        note: noteOf(s),
        reported: s.reported ?? [],
      })),
    })),
  };
}

/** What a ranking by=index ranks by, in words. */
export function rankingBasis(common: readonly string[], commonPmax: number): string {
  return common.length === 0
    ? 'Xếp hạng theo điểm chỉ số kpi-v2: chưa có chỉ tiêu thành phần nào mà mọi đơn vị có số liệu đều có.'
    : `Xếp hạng theo điểm chỉ số kpi-v2 đạt được trên các chỉ tiêu thành phần mà mọi đơn vị có số liệu đều có: ${common.join(', ')} ` +
        `(tối đa ${formatNumber(commonPmax)} điểm), để các đơn vị được so trên cùng một tập chỉ tiêu; đơn vị chưa có số liệu xếp cuối.`;
}

/** Cells as the PDF prints them. */
export const cell = {
  count: formatCount,
  percent: formatPercent,
  points: formatNumber,
  target: (t: number | null) => (t === null ? '—' : `≥ ${formatPercent(t)}`),
};
