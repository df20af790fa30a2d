import type { Channel } from '../events.js';
import type { LocalDate } from '../time.js';

/**
 * REST contract of `/api/v1/dossiers` (dossier-level data: the `dossiers`
 * permission) and `/api/v1/kpis/projection` (the `figures` permission).
 */

/** `due_soon`: in progress, not yet overdue, overdue within the window; `overdue`: in progress and already overdue. */
export const DOSSIER_STATES = ['due_soon', 'overdue'] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];

/** Default and largest look-ahead of `due_soon`, in hours. */
export const DEFAULT_DUE_WITHIN_HOURS = 48;
export const MAX_DUE_WITHIN_HOURS = 24 * 31;

export interface DossierToAct {
  dossierId: string;
  /** Handling unit (5-digit commune or 2-digit province) and its name. */
  unitCode: string;
  unitName: string;
  procedureCode: string;
  sector: string;
  channel: Channel;
  receivedAt: string;
  /** The appointment as sent by the source system (ISO). */
  dueAt: string;
  /** When the dossier is (or was) overdue, supplement pauses included (ISO). */
  overdueAt: string;
  state: DossierState;
  /** Hours from `asOf` to `overdueAt`; negative once overdue. */
  hoursLeft: number;
}

export interface DossierListResponse {
  /** `province:<code>` or `commune:<code>`; `nation` is refused (400) as too broad. */
  scope: string;
  /** The instant states and `hoursLeft` are measured at. */
  asOf: string;
  dueWithinHours: number;
  /** Dossiers in each state in the scope (all of them, not only this page). */
  totals: Record<DossierState, number>;
  /** Dossiers in the states asked for: the items of every page. */
  total: number;
  page: number;
  pageSize: number;
  /** Most urgent first: the least time left (the longest overdue first among overdue ones). */
  items: DossierToAct[];
}

/**
 * Where the on-time rate of the current month ends up from the known backlog,
 * counting no dossier that has not been received yet. Rates are percent,
 * null when the denominator is 0.
 */
export interface MonthProjection {
  scope: string;
  /** `YYYY-MM`, the month in Asia/Ho_Chi_Minh. */
  month: string;
  from: LocalDate;
  to: LocalDate;
  asOf: string;
  /** Resolved this month + in progress now: unchanged at the month's end, as every open dossier is then resolved or still open. */
  denominator: number;
  /** On-time numerator now (resolved on time this month + in progress within deadline). */
  onTimeNow: number;
  /** In progress, not overdue yet, but overdue before the month ends unless resolved. */
  atRisk: number;
  /** In progress and already overdue: late whatever happens. */
  alreadyOverdue: number;
  /** Share of the scope's dossiers resolved on time over the last 30 days (percent), the pace of `expected`. */
  recentOnTimeRate: number | null;
  onTime: {
    now: number | null;
    /** Every at-risk dossier resolved in time. */
    best: number | null;
    /** At-risk dossiers resolved on time at the recent pace. */
    expected: number | null;
    /** None of them resolved in time. */
    worst: number | null;
  };
}

/** The figures of one group of dossiers received in a period (a sector, or one procedure of a sector). */
export interface BreakdownFigures {
  /** Dossiers received in the period. */
  received: number;
  /** Of those, resolved by now: on time, or late (already overdue at completion). */
  resolved: number;
  resolvedOnTime: number;
  resolvedLate: number;
  /** Of those, still in progress, and among them already overdue now. */
  inProgress: number;
  overdue: number;
  /** resolvedOnTime / resolved in %, null with nothing resolved. */
  onTimeRate: number | null;
  /** Mean time from receipt to completion of those resolved, in calendar days; null with nothing resolved. */
  meanProcessingDays: number | null;
}

export interface ProcedureBreakdown extends BreakdownFigures {
  procedureCode: string;
}

export interface SectorBreakdown extends BreakdownFigures {
  /** The sector (lĩnh vực) as the source system names it. */
  sector: string;
  procedures: ProcedureBreakdown[];
}

/**
 * `GET /api/v1/kpis/by-sector`: the dossiers received in a period in a scope, per sector (lĩnh vực)
 * and per procedure, largest first (the `figures` permission on the scope).
 */
export interface SectorBreakdownResponse {
  scope: string;
  from: LocalDate;
  to: LocalDate;
  /** The instant the figures are true at (in-progress and overdue are counted then). */
  asOf: string;
  total: BreakdownFigures;
  sectors: SectorBreakdown[];
}
