import { round2 } from '../kpi/compute.js';
import { type LocalDate, addDays, bucketStart, localDateOf, nextBucket } from '../time.js';
import type { MonthProjection } from './api.js';

/** Days of the recent window whose on-time pace `expected` assumes (today included). */
export const RECENT_PACE_DAYS = 30;

export interface ProjectionInputs {
  /** On-time denominator of the month so far: resolved this month + in progress now. */
  denominator: number;
  /** On-time numerator of the month so far: resolved on time this month + in progress within deadline now. */
  onTimeNow: number;
  /** In progress, not overdue now, overdue before the month ends. */
  atRisk: number;
  /** In progress and overdue now. */
  alreadyOverdue: number;
  /** Dossiers resolved over the recent window, and those among them resolved on time. */
  recentResolved: number;
  recentResolvedOnTime: number;
}

export type ProjectedFigures = Pick<MonthProjection, 'denominator' | 'onTimeNow' | 'atRisk' | 'alreadyOverdue' | 'recentOnTimeRate' | 'onTime'>;

/**
 * Where the month's on-time rate ends from the backlog known now. The
 * denominator does not move (each open dossier is then resolved or still
 * open); only the at-risk dossiers can still leave the numerator:
 * best = none of them late, worst = all of them late, expected = each resolved
 * in time with the scope's recent on-time share r. Percent, 2 decimals.
 */
export function projectMonth(i: ProjectionInputs): ProjectedFigures {
  const r = i.recentResolved === 0 ? null : i.recentResolvedOnTime / i.recentResolved;
  const pct = (numerator: number | null) => (numerator === null || i.denominator === 0 ? null : round2((numerator * 100) / i.denominator));
  return {
    denominator: i.denominator,
    onTimeNow: i.onTimeNow,
    atRisk: i.atRisk,
    alreadyOverdue: i.alreadyOverdue,
    recentOnTimeRate: r === null ? null : round2(r * 100),
    onTime: {
      now: pct(i.onTimeNow),
      best: pct(i.onTimeNow),
      expected: r === null ? null : pct(i.onTimeNow - i.atRisk * (1 - r)),
      worst: pct(i.onTimeNow - i.atRisk),
    },
  };
}

export interface MonthWindow {
  /** `YYYY-MM` in Asia/Ho_Chi_Minh. */
  month: string;
  /** First day of the month and today. */
  from: LocalDate;
  to: LocalDate;
  /** Local midnight at the start of the month and of the next one (epoch ms). */
  start: number;
  end: number;
  /** First day of the recent pace window ending today. */
  recentFrom: LocalDate;
}

/** The current month at `now` in Asia/Ho_Chi_Minh, and the recent window `expected` reads its pace from. */
export function monthWindow(now: number): MonthWindow {
  const start = bucketStart(now, 'month');
  const to = localDateOf(now);
  return { month: to.slice(0, 7), from: localDateOf(start), to, start, end: nextBucket(start, 'month'), recentFrom: addDays(to, -(RECENT_PACE_DAYS - 1)) };
}
