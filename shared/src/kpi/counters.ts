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
  // kpi-v2 (contract v1.1)
  /** Seconds from receipt to completion, summed over the dossiers completed in the bucket (2.2). */
  'processingSeconds',
  /** Received whose receipt carried `reusedDigitizedData`, and of those, true (4.3). */
  'reuseKnown',
  'reusedDigitizedData',
  /** Received whose receipt carried `citizenDataUsed`, and of those, true (4.5b). */
  'citizenDataKnown',
  'citizenDataUsed',
  /** Received and synced to the national portal (1.4). */
  'synced',
  /** Received whose link to the citizen's data store is known, and of those, linked (4.4). */
  'citizenStoreKnown',
  'citizenStoreLinked',
  /** Completed with a complaint or a latest rating unsatisfied (5.4). */
  'resolvedDissatisfied',
  'ipDelta',
  'odDelta',
] as const;
export type RollupField = (typeof ROLLUP_FIELDS)[number];
export type RollupCounters = Record<RollupField, number>;

/** Attribute counters whose achievement may fall in a later bucket than their cohort. */
export const DEFERRED_FIELDS = ['digitized', 'paidOnline', 'eResult', 'complaints', 'synced', 'citizenStoreKnown', 'citizenStoreLinked', 'resolvedDissatisfied'] as const;
export type DeferredField = (typeof DEFERRED_FIELDS)[number];
export type DeferredCounters = Record<DeferredField, number>;

/** What a period query sums to: flows of the period plus stocks at its start and end. */
/** Rollup counters that are flows (summed over a period), as opposed to the stock deltas. */
export const FLOW_FIELDS = ROLLUP_FIELDS.filter((f): f is Exclude<RollupField, 'ipDelta' | 'odDelta'> => f !== 'ipDelta' && f !== 'odDelta');
export type FlowField = (typeof FLOW_FIELDS)[number];

/** Rollup counters added for kpi-v2 (contract v1.1): read only by what shows the national index. */
export const KPI_V2_ROLLUP_FIELDS = [
  'processingSeconds',
  'reuseKnown',
  'reusedDigitizedData',
  'citizenDataKnown',
  'citizenDataUsed',
  'synced',
  'citizenStoreKnown',
  'citizenStoreLinked',
  'resolvedDissatisfied',
] as const satisfies readonly RollupField[];
const V2_SET: ReadonlySet<string> = new Set(KPI_V2_ROLLUP_FIELDS);
/** The flow and deferred counters kpi-v1 figures read. */
export const FLOW_FIELDS_V1 = FLOW_FIELDS.filter((f) => !V2_SET.has(f));
export const DEFERRED_FIELDS_V1 = DEFERRED_FIELDS.filter((f) => !V2_SET.has(f));

export const PERIOD_FIELDS = [
  ...FLOW_FIELDS,
  'inProgress',
  'inProgressOverdue',
  'carriedOver',
  /** Of `received`, those at units whose sources had sent a `synced` event by the period end (1.4's denominator). */
  'syncTracked',
] as const;
export type PeriodField = (typeof PERIOD_FIELDS)[number];
export type PeriodCounters = Record<PeriodField, number>;

// Zeroed counters are copies of one template each: a ranking makes thousands of them.
const ZERO_ROLLUP = Object.freeze(Object.fromEntries(ROLLUP_FIELDS.map((k) => [k, 0])) as RollupCounters);
const ZERO_DEFERRED = Object.freeze(Object.fromEntries(DEFERRED_FIELDS.map((k) => [k, 0])) as DeferredCounters);
const ZERO_PERIOD = Object.freeze(Object.fromEntries(PERIOD_FIELDS.map((k) => [k, 0])) as PeriodCounters);

export function zeroRollup(): RollupCounters {
  return { ...ZERO_ROLLUP };
}
export function zeroDeferred(): DeferredCounters {
  return { ...ZERO_DEFERRED };
}
export function zeroPeriod(): PeriodCounters {
  return { ...ZERO_PERIOD };
}

/** snake_case column name of a counter. */
export function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
