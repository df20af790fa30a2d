import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IngestModule } from '../ingest/ingest.module.js';
import { KpiModule } from '../kpi/kpi.module.js';
import { ProjectionModule } from '../projection/projection.module.js';
import { UnitsModule } from '../units/units.module.js';
import { AlertEngine } from './alert-engine.service.js';
import { Alert, AlertEvaluation, AlertEvent, AlertRuleOverride, AlertState } from './alert.entities.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';
import { RuleObservations } from './observations.js';

@Module({
  imports: [UnitsModule, KpiModule, IngestModule, ProjectionModule, TypeOrmModule.forFeature([Alert, AlertEvent, AlertState, AlertRuleOverride, AlertEvaluation])],
  controllers: [AlertsController],
  providers: [AlertEngine, AlertsService, RuleObservations],
  exports: [AlertEngine, AlertsService],
})
export class AlertsModule {}
