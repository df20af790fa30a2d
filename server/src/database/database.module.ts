import { Global, Module } from '@nestjs/common';
import { DatabaseHealth } from './database-health.service.js';

/** The database's reachability, for every module. */
@Global()
@Module({ providers: [DatabaseHealth], exports: [DatabaseHealth] })
export class DatabaseModule {}
