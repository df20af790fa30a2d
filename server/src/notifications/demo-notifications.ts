import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { inTransaction } from '../common/transaction.js';
import { activeDemoUsers } from '../auth/users.repository.js';
import { demoSeeded, markDemoSeeded } from './alert-trail.js';
import { ensureDemoChannel } from './channels.repository.js';
import { addEmailsIfMissing } from './contacts.repository.js';
import { setPolicyChannel } from './escalations.js';
import { insertDemoSubscription } from './subscriptions.repository.js';

/** Demo addresses: the catcher receives them, nothing leaves the machine. */
const DOMAIN = 'demo.ioc.local';
const RETRY_MS = 2_000;
const MAX_TRIES = 60;

/**
 * In demo mode with the demo accounts, sets up notifications once so a newcomer sees mail
 * arrive: an email channel, an address for each demo account, the Hà Nội operator
 * subscribed to Hà Nội's major and critical alerts, and escalation to the leaders over the
 * same channel. The demo accounts are created by another module at start, so this waits
 * for them. Done once per database: an administrator's later changes stay.
 */
@Injectable()
export class DemoNotifications implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Notifications');
  private timer: NodeJS.Timeout | null = null;
  private tries = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.demo.enabled || !this.config.auth.demoAccounts) return;
    this.schedule(0);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.seed()
        .then((done) => {
          if (!done && ++this.tries < MAX_TRIES) this.schedule(RETRY_MS);
        })
        .catch((e: unknown) => this.log.warn(`demo notifications not set up: ${(e as Error).message}`));
    }, ms);
    this.timer.unref();
  }

  /** True once set up (now or before); false while the demo accounts are not there yet. */
  async seed(): Promise<boolean> {
    return inTransaction(this.db, async (m) => {
      const seeded = await demoSeeded(m);
      if (seeded === null || seeded) return true;
      const users = await activeDemoUsers(m);
      const operator = users.find((u) => u.role === 'operator' && u.scope === 'province:01');
      if (!operator) return false;
      const channelId = await ensureDemoChannel(m, 'Thư điện tử (demo)');
      await addEmailsIfMissing(
        m,
        users.map((u) => ({ userId: u.id, email: `${u.username}@${DOMAIN}` })),
      );
      await insertDemoSubscription(m, { name: 'Cảnh báo mức Cao trở lên của Hà Nội', channelId, userId: operator.id, scope: 'province:01', minSeverity: 'major', createdBy: 'system' });
      await setPolicyChannel(m, channelId, 'system');
      await markDemoSeeded(m);
      this.log.log(
        `demo notifications ready: ${operator.username} gets Hà Nội's major and critical alerts by mail${this.config.notifications.mailCatcher ? ' (caught in-process: GET /api/v1/notifications/caught-mail)' : ''}`,
      );
      return true;
    });
  }
}
