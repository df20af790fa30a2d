import { Module } from '@nestjs/common';
import { GeoController, UnitsController } from './units.controller.js';
import { UnitsService } from './units.service.js';

@Module({
  controllers: [UnitsController, GeoController],
  providers: [UnitsService],
  exports: [UnitsService],
})
export class UnitsModule {}
