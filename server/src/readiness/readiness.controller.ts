import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_CONTRACT, type ReadinessDetail, type ReadinessListResponse, type ReadinessWriteResponse, formatScope, queryNames } from '@ioc/shared';
import { ApiContractBody } from '../common/contract.openapi.js';
import { Access } from '../common/access-policy.js';
import { ClientInfo, CurrentSource, CurrentUser } from '../auth/access.decorator.js';
import { AccessService } from '../auth/access.service.js';
import type { AuthedPrincipal, Client, IngestSource } from '../auth/auth.types.js';
import { singleQuery } from '../common/query.js';
import { ReadinessService } from './readiness.service.js';

const VALUES_EXAMPLE = {
  itStaff: { value: 1, asOf: '2026-11-30', source: 'Sở Nội vụ, báo cáo quý IV/2026' },
  digitalSignatures: { value: 3, asOf: '2026-11-30', source: 'Ban Cơ yếu Chính phủ' },
  vneidLevel2Share: { value: 41.5, asOf: '2026-11-30', source: 'Công an tỉnh' },
  socCovered: { value: false, asOf: '2026-11-30', source: 'Sở Khoa học và Công nghệ' },
};
const FIELDS_DESCRIPTION =
  'Fields: itStaff, trainedStaff, digitalSignatures, scanners, kiosks (whole numbers), vneidLevel2Share (percent of residents, 0–100), ' +
  'socCovered (true/false). Each with asOf (the local date it holds for) and source. Every value becomes a new version; ' +
  'one equal to the current version (same value, date and source) is not recorded again.';

@ApiTags('readiness')
@Controller({ version: '1' })
export class ReadinessController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly access: AccessService,
  ) {}

  @Get('readiness')
  @Access('signed-in')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The readiness profile of every commune of a scope, with its link over the last 30 days', description: "What goes with a commune's figures is association, not proof." })
  @ApiResponse({ status: 200, description: 'One row per commune: the current version of each field, the readiness score and the link summary' })
  @ApiResponse({ status: 403, description: 'The caller may not read the figures of every commune of the scope' })
  list(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<ReadinessListResponse> {
    const q = singleQuery(raw, queryNames(API_CONTRACT.readiness.list.query));
    const scope = this.access.assertScope(p, 'figures', q.scope ?? formatScope(p.scope));
    this.access.assertTable(p, scope, this.readiness.communesIn(scope), 'Ask for the readiness of a scope of your own.');
    return this.readiness.list(scope);
  }

  @Get('readiness/:communeCode')
  @Access('signed-in')
  @ApiBearerAuth()
  @ApiOperation({ summary: "A commune's readiness profile and every version of each field, newest first" })
  @ApiParam({ name: 'communeCode', description: '5-digit commune code (2025 codes)', example: '00004' })
  @ApiResponse({ status: 200, description: 'Current values, history, score and link summary' })
  @ApiResponse({ status: 400, description: 'A malformed code' })
  @ApiResponse({ status: 403, description: 'The caller may not read the figures of this commune' })
  @ApiResponse({ status: 404, description: 'No commune has this code' })
  detail(@CurrentUser() p: AuthedPrincipal, @Param('communeCode') code: string): Promise<ReadinessDetail> {
    this.access.assert(p, 'figures', this.readiness.commune(code));
    return this.readiness.detail(code);
  }

  @Put('readiness/:communeCode')
  @Access('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'An administrator records readiness values of a commune (each a new version)', description: FIELDS_DESCRIPTION })
  @ApiParam({ name: 'communeCode', description: '5-digit commune code (2025 codes)', example: '00004' })
  @ApiContractBody(API_CONTRACT.readiness.update, { profile: { value: { values: VALUES_EXAMPLE } } })
  @ApiResponse({ status: 200, description: 'Versions recorded, and values equal to the current version' })
  @ApiResponse({ status: 400, description: 'A bad body (the message names the field)' })
  @ApiResponse({ status: 403, description: 'Not an administrator' })
  update(@CurrentUser() p: AuthedPrincipal, @Param('communeCode') code: string, @Body() body: unknown, @ClientInfo() client: Client): Promise<ReadinessWriteResponse> {
    this.access.assert(p, 'admin', this.readiness.commune(code));
    return this.readiness.update(code, body, p.username, client.ip);
  }

  @Post('readiness')
  @HttpCode(200)
  @Access('ingest-key')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: "A province's system pushes readiness values of its communes (a province key)", description: FIELDS_DESCRIPTION })
  @ApiContractBody(API_CONTRACT.readiness.push, { push: { value: { communes: [{ communeCode: '01234', values: VALUES_EXAMPLE }] } } })
  @ApiResponse({ status: 200, description: 'Versions recorded, and values equal to the current version' })
  @ApiResponse({ status: 400, description: 'A bad body (the message names the field)' })
  @ApiResponse({ status: 401, description: 'Missing, unknown or revoked X-Api-Key' })
  @ApiResponse({ status: 403, description: "A commune key, or a commune outside the key's province" })
  push(@Body() body: unknown, @CurrentSource() source: IngestSource): Promise<ReadinessWriteResponse> {
    return this.readiness.push(source, body);
  }
}
