import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { UnitsModule } from '../units/units.module.js';
import { DemoFeedService } from './demo-feed.service.js';

@Module({
  imports: [IngestModule, UnitsModule],
  providers: [DemoFeedService],
  exports: [DemoFeedService],
})
export class DemoModule {}
