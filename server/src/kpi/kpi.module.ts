import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module.js';
import { KpiController } from './kpi.controller.js';
import { KpiQueryRepository } from './kpi-query.repository.js';
import { KpiService } from './kpi.service.js';
import { RunningStocks } from './running-stocks.js';

@Module({
  imports: [UnitsModule],
  controllers: [KpiController],
  providers: [KpiService, KpiQueryRepository, RunningStocks],
  exports: [KpiService, KpiQueryRepository, RunningStocks],
})
export class KpiModule {}
