import { Module } from '@nestjs/common';
import { DemoModule } from '../demo/demo.module.js';
import { LiveModule } from '../live/live.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [DemoModule, LiveModule], controllers: [HealthController] })
export class HealthModule {}
