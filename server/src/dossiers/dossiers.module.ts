import { Module } from '@nestjs/common';
import { KpiModule } from '../kpi/kpi.module.js';
import { UnitsModule } from '../units/units.module.js';
import { DossiersController, ProjectionController } from './dossiers.controller.js';
import { DossiersService } from './dossiers.service.js';

/** Dossier-level views: the dossiers to act on, and the month's projection from the open backlog. */
@Module({
  imports: [UnitsModule, KpiModule],
  controllers: [DossiersController, ProjectionController],
  providers: [DossiersService],
  exports: [DossiersService],
})
export class DossiersModule {}
