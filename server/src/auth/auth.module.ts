import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UnitsModule } from '../units/units.module.js';
import { AccessGuard } from './access.guard.js';
import { AccessService } from './access.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { IngestKeysController } from './ingest-keys.controller.js';
import { IngestKey } from './ingest-key.entity.js';
import { IngestKeysService } from './ingest-keys.service.js';
import { RateLimitsService } from './rate-limits.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** People (accounts, sign-in, sessions) and source systems (ingest keys), and the guard every route passes. */
@Global()
@Module({
  imports: [UnitsModule, TypeOrmModule.forFeature([User, IngestKey])],
  controllers: [AuthController, UsersController, IngestKeysController],
  providers: [AuthService, UsersService, IngestKeysService, AccessService, RateLimitsService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AuthService, UsersService, IngestKeysService, AccessService, RateLimitsService],
})
export class AuthModule {}
