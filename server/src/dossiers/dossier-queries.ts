import type { Channel, UnitRef } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/*
 * Dossier-level reads of the projection's `dossier` table: the dossiers to act on, the
 * open backlog by deadline, and the dossiers of a period by sector and procedure.
 *
 * In progress at now, as the KPI rollups count it (shared/src/kpi/contributions.ts):
 * received and not completed. `overdue_at` is `overdueWhileOpenFrom` of the facts,
 * so an open dossier is overdue exactly when `overdue_at < now`, and one whose clock
 * a single supplement request stopped has none. Every condition here matches the
 * partial indexes on (unit_code | province_code, overdue_at).
 */
const OPEN_WITH_DEADLINE = 'overdue_at IS NOT NULL AND completed_at IS NULL';

/** An open dossier with a deadline, as a list of dossiers to act on shows it. */
export interface OpenDossierRow {
  dossierId: string;
  unitCode: string;
  receivedAt: Date;
  dueAt: Date;
  overdueAt: Date;
  procedureCode: string;
  sector: string;
  channel: Channel;
}

/** The dossiers of a scope's period with one sector and procedure (null: not sent). */
export interface SectorProcedureCounts {
  sector: string | null;
  procedure: string | null;
  received: number;
  resolved: number;
  onTime: number;
  inProgress: number;
  overdue: number;
  /** Receipt to completion, summed over the resolved ones. */
  seconds: number | null;
}

/** A province's or a commune's dossiers as a WHERE fragment. */
function scopeWhere(unit: UnitRef, args: unknown[]): string {
  if (unit.kind === 'nation') return 'TRUE';
  args.push(unit.code);
  return `${unit.kind === 'commune' ? 'unit_code' : 'province_code'} = $${args.length}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The open dossiers of `unit` whose deadline passed before `horizon`: overdue at `now`, and due from `now` on. */
export async function openDeadlineCounts(q: Queryable, unit: UnitRef, now: number, horizon: number): Promise<{ overdue: number; dueFromNow: number }> {
  const args: unknown[] = [iso(now), iso(horizon)];
  const [row] = (await q.query(
    `SELECT count(*) FILTER (WHERE overdue_at < $1)::int AS overdue, count(*) FILTER (WHERE overdue_at >= $1)::int AS "dueFromNow"
     FROM dossier WHERE ${scopeWhere(unit, args)} AND ${OPEN_WITH_DEADLINE} AND overdue_at < $2`,
    args,
  )) as { overdue: number; dueFromNow: number }[];
  return row!;
}

/** A page of the open dossiers of `unit` whose deadline lies in [from, before) (from null: any time before), soonest first. */
export async function openDossiersDue(q: Queryable, unit: UnitRef, from: number | null, before: number, limit: number, offset: number): Promise<OpenDossierRow[]> {
  const args: unknown[] = [iso(before)];
  const where = [scopeWhere(unit, args), OPEN_WITH_DEADLINE, 'overdue_at < $1'];
  if (from !== null) where.push(`overdue_at >= $${args.push(iso(from))}`);
  return (await q.query(
    `SELECT dossier_id AS "dossierId", unit_code AS "unitCode", received_at AS "receivedAt", due_at AS "dueAt", overdue_at AS "overdueAt",
            facts->'received'->>'procedureCode' AS "procedureCode", facts->'received'->>'sector' AS sector, facts->'received'->>'channel' AS channel
     FROM dossier WHERE ${where.join(' AND ')}
     ORDER BY overdue_at, dossier_id
     LIMIT $${args.push(limit)} OFFSET $${args.push(offset)}`,
    args,
  )) as OpenDossierRow[];
}

/** The open dossiers of `unit` overdue at `now`, and those turning overdue in [now, end of today). */
export async function dossiersDueToday(q: Queryable, unit: UnitRef, now: number, endOfToday: number): Promise<{ dueToday: number; overdueNow: number }> {
  const args: unknown[] = [new Date(now), new Date(endOfToday)];
  const [row] = (await q.query(
    `SELECT count(*) FILTER (WHERE overdue_at >= $1 AND overdue_at < $2)::int AS "dueToday", count(*) FILTER (WHERE overdue_at < $1)::int AS "overdueNow"
     FROM dossier WHERE ${scopeWhere(unit, args)} AND ${OPEN_WITH_DEADLINE}`,
    args,
  )) as { dueToday: number; overdueNow: number }[];
  return row!;
}

/** Up to `limit` open dossiers of `unit` turning overdue in [now, end of today), soonest first. */
export async function dossiersTurningOverdue(
  q: Queryable,
  unit: UnitRef,
  now: number,
  endOfToday: number,
  limit: number,
): Promise<{ dossierId: string; unitCode: string; sector: string | null; overdueAt: Date }[]> {
  const args: unknown[] = [new Date(now), new Date(endOfToday)];
  return (await q.query(
    `SELECT dossier_id AS "dossierId", unit_code AS "unitCode", facts->'received'->>'sector' AS sector, overdue_at AS "overdueAt"
     FROM dossier WHERE ${scopeWhere(unit, args)} AND ${OPEN_WITH_DEADLINE} AND overdue_at >= $1 AND overdue_at < $2
     ORDER BY overdue_at, dossier_id LIMIT ${Number(limit)}`,
    args,
  )) as { dossierId: string; unitCode: string; sector: string | null; overdueAt: Date }[];
}

/**
 * The dossiers of a scope received in [start, end), per sector and procedure: how many were
 * received, resolved on time or late (already overdue when completed, as the KPIs count it),
 * in progress and overdue at `now`, and their time from receipt to completion.
 */
export async function sectorProcedureCounts(q: Queryable, unit: UnitRef, start: number, end: number, now: number): Promise<SectorProcedureCounts[]> {
  const args: unknown[] = [iso(start), iso(end), iso(now)];
  const scope =
    unit.kind === 'nation'
      ? ''
      : unit.kind === 'province'
        ? `AND province_code = $${args.push(unit.code)}`
        : `AND province_code = $${args.push(unit.provinceCode)} AND unit_code = $${args.push(unit.code)}`;
  return (await q.query(
    `SELECT facts->'received'->>'sector' AS sector, facts->'received'->>'procedureCode' AS procedure,
            count(*)::int AS received,
            count(*) FILTER (WHERE completed_at IS NOT NULL)::int AS resolved,
            count(*) FILTER (WHERE completed_at IS NOT NULL AND overdue_at IS NULL)::int AS "onTime",
            count(*) FILTER (WHERE completed_at IS NULL)::int AS "inProgress",
            count(*) FILTER (WHERE completed_at IS NULL AND overdue_at < $3)::int AS overdue,
            sum(extract(epoch FROM completed_at - received_at)) FILTER (WHERE completed_at IS NOT NULL)::float8 AS seconds
       FROM dossier
      WHERE received_at >= $1 AND received_at < $2 ${scope}
      GROUP BY 1, 2`,
    args,
  )) as SectorProcedureCounts[];
}
