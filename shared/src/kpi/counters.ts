/**
 * Additive counters kept per unit and time bucket. Every KPI is a ratio of sums
 * of these, so any scope and any period is a sum of rows.
 */
export const ROLLUP_FIELDS = [
  'received',
  'receivedOnline',
  'receivedPostal',
  'fullEligible',
  'fullEligibleOnline',
  'feeRequired',
  'digitized',
  'paidOnline',
  'resolved',
  'resolvedOnTime',
  'resolvedEarly',
  'resolvedRejected',
  'resolvedStopped',
  'resultResolved',
  'eResult',
  'complaints',
  'ipDelta',
  'odDelta',
] as const;
export type RollupField = (typeof ROLLUP_FIELDS)[number];
export type RollupCounters = Record<RollupField, number>;

/** Attribute counters whose achievement may fall in a later bucket than their cohort. */
export const DEFERRED_FIELDS = ['digitized', 'paidOnline', 'eResult', 'complaints'] as const;
export type DeferredField = (typeof DEFERRED_FIELDS)[number];
export type DeferredCounters = Record<DeferredField, number>;

/** What a period query sums to: flows of the period plus stocks at its start and end. */
/** Rollup counters that are flows (summed over a period), as opposed to the stock deltas. */
export const FLOW_FIELDS = ROLLUP_FIELDS.filter((f): f is Exclude<RollupField, 'ipDelta' | 'odDelta'> => f !== 'ipDelta' && f !== 'odDelta');
export type FlowField = (typeof FLOW_FIELDS)[number];

export const PERIOD_FIELDS = [
  ...FLOW_FIELDS,
  'inProgress',
  'inProgressOverdue',
  'carriedOver',
] as const;
export type PeriodField = (typeof PERIOD_FIELDS)[number];
export type PeriodCounters = Record<PeriodField, number>;

export function zeroRollup(): RollupCounters {
  return Object.fromEntries(ROLLUP_FIELDS.map((k) => [k, 0])) as RollupCounters;
}
export function zeroDeferred(): DeferredCounters {
  return Object.fromEntries(DEFERRED_FIELDS.map((k) => [k, 0])) as DeferredCounters;
}
export function zeroPeriod(): PeriodCounters {
  return Object.fromEntries(PERIOD_FIELDS.map((k) => [k, 0])) as PeriodCounters;
}

/** snake_case column name of a counter. */
export function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
