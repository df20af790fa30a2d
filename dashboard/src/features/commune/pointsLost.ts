import { INDEX_COMPONENTS, type IndexComponentId, type IndexPoints, type KpiId, type KpiSet, round2 } from '@ioc/shared';
import { formatCount, formatDecimal, formatPercent } from '../../lib/format';
import { type KeysUnder, textsOf } from '../../i18n/keys';

export interface PointsLostItem {
  component: IndexComponentId;
  kpi: KpiId;
  maxPoints: number;
  /** Null when the KPI has no value in the period (no dossier to compute it from). */
  points: number | null;
  lost: number | null;
  /** The KPI's value now, percent. */
  value: number | null;
  /** The value that earns full points, percent (catalogue `fullScoreAt`). */
  fullAt: number;
  /** Index points one more percentage point of the KPI earns, below full points. */
  pointsPerPercent: number;
  /**
   * Dossiers missing to reach full points at the period's denominator:
   * for on-time processing, the dossiers late; null where the KPI is not a ratio of dossiers.
   */
  shortfall: number | null;
}

function shortfallOf(kpis: KpiSet, kpi: KpiId, fullAt: number): number | null {
  if (kpi === 'satisfaction') return null;
  const r = kpis[kpi];
  if (r.denominator === 0) return null;
  return Math.max(0, Math.ceil((fullAt * r.denominator) / 100 - r.numerator - 1e-9));
}

/** The index components, the costliest first; those without a value last, then by weight. */
export function pointsLostItems(index: IndexPoints, kpis: KpiSet): PointsLostItem[] {
  const items = INDEX_COMPONENTS.map((c): PointsLostItem => {
    const got = index.components.find((x) => x.id === c.id);
    return {
      component: c.id,
      kpi: c.kpi,
      maxPoints: c.maxPoints,
      points: got?.points ?? null,
      lost: got?.lost ?? null,
      value: kpis[c.kpi].value,
      fullAt: c.fullAt,
      pointsPerPercent: round2(c.maxPoints / c.fullAt),
      shortfall: got?.lost === null || got?.lost === undefined ? null : shortfallOf(kpis, c.kpi, c.fullAt),
    };
  });
  return items.sort((a, b) => {
    if (a.lost === null || b.lost === null) return a.lost === b.lost ? b.maxPoints - a.maxPoints : a.lost === null ? 1 : -1;
    return b.lost - a.lost || b.maxPoints - a.maxPoints;
  });
}

/** Points lost in the whole index: the sum over components with a value. */
export function totalLost(items: readonly PointsLostItem[]): number {
  return round2(items.reduce((s, i) => s + (i.lost ?? 0), 0));
}

const whole = (n: number) => `${n}%`;

/** What a KPI needs for full points; KPIs outside the index have no such text. */
const NEED_KEYS: Partial<Record<KpiId, KeysUnder<'commune', 'lost.need'>>> = {
  onTime: 'onTime',
  fullOnline: 'fullOnline',
  digitized: 'digitized',
  satisfaction: 'satisfaction',
  onlinePayment: 'onlinePayment',
};

function needText(item: PointsLostItem): string {
  const key = NEED_KEYS[item.kpi];
  return key ? textsOf('commune')(`lost.need.${key}`, { target: whole(item.fullAt) }) : '';
}

/** "Mất 3,20 điểm — cần ≥ 50% hồ sơ trực tuyến toàn trình"; "Đủ điểm"; "Chưa có hồ sơ để tính". */
export function pointsLostText(item: PointsLostItem): string {
  const tt = textsOf('commune');
  if (item.lost === null) return tt('lost.noValue');
  if (item.lost <= 0) return tt('lost.full', { target: whole(item.fullAt) });
  const need = needText(item);
  return need ? `${tt('lost.lost', { points: formatDecimal(item.lost) })} — ${need}` : tt('lost.lost', { points: formatDecimal(item.lost) });
}

/** What moves it: "hiện 38,20% · còn thiếu 4 hồ sơ · mỗi 1% tăng thêm được 0,24 điểm"; empty without a value. */
export function pointsLostDetail(item: PointsLostItem): string {
  const tt = textsOf('commune');
  const parts = item.value === null ? [] : [tt('lost.now', { value: formatPercent(item.value) })];
  if (item.lost !== null && item.lost > 0) {
    if (item.shortfall !== null && item.shortfall > 0) {
      parts.push(tt(item.kpi === 'onTime' ? 'lost.late' : 'lost.short', { count: item.shortfall, n: formatCount(item.shortfall) }));
    }
    parts.push(tt('lost.perPercent', { points: formatDecimal(item.pointsPerPercent) }));
  }
  return parts.join(' · ');
}
