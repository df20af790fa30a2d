import { Injectable } from '@nestjs/common';
import {
  DEFAULT_DUE_WITHIN_HOURS,
  DOSSIER_STATES,
  type DossierListResponse,
  type DossierState,
  type DossierToAct,
  HOUR_MS,
  MAX_DUE_WITHIN_HOURS,
  type MonthProjection,
  type Principal,
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
import { openDeadlineCounts, openDossiersDue } from './dossier-queries.js';

export const DOSSIER_QUERY = ['scope', 'state', 'dueWithinHours', 'page', 'pageSize'] as const;
export type DossierQuery = Partial<Record<(typeof DOSSIER_QUERY)[number], string>>;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

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
      const t = await openDeadlineCounts(m, unit, now, horizon);
      const rows = await openDossiersDue(m, unit, lo, hi, pageSize, (page - 1) * pageSize);
      return { totals: { due_soon: t.dueFromNow, overdue: t.overdue } satisfies Record<DossierState, number>, rows };
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
        const overdueAt = r.overdueAt.getTime();
        return {
          dossierId: r.dossierId,
          unitCode: r.unitCode,
          unitName: this.units.unitName(r.unitCode),
          procedureCode: r.procedureCode,
          sector: r.sector,
          channel: r.channel,
          receivedAt: r.receivedAt.toISOString(),
          dueAt: r.dueAt.toISOString(),
          overdueAt: r.overdueAt.toISOString(),
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
    const [month, recentFlows, stock] = await Promise.all([
      this.kpi.kpis({ scope: formatScope(scope), from: w.from, to: w.to }, now),
      this.repo.flowsOf(scope, recent.period.start, recent.period.end, recent.period.live, 'none', ['resolved', 'resolvedOnTime']),
      openDeadlineCounts(this.db, unit, now, w.end),
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
        // Open and due before the month ends, not overdue yet.
        atRisk: stock.dueFromNow,
        alreadyOverdue: stock.overdue,
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
