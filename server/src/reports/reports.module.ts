import { Module } from '@nestjs/common';
import { KpiModule } from '../kpi/kpi.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { UnitsModule } from '../units/units.module.js';
import { DigestService } from './digest.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsScheduler } from './reports-scheduler.service.js';
import { ReportsService } from './reports.service.js';

/** The 07:30 daily digest and the monthly, quarterly and on-demand reports (PDF, xlsx), archived and mailed. */
@Module({
  imports: [UnitsModule, KpiModule, NotificationsModule],
  controllers: [ReportsController],
  providers: [ReportsService, DigestService, ReportsScheduler],
  exports: [ReportsService, DigestService, ReportsScheduler],
})
export class ReportsModule {}
