import { Controller, Get, Res, UseGuards, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '../common/access-policy.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';
import { MetricsService } from './metrics.service.js';

/**
 * GET /metrics (outside the /api prefix, where Prometheus looks by default).
 * Not part of the API, so not in the OpenAPI document; its access rule is
 * MetricsAccessGuard's (see metrics-access.guard.ts).
 */
@ApiExcludeController()
@Access('public')
@UseGuards(MetricsAccessGuard)
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    const body = await this.metrics.scrape();
    res.set('Content-Type', this.metrics.contentType);
    res.set('Cache-Control', 'no-store');
    return body;
  }
}
