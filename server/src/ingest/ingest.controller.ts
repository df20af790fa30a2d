import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { IngestResponse } from '@ioc/shared';
import { Access, CurrentSource } from '../auth/access.decorator.js';
import type { IngestSource } from '../auth/auth.types.js';
import { IngestService } from './ingest.service.js';
import { INGEST_EXAMPLES, INGEST_REQUEST_SCHEMA, INGEST_RESPONSE_EXAMPLE } from './ingest.openapi.js';

@ApiTags('ingest')
@Controller({ path: 'events', version: '1' })
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(200)
  @Access('ingest-key')
  @ApiOperation({
    summary: 'Push dossier lifecycle events (ingest contract v1)',
    description:
      'At most 5,000 events or 5 MB per request. Each event is validated on its own and answered as accepted, ' +
      'duplicate (its eventId was seen before: a replay is a no-op) or rejected with a reason; a broken event never ' +
      'blocks the good events of its batch. Events may arrive late or out of order: they are placed by occurredAt. ' +
      'The answer is sent after the accepted events are durably stored. An event for a unit outside the key\'s scope ' +
      '(a commune, a province and its communes, or the nation) is rejected as that event\'s result.',
  })
  @ApiSecurity('api-key')
  @ApiBody({ schema: INGEST_REQUEST_SCHEMA, examples: INGEST_EXAMPLES })
  @ApiResponse({ status: 200, description: 'Per-event results', schema: { example: INGEST_RESPONSE_EXAMPLE } })
  @ApiResponse({ status: 400, description: 'The body is not JSON, or not {"events": [...]}' })
  @ApiResponse({ status: 401, description: 'Missing, unknown or revoked X-Api-Key' })
  @ApiResponse({ status: 429, description: 'More requests than the key may send per minute (Retry-After)' })
  @ApiResponse({ status: 413, description: 'More than 5,000 events or more than 5 MB' })
  post(@Body() body: unknown, @CurrentSource() source: IngestSource): Promise<IngestResponse> {
    return this.ingest.ingest(IngestService.eventsOf(body), source);
  }
}
