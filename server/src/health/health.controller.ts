import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@ioc/shared';
import type { Response } from 'express';
import { Access } from '../common/access-policy.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DatabaseHealth } from '../database/database-health.service.js';
import { DemoFeedService } from '../demo/demo-feed.service.js';
import { LiveService } from '../live/live.service.js';
import { ProjectionService } from '../projection/projection.service.js';

const startedAt = Date.now();
/** Health says degraded when the oldest event not yet in the figures has waited longer than this. */
const PROJECTION_LAG_DEGRADED_S = 60;

// Load balancers and monitors call it without credentials; it holds no figures.
@ApiTags('operations')
@Access('public')
@Controller({ path: 'health', version: '1' })
export class HealthController {
  constructor(
    private readonly db: DatabaseHealth,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly demo: DemoFeedService,
    private readonly live: LiveService,
    private readonly projection: ProjectionService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: database reachability, the projection lag, the demo feed and the live stream of this process (503 when the database is down)' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const s = await this.db.probe();
    const database: HealthResponse['database'] = {
      status: s.up ? 'up' : 'down',
      embedded: this.config.databaseUrl === null,
      latencyMs: s.latencyMs,
      since: s.since.toISOString(),
      outages: s.outages,
      ...(s.error && !s.up ? { error: s.error } : {}),
    };
    const mark = s.up ? await this.projection.mark().catch(() => null) : null;
    const projection = { ...(mark ?? { watermark: 0, projectedUpTo: null, pendingEvents: 0, lagSeconds: 0 }), projector: this.projection.isProjector };
    // Figures a minute behind the log are served, but the instance is not healthy.
    const status = s.up && projection.lagSeconds <= PROJECTION_LAG_DEGRADED_S ? 'ok' : 'degraded';
    if (!s.up) res.status(503).set('Retry-After', '5');
    return {
      status,
      version: process.env.npm_package_version ?? '0.1.0',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      database,
      demoFeed: this.demo.status(),
      live: this.live.stats(),
      projection,
    };
  }
}
