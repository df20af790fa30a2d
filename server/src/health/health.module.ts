import { Module } from '@nestjs/common';
import { ProjectionModule } from '../projection/projection.module.js';
import { DemoModule } from '../demo/demo.module.js';
import { LiveModule } from '../live/live.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [DemoModule, LiveModule, ProjectionModule], controllers: [HealthController] })
export class HealthModule {}
