import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module.js';
import { KpiController } from './kpi.controller.js';
import { KpiQueryRepository } from './kpi-query.repository.js';
import { KpiService } from './kpi.service.js';

@Module({
  imports: [UnitsModule],
  controllers: [KpiController],
  providers: [KpiService, KpiQueryRepository],
  exports: [KpiService, KpiQueryRepository],
})
export class KpiModule {}
