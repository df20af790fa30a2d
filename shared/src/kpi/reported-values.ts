import { z } from 'zod';
import { INDEX_V2_SUB_INDICATORS, type ReportedSubIndicatorId } from './index-v2.js';

/**
 * Reported indicator values (ingest contract v1.1): the sub-indicators of the
 * national index that depend on the procedure catalogue the province keeps on the
 * national portal. An authorised source (a province- or nation-scoped ingest key)
 * reports one numerator and denominator per unit, month and sub-indicator to
 * `POST /api/v1/indicator-values`; a later report of the same unit, month and
 * sub-indicator replaces the earlier one.
 */
export const REPORTED_SUB_INDICATOR_IDS = INDEX_V2_SUB_INDICATORS.filter((d) => d.source === 'reported').map((d) => d.id) as ReportedSubIndicatorId[];
export const MAX_REPORTED_VALUES_PER_REQUEST = 1000;
/** Counts of procedures (or 1 for 4.c) a unit reports: far above any real catalogue. */
export const MAX_REPORTED_COUNT = 100_000;

const count = (field: string) =>
  z
    .int({ error: `${field} must be a whole number` })
    .min(0, { error: `${field} must not be negative` })
    .max(MAX_REPORTED_COUNT, { error: `${field} must be at most ${MAX_REPORTED_COUNT}` });

export const reportedValueSchema = z
  .strictObject({
    unitCode: z.string({ error: 'unitCode must be a string' }).regex(/^(\d{5}|\d{2})$/, { error: 'unitCode must be a 5-digit commune code or a 2-digit province code' }),
    month: z
      .string({ error: 'month must be a string' })
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'month must be YYYY-MM, e.g. 2026-05' })
      .refine((m) => m >= '2000-01', { error: 'month must not be before 2000-01' }),
    subIndicator: z.enum(REPORTED_SUB_INDICATOR_IDS as [ReportedSubIndicatorId, ...ReportedSubIndicatorId[]], {
      error: `subIndicator must be one of the reported sub-indicators: ${REPORTED_SUB_INDICATOR_IDS.join(', ')}`,
    }),
    numerator: count('numerator'),
    denominator: count('denominator'),
  })
  .refine((v) => v.numerator <= v.denominator, { error: 'numerator must not exceed denominator' })
  .refine((v) => v.subIndicator !== '4.c' || (v.denominator === 1 && v.numerator <= 1), {
    error: '4.c is reported as numerator 1 (the unit provides electronic certified copies) or 0 (it does not), with denominator 1',
  });
export type ReportedValueInput = z.infer<typeof reportedValueSchema>;

export interface ReportedValuesRequest {
  values: unknown[];
}

export interface ReportedValueResult {
  index: number;
  status: 'accepted' | 'rejected';
  /** accepted: whether it replaced an earlier report of the same unit, month and sub-indicator. */
  replaced?: boolean;
  reason?: string;
}
export interface ReportedValuesResponse {
  accepted: number;
  rejected: number;
  results: ReportedValueResult[];
}

/** A stored value, as listed by `GET /api/v1/indicator-values`. */
export interface ReportedValueRow {
  unitCode: string;
  unitName: string;
  /** YYYY-MM */
  month: string;
  subIndicator: ReportedSubIndicatorId;
  numerator: number;
  denominator: number;
  /** The ingest key (source) that reported it. */
  reportedBy: string;
  reportedAt: string;
}
export interface ReportedValuesList {
  scope: string;
  from: string;
  to: string;
  values: ReportedValueRow[];
}

export function describeReportedIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): string {
  return issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.join(', ')}`;
      const path = i.path.join('.');
      if (i.code === 'invalid_type' && path && (raw as Record<string, unknown>)[path] === undefined) return `${path} is required`;
      return i.message;
    })
    .join('; ');
}
