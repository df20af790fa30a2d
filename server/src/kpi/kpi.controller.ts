import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { KpiResponse, RankingResponse, SeriesResponse } from '@ioc/shared';
import { KpiService } from './kpi.service.js';

const scopeDoc = { name: 'scope', required: false, description: 'nation (default), province:<2 digits> or commune:<5 digits>', example: 'province:01' };
const fromDoc = { name: 'from', required: false, description: 'First local date (Asia/Ho_Chi_Minh), YYYY-MM-DD; default today' };
const toDoc = { name: 'to', required: false, description: 'Last local date, inclusive, YYYY-MM-DD; default today. A period reaching today is measured at now.' };

@ApiTags('kpis')
@Controller({ version: '1' })
export class KpiController {
  constructor(private readonly kpi: KpiService) {}

  @Get('kpis')
  @ApiOperation({ summary: 'KPIs of a scope for a period (query contract v1): rates are ratios of summed counts; null when the denominator is 0' })
  @ApiQuery(scopeDoc)
  @ApiQuery(fromDoc)
  @ApiQuery(toDoc)
  kpis(@Query('scope') scope?: string, @Query('from') from?: string, @Query('to') to?: string): Promise<KpiResponse> {
    return this.kpi.kpis({ scope, from, to });
  }

  @Get('kpis/series')
  @ApiOperation({ summary: 'KPIs per hour, day or month (each point measured at the end of its bucket)' })
  @ApiQuery(scopeDoc)
  @ApiQuery(fromDoc)
  @ApiQuery(toDoc)
  @ApiQuery({ name: 'granularity', required: false, enum: ['hour', 'day', 'month'], description: 'default day; hour spans ≤ 31 days; month points cover whole months' })
  series(@Query('scope') scope?: string, @Query('from') from?: string, @Query('to') to?: string, @Query('granularity') granularity?: string): Promise<SeriesResponse> {
    return this.kpi.series({ scope, from, to, granularity });
  }

  @Get('rankings')
  @ApiOperation({ summary: 'The units of a scope ranked by a KPI or by index score, each with points lost per KPI' })
  @ApiQuery(scopeDoc)
  @ApiQuery(fromDoc)
  @ApiQuery(toDoc)
  @ApiQuery({ name: 'by', required: false, description: 'points (default) or a KPI id: onTime, online, fullOnline, digitized, eResult, onlinePayment, satisfaction' })
  @ApiQuery({ name: 'level', required: false, enum: ['province', 'commune'], description: 'nation: province (default) or commune; province: commune' })
  rankings(
    @Query('scope') scope?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('by') by?: string,
    @Query('level') level?: string,
  ): Promise<RankingResponse> {
    return this.kpi.rankings({ scope, from, to, by, level });
  }
}
