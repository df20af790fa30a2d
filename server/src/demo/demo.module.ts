import { Module } from '@nestjs/common';
import { ConnectivityModule } from '../connectivity/connectivity.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { KpiModule } from '../kpi/kpi.module.js';
import { UnitsModule } from '../units/units.module.js';
import { DemoAccounts } from './demo-accounts.js';
import { DemoFeedService } from './demo-feed.service.js';
import { DemoLinks } from './demo-links.js';
import { DemoRelays } from './demo-relays.js';

@Module({
  imports: [IngestModule, UnitsModule, ConnectivityModule, KpiModule],
  providers: [DemoFeedService, DemoAccounts, DemoLinks, DemoRelays],
  exports: [DemoFeedService],
})
export class DemoModule {}
