import { hashString, mix, Rng } from './random.js';

const { floor, min, round } = Math;

// Reported indicator values (contract v1.1): the catalogue sub-indicators a province keeps on the national portal.

/** Provinces whose catalogue team reports every month; the others never do, so "no data" shows for them. */
export const DEMO_REPORTING_PROVINCES = ['01', '22', '48', '79', '92'] as const;

export interface DemoReportedValue {
  unitCode: string;
  /** YYYY-MM */
  month: string;
  subIndicator: '1.1' | '1.2' | '1.3' | '3.5a' | '4.c' | '4.5a';
  numerator: number;
  denominator: number;
}

/**
 * What a reporting province sends for a month: its procedure catalogue figures (1.1, 1.2,
 * 1.3, 3.5a, 4.5a, for the province itself) and, for each of its communes, whether it
 * provides electronic certified copies (4.c). Pure: the same seed, province and month give
 * the same values; empty for a province that does not report.
 */
export function demoReportedValues(seed: number, provinceCode: string, month: string, communeCodes: readonly string[]): DemoReportedValue[] {
  if (!(DEMO_REPORTING_PROVINCES as readonly string[]).includes(provinceCode)) return [];
  const rng = new Rng().seed(mix(mix(seed >>> 0, hashString(provinceCode)), hashString(month)));
  const pair = (subIndicator: DemoReportedValue['subIndicator'], lo: number, hi: number, rateLo: number, rateHi: number): DemoReportedValue => {
    const denominator = floor(rng.range(lo, hi));
    return { unitCode: provinceCode, month, subIndicator, numerator: min(denominator, round(denominator * rng.range(rateLo, rateHi))), denominator };
  };
  const out = [pair('1.1', 15, 60, 0.85, 1), pair('1.2', 30, 90, 0.8, 1), pair('1.3', 120, 320, 0.9, 1), pair('3.5a', 80, 160, 0.7, 0.98), pair('4.5a', 100, 220, 0.55, 0.92)];
  // Electronic certified copies: most communes of a reporting province, more as the months pass.
  const unitRng = new Rng();
  for (const c of communeCodes) {
    const provides = unitRng.seed(mix(hashString(c), seed >>> 0)).next() < 0.6 + 0.03 * (Number(month.slice(5, 7)) % 12);
    out.push({ unitCode: c, month, subIndicator: '4.c', numerator: provides ? 1 : 0, denominator: 1 });
  }
  return out;
}
