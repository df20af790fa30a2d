import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module.js';
import { ChangeFeed } from './change-feed.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';

@Module({
  imports: [UnitsModule],
  controllers: [IngestController],
  providers: [IngestService, ChangeFeed],
  exports: [IngestService, ChangeFeed],
})
export class IngestModule {}
