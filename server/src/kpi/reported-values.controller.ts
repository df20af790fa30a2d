import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_CONTRACT, REPORTED_SUB_INDICATOR_IDS, type ReportedValuesList, type ReportedValuesResponse, formatScope, queryNames } from '@ioc/shared';
import { ApiContractBody } from '../common/contract.openapi.js';
import { Access } from '../common/access-policy.js';
import { CurrentSource, CurrentUser } from '../auth/access.decorator.js';
import { AccessService } from '../auth/access.service.js';
import type { AuthedPrincipal, IngestSource } from '../auth/auth.types.js';
import { singleQuery } from '../common/query.js';
import { KpiService } from './kpi.service.js';
import { ReportedValuesService } from './reported-values.service.js';

const EXAMPLE = {
  values: [
    { unitCode: '01', month: '2026-05', subIndicator: '1.1', numerator: 42, denominator: 45 },
    { unitCode: '01', month: '2026-05', subIndicator: '3.5a', numerator: 118, denominator: 130 },
    { unitCode: '00004', month: '2026-05', subIndicator: '4.c', numerator: 1, denominator: 1 },
  ],
};

@ApiTags('indicator values')
@Controller({ path: 'indicator-values', version: '1' })
export class ReportedValuesController {
  constructor(
    private readonly reported: ReportedValuesService,
    private readonly kpi: KpiService,
    private readonly access: AccessService,
  ) {}

  @Post()
  @HttpCode(200)
  @Access('ingest-key')
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'Report catalogue sub-indicators of the national index (ingest contract v1.1)',
    description:
      `One numerator and denominator per unit (5-digit commune or 2-digit province), month (YYYY-MM) and reported sub-indicator ` +
      `(${REPORTED_SUB_INDICATOR_IDS.join(', ')}); at most 1,000 values per request. Only a province- or nation-scoped key may report, ` +
      'and only for units inside its scope. A later value for the same unit, month and sub-indicator replaces the earlier one ' +
      '(`replaced: true`). 4.c is 1 (the unit provides electronic certified copies from originals) or 0, over 1. ' +
      "A month's values count in every period that overlaps the month; the index shows each with who reported it and when.",
  })
  @ApiContractBody(API_CONTRACT.kpis.reportValues, { monthly: { summary: 'A province reports May 2026', value: EXAMPLE } })
  @ApiResponse({
    status: 200,
    description: 'Per-value results',
    schema: {
      example: {
        accepted: 2,
        rejected: 1,
        results: [
          { index: 0, status: 'accepted', replaced: false },
          { index: 1, status: 'accepted', replaced: true },
          { index: 2, status: 'rejected', reason: 'numerator must not exceed denominator' },
        ],
      },
    },
  })
  @ApiResponse({ status: 400, description: 'The body is not {"values": [...]}' })
  @ApiResponse({ status: 401, description: 'Missing, unknown or revoked X-Api-Key' })
  @ApiResponse({ status: 413, description: 'More than 1,000 values' })
  report(@Body() body: unknown, @CurrentSource() source: IngestSource): Promise<ReportedValuesResponse> {
    return this.reported.report(ReportedValuesService.valuesOf(body), source);
  }

  @Get()
  @Access('signed-in')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Reported indicator values of a scope for the months a period overlaps, with who reported each and when (latest first)' })
  async list(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<ReportedValuesList> {
    const q = singleQuery(raw, queryNames(API_CONTRACT.kpis.reportedValues.query));
    this.access.assertScope(p, 'figures', q.scope ?? 'nation');
    const scope = this.kpi.scopeOf(q.scope);
    const period = this.kpi.periodOf(q.from, q.to, Date.now());
    return { scope: formatScope(scope), from: period.from, to: period.to, values: await this.reported.list(scope, period) };
  }
}
