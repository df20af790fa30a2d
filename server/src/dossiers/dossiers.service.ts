import { Injectable } from '@nestjs/common';
import {
  type Channel,
  DEFAULT_DUE_WITHIN_HOURS,
  DOSSIER_STATES,
  type DossierListResponse,
  type DossierState,
  type DossierToAct,
  HOUR_MS,
  MAX_DUE_WITHIN_HOURS,
  type MonthProjection,
  type Principal,
  type UnitRef,
  formatScope,
  monthWindow,
  projectMonth,
  resolvePeriod,
  round2,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { AccessService } from '../auth/access.service.js';
import { badRequest } from '../common/app-error.js';
import { positive } from '../common/validation.js';
import { KpiQueryRepository } from '../kpi/kpi-query.repository.js';
import { KpiService } from '../kpi/kpi.service.js';
import { UnitsService } from '../units/units.service.js';

export const DOSSIER_QUERY = ['scope', 'state', 'dueWithinHours', 'page', 'pageSize'] as const;
export type DossierQuery = Partial<Record<(typeof DOSSIER_QUERY)[number], string>>;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/**
 * In progress at now, as the KPI rollups count it (shared/src/kpi/contributions.ts):
 * received and not completed. `overdue_at` is `overdueWhileOpenFrom` of the facts,
 * so an open dossier is overdue exactly when `overdue_at < now`, and one whose clock
 * a single supplement request stopped has none. Every condition here matches the
 * partial indexes on (unit_code | province_code, overdue_at).
 */
const OPEN_WITH_DEADLINE = 'overdue_at IS NOT NULL AND completed_at IS NULL';

interface Row {
  dossier_id: string;
  unit_code: string;
  received_at: Date;
  due_at: Date;
  overdue_at: Date;
  procedure_code: string;
  sector: string;
  channel: Channel;
}

/** A province's or a commune's dossiers as a WHERE fragment. */
function scopeWhere(unit: UnitRef, args: unknown[]): string {
  if (unit.kind === 'nation') return 'TRUE';
  args.push(unit.code);
  return `${unit.kind === 'commune' ? 'unit_code' : 'province_code'} = $${args.length}`;
}

/** Dossier-level data: which dossiers to act on, and where the month's on-time rate is heading. */
@Injectable()
export class DossiersService {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly access: AccessService,
    private readonly kpi: KpiService,
    private readonly repo: KpiQueryRepository,
  ) {}

  /** In-progress dossiers of a province or commune, overdue or turning overdue soon, most urgent first. */
  async list(q: DossierQuery, p: Principal, now = Date.now()): Promise<DossierListResponse> {
    const scopeText = q.scope ?? formatScope(p.scope);
    const unit = this.units.refOf(scopeText);
    if (unit.kind === 'nation') throw badRequest('scope=nation is too broad for a list of dossiers: ask for province:<2-digit code> or commune:<5-digit code>');
    this.access.assert(p, 'dossiers', unit);
    const states = this.statesOf(q.state);
    const dueWithinHours = positive(q.dueWithinHours, 'dueWithinHours', DEFAULT_DUE_WITHIN_HOURS, MAX_DUE_WITHIN_HOURS);
    const page = positive(q.page, 'page', 1, 1_000_000);
    const pageSize = positive(q.pageSize, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);

    const horizon = now + dueWithinHours * HOUR_MS;
    // Both states are one range of overdue_at: [-∞, now) overdue, [now, horizon) due soon.
    const lo = states.includes('overdue') ? null : now;
    const hi = states.includes('due_soon') ? horizon : now;
    const iso = (ms: number) => new Date(ms).toISOString();

    const { totals, rows } = await this.db.transaction('REPEATABLE READ', async (m) => {
      const tArgs: unknown[] = [iso(now), iso(horizon)];
      const [t] = (await m.query(
        `SELECT count(*) FILTER (WHERE overdue_at < $1)::int AS overdue, count(*) FILTER (WHERE overdue_at >= $1)::int AS due_soon
         FROM dossier WHERE ${scopeWhere(unit, tArgs)} AND ${OPEN_WITH_DEADLINE} AND overdue_at < $2`,
        tArgs,
      )) as { overdue: number; due_soon: number }[];
      const args: unknown[] = [iso(hi)];
      const where = [scopeWhere(unit, args), OPEN_WITH_DEADLINE, 'overdue_at < $1'];
      if (lo !== null) where.push(`overdue_at >= $${args.push(iso(lo))}`);
      const rows = (await m.query(
        `SELECT dossier_id, unit_code, received_at, due_at, overdue_at,
                facts->'received'->>'procedureCode' AS procedure_code, facts->'received'->>'sector' AS sector, facts->'received'->>'channel' AS channel
         FROM dossier WHERE ${where.join(' AND ')}
         ORDER BY overdue_at, dossier_id
         LIMIT $${args.push(pageSize)} OFFSET $${args.push((page - 1) * pageSize)}`,
        args,
      )) as Row[];
      return { totals: { due_soon: t!.due_soon, overdue: t!.overdue } satisfies Record<DossierState, number>, rows };
    });

    return {
      scope: formatScope(unit),
      asOf: iso(now),
      dueWithinHours,
      totals,
      total: states.reduce((n, s) => n + totals[s], 0),
      page,
      pageSize,
      items: rows.map((r): DossierToAct => {
        const overdueAt = r.overdue_at.getTime();
        return {
          dossierId: r.dossier_id,
          unitCode: r.unit_code,
          unitName: this.units.unitName(r.unit_code),
          procedureCode: r.procedure_code,
          sector: r.sector,
          channel: r.channel,
          receivedAt: r.received_at.toISOString(),
          dueAt: r.due_at.toISOString(),
          overdueAt: r.overdue_at.toISOString(),
          state: overdueAt < now ? 'overdue' : 'due_soon',
          hoursLeft: round2((overdueAt - now) / HOUR_MS),
        };
      }),
    };
  }

  /**
   * The current month's on-time rate from the backlog known now: its counts are
   * those of `/kpis` for the month to date, read the same way.
   */
  async projection(scopeText: string | undefined, now = Date.now()): Promise<MonthProjection> {
    const scope = this.kpi.scopeOf(scopeText);
    const unit = this.units.ref(scope)!;
    const w = monthWindow(now);
    const recent = resolvePeriod(w.recentFrom, w.to, now);
    if (!recent.ok) throw new Error(recent.reason);
    const args: unknown[] = [new Date(now).toISOString(), new Date(w.end).toISOString()];
    const [month, recentFlows, [stock]] = await Promise.all([
      this.kpi.kpis({ scope: formatScope(scope), from: w.from, to: w.to }, now),
      this.repo.flowsOf(scope, recent.period.start, recent.period.end, recent.period.live, 'none', ['resolved', 'resolvedOnTime']),
      this.db.query(
        `SELECT count(*) FILTER (WHERE overdue_at < $1)::int AS overdue, count(*) FILTER (WHERE overdue_at >= $1)::int AS at_risk
         FROM dossier WHERE ${scopeWhere(unit, args)} AND ${OPEN_WITH_DEADLINE} AND overdue_at < $2`,
        args,
      ) as Promise<{ overdue: number; at_risk: number }[]>,
    ]);
    const r = recentFlows.get('*');
    return {
      scope: formatScope(scope),
      month: w.month,
      from: w.from,
      to: w.to,
      asOf: new Date(now).toISOString(),
      ...projectMonth({
        denominator: month.kpis.onTime.denominator,
        onTimeNow: month.kpis.onTime.numerator,
        atRisk: stock!.at_risk,
        alreadyOverdue: stock!.overdue,
        recentResolved: r?.resolved ?? 0,
        recentResolvedOnTime: r?.resolvedOnTime ?? 0,
      }),
    };
  }

  private statesOf(raw: string | undefined): DossierState[] {
    if (raw === undefined) return [...DOSSIER_STATES];
    const list = raw.split(',');
    const bad = list.filter((s) => !DOSSIER_STATES.includes(s as DossierState));
    if (bad.length || raw === '') throw badRequest(`state must be ${DOSSIER_STATES.join(' or ')} (or both, comma-separated), got "${raw}"`);
    return DOSSIER_STATES.filter((s) => list.includes(s));
  }
}
