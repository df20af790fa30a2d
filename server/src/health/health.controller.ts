import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@ioc/shared';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Access } from '../auth/access.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DemoFeedService } from '../demo/demo-feed.service.js';
import { LiveService } from '../live/live.service.js';

const startedAt = Date.now();

// Load balancers and monitors call it without credentials; it holds no figures.
@ApiTags('operations')
@Access('public')
@Controller({ path: 'health', version: '1' })
export class HealthController {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly demo: DemoFeedService,
    private readonly live: LiveService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: database reachability, the demo feed and the live stream of this process (503 when the database is down)' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const t0 = performance.now();
    let database: HealthResponse['database'];
    try {
      await this.db.query('SELECT 1');
      database = { status: 'up', embedded: this.config.databaseUrl === null, latencyMs: Math.round((performance.now() - t0) * 10) / 10 };
    } catch (e) {
      database = { status: 'down', embedded: this.config.databaseUrl === null, latencyMs: null, error: (e as Error).message };
    }
    const status = database.status === 'up' ? 'ok' : 'degraded';
    if (status !== 'ok') res.status(503);
    return {
      status,
      version: process.env.npm_package_version ?? '0.1.0',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      database,
      demoFeed: this.demo.status(),
      live: this.live.stats(),
    };
  }
}
