import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { KpiModule } from '../kpi/kpi.module.js';
import { UnitsModule } from '../units/units.module.js';
import { ProjectionService } from './projection.service.js';

@Module({
  imports: [UnitsModule, IngestModule, KpiModule],
  providers: [ProjectionService],
  exports: [ProjectionService],
})
export class ProjectionModule {}
