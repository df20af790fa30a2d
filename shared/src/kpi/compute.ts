import type { PeriodCounters } from './counters.js';
import { INDEX_COMPONENTS, type IndexComponentId, type KpiId } from './catalogue.js';

export interface RatioKpi {
  numerator: number;
  denominator: number;
  /** Percent rounded to 2 decimals; null when the denominator is 0. */
  value: number | null;
}
export interface SatisfactionKpi {
  value: number | null;
  overduePercent: number | null;
  complaintPercent: number | null;
  complaints: number;
  resolved: number;
}
export interface KpiSet {
  onTime: RatioKpi;
  online: RatioKpi;
  fullOnline: RatioKpi;
  digitized: RatioKpi;
  eResult: RatioKpi;
  onlinePayment: RatioKpi;
  satisfaction: SatisfactionKpi;
}
/** Biểu II.06a counts. */
export interface KpiCounts {
  received: number;
  receivedOnline: number;
  receivedDirect: number;
  receivedPostal: number;
  carriedOver: number;
  resolved: number;
  resolvedEarly: number;
  resolvedEarlyOrOnTime: number;
  resolvedLate: number;
  resolvedRejected: number;
  resolvedStopped: number;
  inProgress: number;
  inProgressWithinDeadline: number;
  inProgressOverdue: number;
}
export interface IndexComponentPoints {
  id: IndexComponentId;
  kpi: KpiId;
  maxPoints: number;
  /** null when the KPI has no value for the period. */
  points: number | null;
  lost: number | null;
}
export interface IndexPoints {
  /** Points earned over the computable components. */
  points: number;
  /** Maximum over the components that have a value. */
  maxPoints: number;
  /** points / maxPoints in percent (null when no component has a value); the ranking key. */
  score: number | null;
  components: IndexComponentPoints[];
}

export function round2(x: number): number {
  return Math.round(x * 100 + (x >= 0 ? 1e-9 : -1e-9)) / 100;
}

function ratio(numerator: number, denominator: number): RatioKpi {
  return { numerator, denominator, value: denominator === 0 ? null : round2((numerator * 100) / denominator) };
}

function rawPercent(n: number, d: number): number | null {
  return d === 0 ? null : (n * 100) / d;
}

export function computeKpis(p: PeriodCounters): { kpis: KpiSet; counts: KpiCounts } {
  const inProgressWithinDeadline = p.inProgress - p.inProgressOverdue;
  const onTimeNum = p.resolvedOnTime + inProgressWithinDeadline;
  const onTimeDen = p.resolved + p.inProgress;
  const onTimeRaw = rawPercent(onTimeNum, onTimeDen);
  const complaintRaw = rawPercent(p.complaints, p.resolved);
  const satisfactionRaw = onTimeRaw === null || complaintRaw === null ? null : 100 - (100 - onTimeRaw + complaintRaw);
  return {
    kpis: {
      onTime: ratio(onTimeNum, onTimeDen),
      online: ratio(p.receivedOnline, p.received),
      fullOnline: ratio(p.fullEligibleOnline, p.fullEligible),
      digitized: ratio(p.digitized, p.received),
      eResult: ratio(p.eResult, p.resultResolved),
      onlinePayment: ratio(p.paidOnline, p.feeRequired),
      satisfaction: {
        value: satisfactionRaw === null ? null : round2(satisfactionRaw),
        overduePercent: onTimeRaw === null ? null : round2(100 - onTimeRaw),
        complaintPercent: complaintRaw === null ? null : round2(complaintRaw),
        complaints: p.complaints,
        resolved: p.resolved,
      },
    },
    counts: {
      received: p.received,
      receivedOnline: p.receivedOnline,
      receivedDirect: p.received - p.receivedOnline - p.receivedPostal,
      receivedPostal: p.receivedPostal,
      carriedOver: p.carriedOver,
      resolved: p.resolved,
      resolvedEarly: p.resolvedEarly,
      resolvedEarlyOrOnTime: p.resolvedOnTime,
      resolvedLate: p.resolved - p.resolvedOnTime,
      resolvedRejected: p.resolvedRejected,
      resolvedStopped: p.resolvedStopped,
      inProgress: p.inProgress,
      inProgressWithinDeadline,
      inProgressOverdue: p.inProgressOverdue,
    },
  };
}

/** Unrounded percentage of a KPI, for scoring. */
function exactValue(p: PeriodCounters, kpi: KpiId): number | null {
  switch (kpi) {
    case 'onTime':
      return rawPercent(p.resolvedOnTime + p.inProgress - p.inProgressOverdue, p.resolved + p.inProgress);
    case 'online':
      return rawPercent(p.receivedOnline, p.received);
    case 'fullOnline':
      return rawPercent(p.fullEligibleOnline, p.fullEligible);
    case 'digitized':
      return rawPercent(p.digitized, p.received);
    case 'eResult':
      return rawPercent(p.eResult, p.resultResolved);
    case 'onlinePayment':
      return rawPercent(p.paidOnline, p.feeRequired);
    case 'satisfaction': {
      const onTime = exactValue(p, 'onTime');
      const complaint = rawPercent(p.complaints, p.resolved);
      return onTime === null || complaint === null ? null : onTime - complaint;
    }
  }
}

/** Index points per component and points lost, after the portal's observed scoring. */
export function computeIndexPoints(p: PeriodCounters): IndexPoints {
  let points = 0;
  let maxPoints = 0;
  const components = INDEX_COMPONENTS.map((c): IndexComponentPoints => {
    const v = exactValue(p, c.kpi);
    if (v === null) return { id: c.id, kpi: c.kpi, maxPoints: c.maxPoints, points: null, lost: null };
    const earned = c.maxPoints * Math.min(1, Math.max(0, v) / c.fullAt);
    points += earned;
    maxPoints += c.maxPoints;
    return { id: c.id, kpi: c.kpi, maxPoints: c.maxPoints, points: round2(earned), lost: round2(c.maxPoints - earned) };
  });
  return {
    points: round2(points),
    maxPoints,
    score: maxPoints === 0 ? null : round2((points * 100) / maxPoints),
    components,
  };
}
