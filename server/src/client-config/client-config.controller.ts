import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ClientConfig } from '@ioc/shared';
import { Access } from '../common/access-policy.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

// Read before sign-in (the map's basemap); it holds no figures.
@ApiTags('operations')
@Access('public')
@Controller({ path: 'client-config', version: '1' })
export class ClientConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({
    summary: "The dashboard's settings: the basemap style of the map (MAP_STYLE_URL), null for the built-in offline style; the days of hour-by-hour figures kept (KPI_HOURLY_RETENTION_DAYS, 0 = all)",
  })
  @ApiOkResponse({
    schema: { type: 'object', properties: { mapStyleUrl: { type: 'string', nullable: true, example: null }, hourlyRetentionDays: { type: 'integer', example: 35 } } },
  })
  clientConfig(): ClientConfig {
    return { mapStyleUrl: this.config.mapStyleUrl, hourlyRetentionDays: this.config.hourlyRetentionDays };
  }
}
