import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { UsersService } from '../auth/users.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** Creates the demo accounts of every role (README: "Demo accounts") when DEMO_ACCOUNTS is on: by default in demo mode, never by default in production. */
@Injectable()
export class DemoAccounts implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.auth.demoAccounts) await this.users.ensureDemoAccounts();
  }
}
