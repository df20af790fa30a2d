import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { KpiResponse, RankingResponse, SeriesResponse } from '@ioc/shared';
import { UnitsService } from '../units/units.service.js';
import { Access, CurrentUser } from '../auth/access.decorator.js';
import { AccessService } from '../auth/access.service.js';
import type { AuthedPrincipal } from '../auth/auth.types.js';
import { singleQuery } from '../dossiers/query.js';
import { KpiService } from './kpi.service.js';

const scopeDoc = { name: 'scope', required: false, description: 'nation (default), province:<2 digits> or commune:<5 digits>', example: 'province:01' };
const fromDoc = { name: 'from', required: false, description: 'First local date (Asia/Ho_Chi_Minh), YYYY-MM-DD; default today' };
const toDoc = { name: 'to', required: false, description: 'Last local date, inclusive, YYYY-MM-DD; default today. A period reaching today is measured at now.' };

@ApiTags('kpis')
@ApiBearerAuth()
@Access('signed-in')
@Controller({ version: '1' })
export class KpiController {
  constructor(
    private readonly kpi: KpiService,
    private readonly access: AccessService,
    private readonly units: UnitsService,
  ) {}

  @Get('kpis')
  @ApiOperation({ summary: 'KPIs of a scope for a period (query contract v1): rates are ratios of summed counts; null when the denominator is 0' })
  @ApiQuery(scopeDoc)
  @ApiQuery(fromDoc)
  @ApiQuery(toDoc)
  kpis(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<KpiResponse> {
    const q = singleQuery(raw, ['scope', 'from', 'to']);
    this.access.assertScope(p, 'figures', q.scope ?? 'nation');
    return this.kpi.kpis(q);
  }

  @Get('kpis/series')
  @ApiOperation({ summary: 'KPIs per hour, day or month (each point measured at the end of its bucket)' })
  @ApiQuery(scopeDoc)
  @ApiQuery(fromDoc)
  @ApiQuery(toDoc)
  @ApiQuery({ name: 'granularity', required: false, enum: ['hour', 'day', 'month'], description: 'default day; hour spans ≤ 31 days; month points cover whole months' })
  series(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<SeriesResponse> {
    const q = singleQuery(raw, ['scope', 'from', 'to', 'granularity']);
    this.access.assertScope(p, 'figures', q.scope ?? 'nation');
    return this.kpi.series(q);
  }

  @Get('rankings')
  @ApiOperation({
    summary: 'The units of a scope ranked by a KPI or by index score, each with points lost per KPI',
    description:
      'Ranks are over all units of the scope. A unit whose figures the caller may not read comes as a comparison row ' +
      '(counts null: rank, points and KPI rates with its volume only); 403 when the caller may not compare the units ranked.',
  })
  @ApiQuery(scopeDoc)
  @ApiQuery(fromDoc)
  @ApiQuery(toDoc)
  @ApiQuery({ name: 'by', required: false, description: 'points (default) or a KPI id: onTime, online, fullOnline, digitized, eResult, onlinePayment, satisfaction' })
  @ApiQuery({ name: 'level', required: false, enum: ['province', 'commune'], description: 'nation: province (default) or commune; province: commune' })
  async rankings(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<RankingResponse> {
    const q = singleQuery(raw, ['scope', 'from', 'to', 'by', 'level']);
    // Access first, before the other parameters are checked and before anything is computed:
    // a ranking is compared whole or not at all, so every unit it would list must be comparable.
    const { scope, level } = this.kpi.rankingTarget(q);
    for (const unit of this.kpi.rankedUnits(scope, level)) this.access.assert(p, 'compare', unit);
    const ranking = await this.kpi.rankings(q);
    // Each row then shows what the caller may read of its unit.
    const entries = ranking.entries.map((e) => (this.access.can(p, 'figures', this.units.unitRef(e.unitCode)) ? e : { ...e, counts: null }));
    return { ...ranking, entries };
  }
}
