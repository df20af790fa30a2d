import { round2 } from './compute.js';
import {
  INDEX_V2_BY_ID,
  INDEX_V2_COUNT_FIELDS,
  INDEX_V2_GROUPS,
  INDEX_V2_SUB_INDICATORS,
  INDEX_V2_VERSION,
  type CountRatioDefinition,
  type CountSum,
  type IndexV2Counts,
  type IndexV2GroupId,
  type ReportedSubIndicatorId,
  type ScoringRule,
  type SubIndicator,
  type SubIndicatorId,
} from './index-v2.js';

/**
 * Scoring of the national index (`kpi-v2`) from summed counts. Pure: the caller
 * sums the counts of a scope and period; every rate here is a ratio of those sums.
 */

export function zeroIndexV2Counts(): IndexV2Counts {
  return Object.fromEntries(INDEX_V2_COUNT_FIELDS.map((k) => [k, 0])) as IndexV2Counts;
}

/** Counts of a scope from its parts (units, or months of a reported series); fields left out count 0. */
export function sumIndexV2Counts(rows: Iterable<Partial<IndexV2Counts>>): IndexV2Counts {
  const total = zeroIndexV2Counts();
  for (const row of rows) for (const k of INDEX_V2_COUNT_FIELDS) total[k] += row[k] ?? 0;
  return total;
}

/** One reported value: numerator and denominator of a reported sub-indicator for a unit and month. */
export interface ReportedValue {
  id: ReportedSubIndicatorId;
  numerator: number;
  denominator: number;
}

/** Places reported values in the count fields their sub-indicators read, summing repeats. */
export function countsFromReported(values: Iterable<ReportedValue>): Partial<IndexV2Counts> {
  const counts: Partial<IndexV2Counts> = {};
  for (const v of values) {
    const measure = INDEX_V2_BY_ID[v.id].measure;
    // Reported sub-indicators are single-field ratios: the reporter sends exactly those two counts.
    if (measure.kind !== 'percent') throw new Error(`sub-indicator ${v.id} is not a reported ratio`);
    const [n] = measure.ratio.numerator.plus;
    const [d] = measure.ratio.denominator.plus;
    if (n === undefined || d === undefined) throw new Error(`sub-indicator ${v.id} names no reported counts`);
    counts[n] = (counts[n] ?? 0) + v.numerator;
    counts[d] = (counts[d] ?? 0) + v.denominator;
  }
  return counts;
}

/** numerator ÷ denominator in percent, unrounded; null (no data) when the denominator is 0, never 0. */
export function percentOf(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : (numerator * 100) / denominator;
}

function sumOf(s: CountSum, c: IndexV2Counts): number {
  let total = 0;
  for (const f of s.plus) total += c[f];
  for (const f of s.minus) total -= c[f];
  return total;
}

export interface CountRatio {
  numerator: number;
  denominator: number;
}

function countRatio(r: CountRatioDefinition, c: IndexV2Counts): CountRatio {
  return { numerator: sumOf(r.numerator, c), denominator: sumOf(r.denominator, c) };
}

export interface SubIndicatorRate {
  unit: 'percent' | 'days';
  /** Unrounded value, what points are scored from; null when there is no data. */
  exact: number | null;
  /** Rounded to 2 decimals for display; null when there is no data. */
  value: number | null;
  /** The summed counts behind the value: one ratio, or the minuend and subtrahend of a difference. */
  parts: CountRatio[];
}

/** The value of a sub-indicator from the counts of a scope and period. */
export function subIndicatorRate(def: SubIndicator, counts: IndexV2Counts): SubIndicatorRate {
  const m = def.measure;
  let unit: SubIndicatorRate['unit'] = 'percent';
  let exact: number | null;
  let parts: CountRatio[];
  switch (m.kind) {
    case 'percent': {
      const r = countRatio(m.ratio, counts);
      exact = percentOf(r.numerator, r.denominator);
      parts = [r];
      break;
    }
    case 'meanDays': {
      const r = countRatio(m.ratio, counts);
      unit = 'days';
      exact = r.denominator === 0 ? null : r.numerator / r.denominator;
      parts = [r];
      break;
    }
    case 'percentDifference': {
      const a = countRatio(m.minuend, counts);
      const b = countRatio(m.subtrahend, counts);
      const pa = percentOf(a.numerator, a.denominator);
      const pb = percentOf(b.numerator, b.denominator);
      exact = pa === null || pb === null ? null : pa - pb;
      parts = [a, b];
      break;
    }
  }
  return { unit, exact, value: exact === null ? null : round2(exact), parts };
}

export interface AttributeCoverage {
  attributes: readonly string[];
  /** Dossiers that carry the attributes: the rate is taken over these. */
  known: number;
  total: number;
  /** known ÷ total in percent, rounded to 2 decimals; null when there is no dossier. */
  value: number | null;
}

export function subIndicatorCoverage(def: SubIndicator, counts: IndexV2Counts): AttributeCoverage | null {
  const c = def.coverage;
  if (c === null) return null;
  const known = counts[c.known];
  const total = counts[c.total];
  const p = percentOf(known, total);
  return { attributes: c.attributes, known, total, value: p === null ? null : round2(p) };
}

/**
 * Points from a rate by a scoring rule, unrounded. No data (null rate) earns nothing and
 * costs nothing: null. A sub-indicator that is not scored has no points either.
 */
export function pointsFor(rule: ScoringRule, pmax: number, rate: number | null): number | null {
  if (rate === null || rule.kind === 'none') return null;
  const fullAt = rule.kind === 'linear' ? 100 : rule.threshold;
  return pmax * Math.min(1, Math.max(0, rate) / fullAt);
}

/**
 * An attribute value a source may leave out: undefined is unknown, not false.
 * Three-valued "or" for a sub-indicator met by either of two attributes (4.4): any true
 * is true, all false is false, otherwise unknown.
 */
export function triOr(...values: readonly (boolean | undefined)[]): boolean | undefined {
  if (values.some((v) => v === true)) return true;
  return values.every((v) => v === false) ? false : undefined;
}

/** How the values of an attribute over some dossiers enter a rate: unknown ones are left out of both sides. */
export function tallyAttribute(values: Iterable<boolean | undefined>): { yes: number; known: number; total: number } {
  let yes = 0;
  let known = 0;
  let total = 0;
  for (const v of values) {
    total++;
    if (v === undefined) continue;
    known++;
    if (v) yes++;
  }
  return { yes, known, total };
}

export interface SubIndicatorScore extends SubIndicatorRate {
  id: SubIndicatorId;
  group: IndexV2GroupId;
  pmax: number;
  scored: boolean;
  coverage: AttributeCoverage | null;
  /** Rounded to 2 decimals; null when there is no data or the sub-indicator is not scored. */
  points: number | null;
  /** Pmax − points, what can still be won; null when points are. */
  lost: number | null;
}

export interface IndexV2GroupTotal {
  id: IndexV2GroupId;
  pmax: number;
  /** Points earned over the sub-indicators that have data. */
  earned: number;
  /** Pmax of the scored sub-indicators that have data. */
  available: number;
  lost: number;
  /** Scored sub-indicators without data: their points are neither earned nor lost. */
  missing: SubIndicatorId[];
}

export interface IndexV2Result {
  version: typeof INDEX_V2_VERSION;
  /** Earned of available: never rescaled to 100. */
  earned: number;
  available: number;
  lost: number;
  missing: SubIndicatorId[];
  groups: IndexV2GroupTotal[];
  subIndicators: SubIndicatorScore[];
}

function scoreExact(def: SubIndicator, counts: IndexV2Counts): { score: SubIndicatorScore; points: number | null } {
  const rate = subIndicatorRate(def, counts);
  const points = pointsFor(def.scoring, def.pmax, rate.exact);
  return {
    points,
    score: {
      id: def.id,
      group: def.group,
      pmax: def.pmax,
      scored: def.scored,
      ...rate,
      coverage: subIndicatorCoverage(def, counts),
      points: points === null ? null : round2(points),
      // From the rounded points, so the two shown always add up to Pmax.
      lost: points === null ? null : round2(def.pmax - round2(points)),
    },
  };
}

export function scoreSubIndicator(def: SubIndicator, counts: IndexV2Counts): SubIndicatorScore {
  return scoreExact(def, counts).score;
}

/** The index of a scope and period: every sub-indicator on its own, then totals per group and overall. */
export function computeIndexV2(counts: IndexV2Counts): IndexV2Result {
  const scored = INDEX_V2_SUB_INDICATORS.map((def) => ({ def, ...scoreExact(def, counts) }));
  const totals = (rows: typeof scored) => {
    let earned = 0;
    let available = 0;
    const missing: SubIndicatorId[] = [];
    for (const r of rows) {
      if (!r.def.scored) continue;
      if (r.points === null) missing.push(r.def.id);
      else {
        earned += r.points;
        available += r.def.pmax;
      }
    }
    // Totals add unrounded points so they do not drift from the sum of exact parts.
    return { earned: round2(earned), available, lost: round2(available - round2(earned)), missing };
  };
  return {
    version: INDEX_V2_VERSION,
    ...totals(scored),
    groups: INDEX_V2_GROUPS.map((g) => ({ id: g.id, pmax: g.pmax, ...totals(scored.filter((r) => r.def.group === g.id)) })),
    subIndicators: scored.map((r) => r.score),
  };
}
