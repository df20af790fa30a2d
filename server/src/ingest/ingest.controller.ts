import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_CONTRACT, type IngestResponse } from '@ioc/shared';
import { ApiContractBody } from '../common/contract.openapi.js';
import { Access } from '../common/access-policy.js';
import { CurrentSource } from '../auth/access.decorator.js';
import type { IngestSource } from '../auth/auth.types.js';
import { badRequest, notFound } from '../common/app-error.js';
import { IngestService, type StoredEventSource } from './ingest.service.js';
import { INGEST_EXAMPLES, INGEST_RESPONSE_EXAMPLE } from './ingest.openapi.js';

@ApiTags('ingest')
@Controller({ path: 'events', version: '1' })
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(200)
  @Access('ingest-key')
  @ApiOperation({
    summary: 'Push dossier lifecycle events and citizen feedback events (ingest contract v1.1; every v1 event stays valid)',
    description:
      'At most 5,000 events or 5 MB per request. Contract v1.1 adds, all optional: `reusedDigitizedData`, `citizenDataUsed` and ' +
      '`fromCitizenStore` on `received`, `syncedToCitizenStore` on `result_issued` (an attribute left out is unknown, not false: ' +
      'the national index takes its rates over the dossiers that carry it and shows that coverage), and the `synced` event (the dossier ' +
      'reached the National Public Service Portal; a unit that never sends it has no data for sub-indicator 1.4). ' +
      'It also adds citizen feedback (PAKN), keyed by `feedbackId` and the handling unit: `feedback_received` (`dueAt`, `topic`: ' +
      'procedure, staff or other; optional `dossierId`; optional `followUpOf`, an earlier feedbackId, which makes that one followed up ' +
      'and this one not first-time), `feedback_answered` and `feedback_rated` (`satisfied`); they feed sub-indicators 5.2 and 5.3 and ' +
      'GET /api/v1/feedback, and may arrive in any order. ' +
      'Each event is validated on its own and answered as accepted, ' +
      'duplicate (this key already sent this very event: a replay is a no-op), conflict (the eventId is taken by another ' +
      "source's event or by different content: nothing is stored, send a new eventId) or rejected with a reason; a broken " +
      "event never blocks the good events of its batch, nor another source's batch. Events may arrive late or out of order: " +
      "they are placed by occurredAt, which must lie between 2000-01-01T00:00:00+07:00 and 2 minutes after the server's clock, " +
      'with a UTC offset in use (-12:00 to +14:00); dueAt may be at most 5 years after occurredAt. ' +
      'The answer is sent once the accepted events are durably stored in the event log; `position` is the log position of the ' +
      'last accepted one. The figures include the events shortly after (typically within a second): every KPI answer says up to ' +
      'which position it counts (`projection.watermark`). With `?wait=projected` the answer waits (up to 10 s) until the figures ' +
      'include the events, for a source that reads its own figures right after writing. While the database is unavailable the answer is 503 ' +
      "and nothing is acknowledged (send again: replays are safe). An event for a unit outside the key's scope " +
      "(a commune, a province and its communes, or the nation), or for a dossier whose unit is outside it, is rejected as that event's result.",
  })
  @ApiSecurity('api-key')
  @ApiContractBody(API_CONTRACT.ingest.events, INGEST_EXAMPLES)
  @ApiResponse({ status: 200, description: 'Per-event results', schema: { example: INGEST_RESPONSE_EXAMPLE } })
  @ApiResponse({ status: 400, description: 'The body is not JSON, or not {"events": [...]}' })
  @ApiResponse({ status: 401, description: 'Missing, unknown or revoked X-Api-Key' })
  @ApiResponse({ status: 429, description: 'More requests than the key may send per minute (Retry-After)' })
  @ApiResponse({ status: 413, description: 'More than 5,000 events or more than 5 MB' })
  @ApiResponse({ status: 503, description: 'The database is unavailable: nothing was stored; retry after Retry-After seconds' })
  async post(@Body() body: unknown, @CurrentSource() source: IngestSource, @Query('wait') wait?: unknown): Promise<IngestResponse> {
    if (wait !== undefined && wait !== 'projected') throw badRequest('wait may only be "projected" (answer once the figures include the events).');
    const events = IngestService.eventsOf(body);
    const res = await this.ingest.ingest(events, source);
    if (wait === 'projected') res.projected = res.position === null || (await this.ingest.waitProjected(res.position));
    return res;
  }

  @Get(':eventId')
  @Access('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One stored event and the ingest key that sent it (administrators): where a figure came from' })
  @ApiResponse({ status: 404, description: 'No event with this id is stored' })
  async source(@Param('eventId') eventId: string): Promise<StoredEventSource> {
    const found = await this.ingest.provenance(eventId);
    if (!found) throw notFound(`no event with id ${JSON.stringify(eventId.slice(0, 128))} is stored`);
    return found;
  }
}
