import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { inTransaction } from '../common/transaction.js';

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
      const [cur] = (await m.query('SELECT demo_seeded FROM notification_cursor WHERE id = 1 FOR UPDATE')) as { demo_seeded: boolean }[];
      if (!cur || cur.demo_seeded) return true;
      const users = (await m.query(`SELECT id, username, role, scope FROM app_user WHERE demo AND active`)) as { id: string; username: string; role: string; scope: string }[];
      const operator = users.find((u) => u.role === 'operator' && u.scope === 'province:01');
      if (!operator) return false;
      const [ch] = (await m.query(
        `INSERT INTO notification_channel (name, kind, config, created_by) VALUES ('Thư điện tử (demo)', 'email', '{"from": null}', 'system')
         ON CONFLICT ((lower(name))) DO UPDATE SET updated_at = now() RETURNING id`,
      )) as { id: string }[];
      for (const u of users) {
        await m.query('INSERT INTO notification_contact (user_id, email) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING', [u.id, `${u.username}@${DOMAIN}`]);
      }
      await m.query(
        `INSERT INTO notification_subscription (name, channel_id, user_id, scope, min_severity, created_by)
         VALUES ('Cảnh báo mức Cao trở lên của Hà Nội', $1, $2, 'province:01', 'major', 'system')`,
        [ch!.id, operator.id],
      );
      await m.query('UPDATE notification_escalation_policy SET channel_ids = ARRAY[$1::bigint], updated_by = $2, updated_at = now() WHERE id = 1', [ch!.id, 'system']);
      await m.query('UPDATE notification_cursor SET demo_seeded = true WHERE id = 1');
      this.log.log(`demo notifications ready: ${operator.username} gets Hà Nội's major and critical alerts by mail${this.config.notifications.mailCatcher ? ' (caught in-process: GET /api/v1/notifications/caught-mail)' : ''}`);
      return true;
    });
  }
}
