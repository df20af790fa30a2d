import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module.js';
import { ReadinessController } from './readiness.controller.js';
import { ReadinessService } from './readiness.service.js';

/** Readiness profiles of communes (staff, signatures, equipment, VNeID, SOC cover), versioned. */
@Module({
  imports: [UnitsModule],
  controllers: [ReadinessController],
  providers: [ReadinessService],
  exports: [ReadinessService],
})
export class ReadinessModule {}
