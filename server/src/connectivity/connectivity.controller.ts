import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_CONTRACT, type ConnectivityResponse, type ConnectivityTimeline, type HeartbeatResponse, formatScope, queryNames } from '@ioc/shared';
import { ApiContractBody } from '../common/contract.openapi.js';
import { Access } from '../common/access-policy.js';
import { CurrentSource, CurrentUser } from '../auth/access.decorator.js';
import { AccessService } from '../auth/access.service.js';
import type { AuthedPrincipal, IngestSource } from '../auth/auth.types.js';
import { singleQuery } from '../common/query.js';
import { ConnectivityService } from './connectivity.service.js';
import {
  CONNECTIVITY_DESCRIPTION,
  CONNECTIVITY_EXAMPLE,
  HEARTBEAT_DESCRIPTION,
  HEARTBEAT_EXAMPLE,
  HEARTBEAT_RESPONSE_EXAMPLE,
  TIMELINE_DESCRIPTION,
  TIMELINE_EXAMPLE,
} from './connectivity.openapi.js';

@ApiTags('connectivity')
@Controller({ version: '1' })
export class ConnectivityController {
  constructor(
    private readonly connectivity: ConnectivityService,
    private readonly access: AccessService,
  ) {}

  @Post('heartbeats')
  @HttpCode(200)
  @Access('ingest-key')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: "A relay's heartbeat: the commune's link is alive, with its latency and backlog", description: HEARTBEAT_DESCRIPTION })
  @ApiContractBody(API_CONTRACT.connectivity.heartbeat, { relay: { value: HEARTBEAT_EXAMPLE } })
  @ApiResponse({ status: 200, description: "Stored; the link's state as this heartbeat shows it", schema: { example: HEARTBEAT_RESPONSE_EXAMPLE } })
  @ApiResponse({ status: 400, description: 'A bad body (the message names the field), or no communeCode with a province or nation key' })
  @ApiResponse({ status: 401, description: 'Missing, unknown or revoked X-Api-Key' })
  @ApiResponse({ status: 403, description: "The commune is outside the key's scope" })
  heartbeat(@Body() body: unknown, @CurrentSource() source: IngestSource): Promise<HeartbeatResponse> {
    return this.connectivity.heartbeat(source, body);
  }

  @Get('connectivity')
  @Access('signed-in')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The link state of every commune of a scope, now', description: CONNECTIVITY_DESCRIPTION })
  @ApiResponse({ status: 200, description: 'Counts per state and one row per commune', schema: { example: CONNECTIVITY_EXAMPLE } })
  @ApiResponse({ status: 403, description: 'The caller may not read the figures of every commune of the scope' })
  current(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<ConnectivityResponse> {
    const q = singleQuery(raw, queryNames(API_CONTRACT.connectivity.current.query));
    const scope = this.access.assertScope(p, 'figures', q.scope ?? formatScope(p.scope));
    this.access.assertTable(p, scope, this.connectivity.communesIn(scope), 'Ask for the link state of a scope of your own.');
    return this.connectivity.current(scope);
  }

  @Get('connectivity/:communeCode/timeline')
  @Access('signed-in')
  @ApiBearerAuth()
  @ApiOperation({ summary: "A commune's link over local days: state intervals and outages, with their working minutes", description: TIMELINE_DESCRIPTION })
  @ApiParam({ name: 'communeCode', description: '5-digit commune code (2025 codes)', example: '00004' })
  @ApiResponse({ status: 200, description: 'Intervals, outages and totals', schema: { example: TIMELINE_EXAMPLE } })
  @ApiResponse({ status: 400, description: 'A malformed code or date, to before from, or more than 31 days' })
  @ApiResponse({ status: 403, description: 'The caller may not read the figures of this commune' })
  @ApiResponse({ status: 404, description: 'No commune has this code' })
  timeline(@CurrentUser() p: AuthedPrincipal, @Param('communeCode') code: string, @Query() raw: Record<string, unknown>): Promise<ConnectivityTimeline> {
    const unit = this.connectivity.commune(code);
    this.access.assert(p, 'figures', unit);
    return this.connectivity.timeline(code, singleQuery(raw, queryNames(API_CONTRACT.connectivity.timeline.query)));
  }
}
