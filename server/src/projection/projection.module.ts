import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { UnitsModule } from '../units/units.module.js';
import { ProjectionService } from './projection.service.js';
import { RunningStocks } from './running-stocks.js';

@Module({
  imports: [UnitsModule, IngestModule],
  providers: [ProjectionService, RunningStocks],
  exports: [ProjectionService, RunningStocks],
})
export class ProjectionModule {}
