import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module.js';
import { KpiController } from './kpi.controller.js';
import { KpiQueryRepository } from './kpi-query.repository.js';
import { KpiService } from './kpi.service.js';
import { ReportedValuesController } from './reported-values.controller.js';
import { ReportedValuesService } from './reported-values.service.js';

@Module({
  imports: [UnitsModule],
  controllers: [KpiController, ReportedValuesController],
  providers: [KpiService, KpiQueryRepository, ReportedValuesService],
  exports: [KpiService, KpiQueryRepository, ReportedValuesService],
})
export class KpiModule {}
