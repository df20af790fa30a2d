import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { UnitsModule } from '../units/units.module.js';
import { DemoAccounts } from './demo-accounts.js';
import { DemoFeedService } from './demo-feed.service.js';

@Module({
  imports: [IngestModule, UnitsModule],
  providers: [DemoFeedService, DemoAccounts],
  exports: [DemoFeedService],
})
export class DemoModule {}
