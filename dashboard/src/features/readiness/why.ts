import { type CommuneReadiness, KPI_IDS, type KpiId, READINESS_FIELDS, type ReadinessField, type RankingEntry } from '@ioc/shared';

/** What the scatter's vertical axis shows: the index score or one KPI. */
export type YMeasure = 'index' | KpiId;
/** What its horizontal axis shows: the readiness score, one field of the profile, or the link over 30 days. */
export type XMeasure = 'score' | ReadinessField | 'upShare' | 'outageWorkingMinutes';

export const Y_MEASURES: readonly YMeasure[] = ['index', ...KPI_IDS];
export const X_MEASURES: readonly XMeasure[] = ['score', ...READINESS_FIELDS, 'upShare', 'outageWorkingMinutes'];

/** For these, more is worse: a readiness gap is a value above the median. */
const HIGHER_IS_WORSE: ReadonlySet<XMeasure> = new Set(['outageWorkingMinutes']);

export function yOf(e: RankingEntry, m: YMeasure): number | null {
  return m === 'index' ? e.index.score : e.kpis[m].value;
}

export function xOf(r: CommuneReadiness, m: XMeasure): number | null {
  if (m === 'score') return r.score;
  if (m === 'upShare') return r.link?.upShare ?? null;
  if (m === 'outageWorkingMinutes') return r.link ? r.link.outageWorkingMinutes : null;
  return r.current[m]?.value ?? null;
}

export interface WhyPoint {
  code: string;
  name: string;
  x: number;
  y: number;
}

export interface WhyAnalysis {
  points: WhyPoint[];
  /** Pearson's r over the points; null with fewer than 3 points or no spread. */
  r: number | null;
  xMedian: number | null;
  yMedian: number | null;
  /** Communes below the median on the KPI and on the wrong side of it on readiness, lowest KPI first. */
  gaps: WhyPoint[];
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function pearson(points: readonly { x: number; y: number }[]): number | null {
  const n = points.length;
  if (n < 3) return null;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
    syy += (p.y - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.round((sxy / Math.sqrt(sxx * syy)) * 100) / 100;
}

/** The communes with both figures, their association, and those where a KPI gap goes with a readiness gap. */
export function analyse(entries: readonly RankingEntry[], profiles: readonly CommuneReadiness[], y: YMeasure, x: XMeasure): WhyAnalysis {
  const byCode = new Map(profiles.map((p) => [p.communeCode, p]));
  const points: WhyPoint[] = [];
  for (const e of entries) {
    const p = byCode.get(e.unitCode);
    if (!p) continue;
    const yv = yOf(e, y);
    const xv = xOf(p, x);
    if (yv === null || xv === null) continue;
    points.push({ code: e.unitCode, name: e.unitName, x: xv, y: yv });
  }
  const xMedian = median(points.map((p) => p.x));
  const yMedian = median(points.map((p) => p.y));
  const worse = HIGHER_IS_WORSE.has(x);
  const gaps = xMedian === null || yMedian === null ? [] : points.filter((p) => p.y < yMedian && (worse ? p.x > xMedian : p.x < xMedian)).sort((a, b) => a.y - b.y || a.code.localeCompare(b.code));
  return { points, r: pearson(points), xMedian, yMedian, gaps };
}
