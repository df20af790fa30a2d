import type { BreakdownFigures, Period, SectorBreakdown, SectorBreakdownResponse, UnitRef } from '@ioc/shared';
import { formatScope } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

interface Row {
  sector: string | null;
  procedure: string | null;
  received: number;
  resolved: number;
  on_time: number;
  in_progress: number;
  overdue: number;
  seconds: number | null;
}

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
function add(a: Sums, r: Row): void {
  a.received += r.received;
  a.resolved += r.resolved;
  a.onTime += r.on_time;
  a.inProgress += r.in_progress;
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
  const args: unknown[] = [new Date(period.start).toISOString(), new Date(period.end).toISOString(), new Date(now).toISOString()];
  const scope =
    unit.kind === 'nation' ? '' : unit.kind === 'province' ? `AND province_code = $${args.push(unit.code)}` : `AND province_code = $${args.push(unit.provinceCode)} AND unit_code = $${args.push(unit.code)}`;
  const rows = (await db.query(
    `SELECT facts->'received'->>'sector' AS sector, facts->'received'->>'procedureCode' AS procedure,
            count(*)::int AS received,
            count(*) FILTER (WHERE completed_at IS NOT NULL)::int AS resolved,
            count(*) FILTER (WHERE completed_at IS NOT NULL AND overdue_at IS NULL)::int AS on_time,
            count(*) FILTER (WHERE completed_at IS NULL)::int AS in_progress,
            count(*) FILTER (WHERE completed_at IS NULL AND overdue_at < $3)::int AS overdue,
            sum(extract(epoch FROM completed_at - received_at)) FILTER (WHERE completed_at IS NOT NULL)::float8 AS seconds
       FROM dossier
      WHERE received_at >= $1 AND received_at < $2 ${scope}
      GROUP BY 1, 2`,
    args,
  )) as Row[];
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
