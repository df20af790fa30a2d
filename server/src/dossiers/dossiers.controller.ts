import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_CONTRACT, type DossierListResponse, type MonthProjection, type SectorBreakdownResponse, queryNames } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { KpiService } from '../kpi/kpi.service.js';
import { sectorBreakdown } from './breakdown.js';
import { Access } from '../common/access-policy.js';
import { CurrentUser } from '../auth/access.decorator.js';
import { AccessService } from '../auth/access.service.js';
import type { AuthedPrincipal } from '../auth/auth.types.js';
import { DossiersService } from './dossiers.service.js';
import { singleQuery } from '../common/query.js';

@ApiTags('dossiers')
@ApiBearerAuth()
@Access('signed-in')
@Controller({ version: '1' })
export class DossiersController {
  constructor(private readonly dossiers: DossiersService) {}

  @Get('dossiers')
  @ApiOperation({
    summary: 'Dossiers to act on in a province or a commune: in progress and overdue, or turning overdue soon; most urgent first',
    description:
      'Needs the dossiers permission on the scope. Overdue and in progress are counted as the KPIs count them, so totals.overdue of a commune ' +
      'equals counts.inProgressOverdue of /kpis for today. A dossier whose clock a single supplement request stopped is not listed. ' +
      'scope=nation is refused (400) as too broad.',
  })
  list(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<DossierListResponse> {
    return this.dossiers.list(singleQuery(raw, queryNames(API_CONTRACT.dossiers.list.query)), p);
  }
}

/** The month's projection sits with the KPIs it projects. */
@ApiTags('kpis')
@ApiBearerAuth()
@Access('signed-in')
@Controller({ version: '1' })
export class ProjectionController {
  constructor(
    private readonly dossiers: DossiersService,
    private readonly access: AccessService,
    private readonly kpi: KpiService,
    private readonly db: DataSource,
  ) {}

  @Get('kpis/by-sector')
  @ApiOperation({
    summary: 'The dossiers received in a period per sector (lĩnh vực) and per procedure: received, resolved on time or late, in progress, overdue now, on-time rate and mean processing time',
    description:
      'Counted from the dossiers received in the period (local dates, as /kpis): resolved late means already overdue when completed, as the KPIs count it; in progress and overdue ' +
      'are counted now; the mean processing time is from receipt to completion, in calendar days. Sectors and procedures come largest first. Needs the figures permission on the scope.',
  })
  bySector(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<SectorBreakdownResponse> {
    const q = singleQuery(raw, queryNames(API_CONTRACT.kpis.bySector.query));
    const unit = this.access.assertScope(p, 'figures', q.scope ?? 'nation');
    const now = Date.now();
    return sectorBreakdown(this.db, unit, this.kpi.periodOf(q.from, q.to, now), now);
  }

  @Get('kpis/projection')
  @ApiOperation({
    summary: "Where the current month's on-time rate ends from the backlog known now (Asia/Ho_Chi_Minh month): now, best, expected at the recent pace, worst",
    description:
      'denominator and onTimeNow are the on-time denominator and numerator of /kpis from the 1st of the month to today. atRisk: in progress, not overdue ' +
      'yet, overdue before the month ends. expected resolves them on time at the share of dossiers resolved on time over the last 30 days (null without any). ' +
      'Needs the figures permission on the scope.',
  })
  projection(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<MonthProjection> {
    const { scope } = singleQuery(raw, queryNames(API_CONTRACT.kpis.projection.query));
    this.access.assertScope(p, 'figures', scope ?? 'nation');
    return this.dossiers.projection(scope);
  }
}
