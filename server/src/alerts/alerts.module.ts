import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { KpiModule } from '../kpi/kpi.module.js';
import { UnitsModule } from '../units/units.module.js';
import { AlertEngine } from './alert-engine.service.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';
import { RuleObservations } from './observations.js';

@Module({
  imports: [UnitsModule, KpiModule, IngestModule],
  controllers: [AlertsController],
  providers: [AlertEngine, AlertsService, RuleObservations],
  exports: [AlertEngine, AlertsService],
})
export class AlertsModule {}
