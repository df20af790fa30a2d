import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { KpiModule } from '../kpi/kpi.module.js';
import { UnitsModule } from '../units/units.module.js';
import { LiveGateway } from './live.gateway.js';
import { LiveService } from './live.service.js';
import { TopicData } from './topic-data.js';

@Module({
  imports: [UnitsModule, KpiModule, IngestModule, AlertsModule],
  providers: [LiveGateway, LiveService, TopicData],
  exports: [LiveService],
})
export class LiveModule {}
