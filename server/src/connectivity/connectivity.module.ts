import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module.js';
import { ConnectivityController } from './connectivity.controller.js';
import { ConnectivityService } from './connectivity.service.js';
import { LinkRetention } from './link-retention.js';

/** The links of communes with relays: heartbeats stored as data, the current state and the timeline of each link, daily summaries and retention. */
@Module({
  imports: [UnitsModule],
  controllers: [ConnectivityController],
  providers: [ConnectivityService, LinkRetention],
  exports: [ConnectivityService, LinkRetention],
})
export class ConnectivityModule {}
