import type { BreakdownFigures, Period, SectorBreakdown, SectorBreakdownResponse, UnitRef } from '@ioc/shared';
import { formatScope } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';
import { type SectorProcedureCounts, sectorProcedureCounts } from './dossier-queries.js';

interface Sums {
  received: number;
  resolved: number;
  onTime: number;
  inProgress: number;
  overdue: number;
  seconds: number;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

function figures(s: Sums): BreakdownFigures {
  return {
    received: s.received,
    resolved: s.resolved,
    resolvedOnTime: s.onTime,
    resolvedLate: s.resolved - s.onTime,
    inProgress: s.inProgress,
    overdue: s.overdue,
    onTimeRate: s.resolved > 0 ? round((100 * s.onTime) / s.resolved, 2) : null,
    meanProcessingDays: s.resolved > 0 ? round(s.seconds / s.resolved / 86_400, 2) : null,
  };
}

const zero = (): Sums => ({ received: 0, resolved: 0, onTime: 0, inProgress: 0, overdue: 0, seconds: 0 });
function add(a: Sums, r: SectorProcedureCounts): void {
  a.received += r.received;
  a.resolved += r.resolved;
  a.onTime += r.onTime;
  a.inProgress += r.inProgress;
  a.overdue += r.overdue;
  a.seconds += r.seconds ?? 0;
}

/** Sector and procedure names as the source systems send them; none is said so. */
export const UNNAMED = '—';

/**
 * The dossiers of a scope received in a period, per sector and procedure: how many were
 * received, resolved on time or late (already overdue when completed, as the KPIs count it),
 * in progress and overdue at `now`, and their mean time from receipt to completion.
 * Sectors and their procedures come largest first (by dossiers received).
 */
export async function sectorBreakdown(db: Queryable, unit: UnitRef, period: Period, now: number): Promise<SectorBreakdownResponse> {
  const rows = await sectorProcedureCounts(db, unit, period.start, period.end, now);
  const total = zero();
  const bySector = new Map<string, { sums: Sums; procedures: Map<string, Sums> }>();
  for (const r of rows) {
    add(total, r);
    const name = r.sector?.trim() || UNNAMED;
    let s = bySector.get(name);
    if (!s) bySector.set(name, (s = { sums: zero(), procedures: new Map() }));
    add(s.sums, r);
    const code = r.procedure?.trim() || UNNAMED;
    let p = s.procedures.get(code);
    if (!p) s.procedures.set(code, (p = zero()));
    add(p, r);
  }
  const byVolume = <T extends { received: number }>(a: T & { key: string }, b: T & { key: string }) => b.received - a.received || a.key.localeCompare(b.key, 'vi');
  const sectors: SectorBreakdown[] = [...bySector.entries()]
    .map(([sector, s]) => ({ key: sector, received: s.sums.received, sector, s }))
    .sort(byVolume)
    .map(({ sector, s }) => ({
      sector,
      ...figures(s.sums),
      procedures: [...s.procedures.entries()]
        .map(([code, p]) => ({ key: code, received: p.received, code, p }))
        .sort(byVolume)
        .map(({ code, p }) => ({ procedureCode: code, ...figures(p) })),
    }));
  return { scope: formatScope(unit), from: period.from, to: period.to, asOf: new Date(now).toISOString(), total: figures(total), sectors };
}
