import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CreatedIngestKey, IngestKeySummary } from '@ioc/shared';
import { Access } from '../common/access-policy.js';
import { ClientInfo, CurrentUser } from './access.decorator.js';
import type { AuthedPrincipal, Client } from './auth.types.js';
import { IngestKeysService } from './ingest-keys.service.js';

@ApiTags('ingest keys')
@ApiBearerAuth()
@Controller({ path: 'ingest-keys', version: '1' })
export class IngestKeysController {
  constructor(private readonly keys: IngestKeysService) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'Every ingest key, by its prefix (administrators); the keys themselves are not stored' })
  list(): Promise<IngestKeySummary[]> {
    return this.keys.list();
  }

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Creates a key for a source system (administrators): {name, scope}; the answer is the only time the key is shown' })
  create(@Body() body: unknown, @CurrentUser() by: AuthedPrincipal, @ClientInfo() client: Client): Promise<CreatedIngestKey> {
    return this.keys.create(body, by, client);
  }

  @Delete(':id')
  @Access('admin')
  @ApiOperation({ summary: 'Revokes a key (administrators): its source is refused from then on' })
  revoke(@Param('id') id: string, @CurrentUser() by: AuthedPrincipal, @ClientInfo() client: Client): Promise<IngestKeySummary> {
    return this.keys.revoke(id, by, client);
  }
}
