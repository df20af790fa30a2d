import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DigestService } from './digest.service.js';
import { ReportsService } from './reports.service.js';

/**
 * Checks every REPORTS_SCHEDULE_SECONDS whether a digest or a scheduled report is due, and
 * makes it. Nothing is kept in memory between checks: what was sent and made is in the
 * database, so a restart (or a second process) neither repeats nor forgets anything, and a
 * server that was off at 07:30 or on the 1st catches up at its next check.
 */
@Injectable()
export class ReportsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Reports');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly digest: DigestService,
    private readonly reports: ReportsService,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.reports.scheduleEveryMs;
    if (every <= 0) return;
    this.timer = setInterval(() => void this.check(), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One check at `now` (the tests call it with an explicit clock); a check still running is not overlapped. */
  check(now = Date.now()): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.digest.runDue(now);
        await this.reports.runScheduled(now);
      } catch (e) {
        this.log.warn(`scheduled reports check failed: ${(e as Error).message}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
