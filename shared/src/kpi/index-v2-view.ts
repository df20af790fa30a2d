import { PERIOD_FIELDS, type PeriodCounters } from './counters.js';
import {
  INDEX_V2_BY_ID,
  INDEX_V2_COUNT_FIELDS,
  INDEX_V2_GROUPS,
  INDEX_V2_MAX_POINTS,
  INDEX_V2_SUB_INDICATORS,
  INDEX_V2_VERSION,
  type CountRatioDefinition,
  type IndexMeasure,
  type IndexV2CountField,
  type IndexV2Counts,
  type IndexV2GroupId,
  type IndexV2Source,
  type ReportedSubIndicatorId,
  type ScoringRule,
  type SubIndicatorId,
} from './index-v2.js';
import { type AttributeCoverage, type CountRatio, computeIndexV2, sumIndexV2Counts } from './index-v2-score.js';
import { round2 } from './compute.js';
import type { IndexV2Totals } from '../api.js';

/**
 * The national index (`kpi-v2`) as the query API answers it, from the counts of a
 * scope and period: rollup counters (events) plus reported values.
 */

/** Seconds in a day, for 2.2 (mean processing days) from the rollups' processing seconds. */
const DAY_SECONDS = 86_400;

/** What sources beyond the dossier rollups add to a scope and period: distinct fee-bearing procedures, feedback, reported values. */
export type IndexV2Extra = Partial<IndexV2Counts>;

/** The index counts of a period from its rollup counters (kpi-v1 names mean the same), plus counts from elsewhere. */
export function indexV2CountsOf(p: PeriodCounters, extra: IndexV2Extra = {}): IndexV2Counts {
  return sumIndexV2Counts([
    {
      received: p.received,
      receivedOnline: p.receivedOnline,
      fullEligible: p.fullEligible,
      fullEligibleOnline: p.fullEligibleOnline,
      feeRequired: p.feeRequired,
      paidOnline: p.paidOnline,
      digitized: p.digitized,
      resolved: p.resolved,
      resolvedOnTime: p.resolvedOnTime,
      inProgress: p.inProgress,
      inProgressOverdue: p.inProgressOverdue,
      resultResolved: p.resultResolved,
      eResult: p.eResult,
      processingDays: p.processingSeconds / DAY_SECONDS,
      syncTracked: p.syncTracked,
      synced: p.synced,
      reuseKnown: p.reuseKnown,
      reusedDigitizedData: p.reusedDigitizedData,
      citizenStoreKnown: p.citizenStoreKnown,
      citizenStoreLinked: p.citizenStoreLinked,
      citizenDataKnown: p.citizenDataKnown,
      citizenDataUsed: p.citizenDataUsed,
      resolvedDissatisfied: p.resolvedDissatisfied,
    },
    extra,
  ]);
}

/** Who reported a reported sub-indicator's value, for one unit and month. */
export interface ReportedBy {
  unitCode: string;
  /** YYYY-MM */
  month: string;
  numerator: number;
  denominator: number;
  /** The source (API key) that reported it. */
  reportedBy: string;
  reportedAt: string;
}

export interface IndexV2SubIndicatorView {
  id: SubIndicatorId;
  nameVi: string;
  nameEn: string;
  source: IndexV2Source;
  scored: boolean;
  /** Maximum points (0: shown, not scored). */
  pmax: number;
  unit: 'percent' | 'days';
  /** Percent (days for 2.2), rounded to 2 decimals; null when there is no data. */
  rate: number | null;
  /** The summed counts behind the rate; null for 5.4, a difference of two rates (see parts). */
  numerator: number | null;
  denominator: number | null;
  /** Each ratio behind the rate (5.4: on-time, then complaint-or-dislike). */
  parts: CountRatio[];
  /** Share of dossiers carrying the optional attributes the rate is taken over; null when all do by definition. */
  coverage: AttributeCoverage | null;
  /** Rounded to 2 decimals; null when there is no data or it is not scored. */
  points: number | null;
  /** pmax − points; null when points are. */
  pointsLost: number | null;
  /** For reported sub-indicators: the values behind the figure, with who reported them and when (latest first, at most 20). */
  reported: ReportedBy[] | null;
}

export interface IndexV2GroupView {
  id: IndexV2GroupId;
  nameVi: string;
  nameEn: string;
  pmax: number;
  earned: number;
  available: number;
  pointsLost: number;
  /** Scored sub-indicators without data: neither earned nor lost. */
  missing: SubIndicatorId[];
  subIndicators: IndexV2SubIndicatorView[];
}

export interface IndexV2View {
  version: typeof INDEX_V2_VERSION;
  /** Points earned over the sub-indicators that have data: read as "earned of available", never rescaled. */
  earned: number;
  /** Pmax of the scored sub-indicators that have data. */
  available: number;
  pointsLost: number;
  /** What the index totals when every sub-indicator has data (100). */
  maxPoints: number;
  missing: SubIndicatorId[];
  groups: IndexV2GroupView[];
}

const REPORTED_LISTED = 20;

export function indexV2View(counts: IndexV2Counts, reported: ReadonlyMap<ReportedSubIndicatorId, ReportedBy[]> = new Map()): IndexV2View {
  const r = computeIndexV2(counts);
  const byId = new Map(r.subIndicators.map((s) => [s.id, s]));
  const groups = INDEX_V2_GROUPS.map((g): IndexV2GroupView => {
    const t = r.groups.find((x) => x.id === g.id)!;
    return {
      id: g.id,
      nameVi: g.nameVi,
      nameEn: g.nameEn,
      pmax: g.pmax,
      earned: t.earned,
      available: t.available,
      pointsLost: t.lost,
      missing: t.missing,
      subIndicators: INDEX_V2_SUB_INDICATORS.filter((d) => d.group === g.id).map((d): IndexV2SubIndicatorView => {
        const s = byId.get(d.id)!;
        const single = s.parts.length === 1 ? s.parts[0]! : null;
        return {
          id: d.id,
          nameVi: d.nameVi,
          nameEn: d.nameEn,
          source: d.source,
          scored: d.scored,
          pmax: d.pmax,
          unit: s.unit,
          rate: s.value,
          numerator: single ? single.numerator : null,
          denominator: single ? single.denominator : null,
          parts: s.parts,
          coverage: s.coverage,
          points: s.points,
          pointsLost: s.lost,
          reported: d.source === 'reported' ? (reported.get(d.id as ReportedSubIndicatorId) ?? []).slice(0, REPORTED_LISTED) : null,
        };
      }),
    };
  });
  return { version: r.version, earned: r.earned, available: r.available, pointsLost: r.lost, maxPoints: INDEX_V2_MAX_POINTS, missing: r.missing, groups };
}

/** A unit's index in a ranking: totals, and points per sub-indicator (null: no data). */
export interface IndexV2Summary {
  earned: number;
  available: number;
  missing: SubIndicatorId[];
  points: Partial<Record<SubIndicatorId, number | null>>;
}

export function indexV2Summary(counts: IndexV2Counts): IndexV2Summary {
  const r = computeIndexV2(counts);
  const points: Partial<Record<SubIndicatorId, number | null>> = {};
  for (const s of r.subIndicators) if (s.scored) points[s.id] = s.points;
  return { earned: r.earned, available: r.available, missing: r.missing, points };
}

/*
 * A ranking scores every unit of the nation (3,321 communes): the summary is then taken
 * from precompiled index arrays over a Float64Array of counts instead of the general
 * scorer's objects. index-v2-view.spec.ts checks both give the same on generated counts.
 */
const FIELD_INDEX = new Map<IndexV2CountField, number>(INDEX_V2_COUNT_FIELDS.map((f, i) => [f, i]));
interface CompiledRatio {
  np: number[];
  nm: number[];
  dp: number[];
  dm: number[];
}
const compileRatio = (r: CountRatioDefinition): CompiledRatio => ({
  np: r.numerator.plus.map((f) => FIELD_INDEX.get(f)!),
  nm: r.numerator.minus.map((f) => FIELD_INDEX.get(f)!),
  dp: r.denominator.plus.map((f) => FIELD_INDEX.get(f)!),
  dm: r.denominator.minus.map((f) => FIELD_INDEX.get(f)!),
});
const COMPILED = INDEX_V2_SUB_INDICATORS.filter((d) => d.scored).map((d) => {
  const m = d.measure as IndexMeasure;
  const rule = d.scoring as ScoringRule;
  return {
    id: d.id as SubIndicatorId,
    pmax: d.pmax,
    fullAt: rule.kind === 'fullAt' ? rule.threshold : 100,
    a: compileRatio(m.kind === 'percentDifference' ? m.minuend : m.ratio),
    b: m.kind === 'percentDifference' ? compileRatio(m.subtrahend) : null,
  };
});
/** Count fields that are rollup counters of the same name (kpi-v1 names and the v1.1 ones). */
const PERIOD_FIELD_SET: ReadonlySet<string> = new Set(PERIOD_FIELDS);
const SAME_NAME = INDEX_V2_COUNT_FIELDS.filter((f) => PERIOD_FIELD_SET.has(f)).map((f) => [FIELD_INDEX.get(f)!, f] as const);
const PROCESSING_DAYS = FIELD_INDEX.get('processingDays')!;

function sumAt(c: Float64Array, plus: number[], minus: number[]): number {
  let t = 0;
  for (let i = 0; i < plus.length; i++) t += c[plus[i]!]!;
  for (let i = 0; i < minus.length; i++) t -= c[minus[i]!]!;
  return t;
}
function percentAt(c: Float64Array, r: CompiledRatio): number | null {
  const d = sumAt(c, r.dp, r.dm);
  return d === 0 ? null : (sumAt(c, r.np, r.nm) * 100) / d;
}

/** Counts of the unit being scored: one array for every call (each fills it anew), not one allocation per unit. */
const SCRATCH = new Float64Array(INDEX_V2_COUNT_FIELDS.length);

/**
 * indexV2Summary(indexV2CountsOf(p, extra…)), fast: what a ranking computes for each of its units.
 * The extras (reported values, feedback…) add to the counts; fields left out count 0.
 */
export function indexV2SummaryOfPeriod(p: PeriodCounters, ...extras: (IndexV2Extra | undefined)[]): IndexV2Summary {
  const c = SCRATCH;
  c.fill(0);
  const row = p as unknown as Record<string, number | undefined>;
  for (const [i, f] of SAME_NAME) c[i] = row[f] ?? 0;
  c[PROCESSING_DAYS] = p.processingSeconds / DAY_SECONDS;
  for (const extra of extras) if (extra) for (const k in extra) c[FIELD_INDEX.get(k as IndexV2CountField)!]! += extra[k as IndexV2CountField] ?? 0;
  const points: Partial<Record<SubIndicatorId, number | null>> = {};
  const missing: SubIndicatorId[] = [];
  let earned = 0;
  let available = 0;
  for (const s of COMPILED) {
    let rate = percentAt(c, s.a);
    if (rate !== null && s.b !== null) {
      const sub = percentAt(c, s.b);
      rate = sub === null ? null : rate - sub;
    }
    if (rate === null) {
      points[s.id] = null;
      missing.push(s.id);
      continue;
    }
    const exact = s.pmax * Math.min(1, Math.max(0, rate) / s.fullAt);
    points[s.id] = round2(exact);
    earned += exact;
    available += s.pmax;
  }
  return { earned: round2(earned), available, missing, points };
}

/** A summary's totals as a series point carries them; null when no sub-indicator has data (no index, never 0). */
export function indexV2TotalsOf(s: IndexV2Summary): IndexV2Totals | null {
  if (s.available === 0) return null;
  // As indexV2View totals them: points lost from the rounded points earned.
  return { earned: s.earned, available: s.available, pointsLost: round2(s.available - s.earned), missing: s.missing };
}

/**
 * Rankings compare units on the same set of sub-indicators: those with data for every
 * unit that has any. Returns that set and each unit's points over it (null for a unit
 * with no data at all).
 */
export function commonIndexPoints(summaries: readonly IndexV2Summary[]): { common: SubIndicatorId[]; values: (number | null)[] } {
  // One pass over the units, dropping each sub-indicator some unit with data has no points for.
  const ok = SCORED_IDS.map(() => true);
  let withData = 0;
  for (const s of summaries) {
    if (s.available === 0) continue;
    withData++;
    for (let j = 0; j < SCORED_IDS.length; j++) if (ok[j] && (s.points[SCORED_IDS[j]!] ?? null) === null) ok[j] = false;
  }
  const common = withData === 0 ? [] : SCORED_IDS.filter((_, j) => ok[j]);
  const values = summaries.map((s) => {
    if (s.available === 0) return null;
    let total = 0;
    for (const id of common) total += s.points[id] ?? 0;
    return Math.round(total * 100) / 100;
  });
  return { common, values };
}
const SCORED_IDS: readonly SubIndicatorId[] = INDEX_V2_SUB_INDICATORS.filter((d) => d.scored).map((d) => d.id);

/** Pmax of a set of sub-indicators. */
export function pmaxOf(ids: readonly SubIndicatorId[]): number {
  return ids.reduce((sum, id) => sum + INDEX_V2_BY_ID[id].pmax, 0);
}
