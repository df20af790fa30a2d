import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ContractQueryInterceptor } from './common/contract-query.interceptor.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { ErrorFilter } from './common/error.filter.js';
import { loggerParams } from './common/logging.js';
import { dataSourceOptions } from './database/data-source.js';
import { DatabaseModule } from './database/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { DossiersModule } from './dossiers/dossiers.module.js';
import { FeedbackModule } from './feedback/feedback.module.js';
import { HealthModule } from './health/health.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { ImportModule } from './import/import.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { KpiModule } from './kpi/kpi.module.js';
import { ProjectionModule } from './projection/projection.module.js';
import { LiveModule } from './live/live.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { UnitsModule } from './units/units.module.js';
import { ConfigModule } from './config/config.module.js';
import { ClientConfigModule } from './client-config/client-config.module.js';
import { ConnectivityModule } from './connectivity/connectivity.module.js';
import { ReadinessModule } from './readiness/readiness.module.js';
import { ReportsModule } from './reports/reports.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.dbPoolSize)),
        DatabaseModule,
        MetricsModule,
        UnitsModule,
        AuditModule,
        AuthModule,
        IngestModule,
        ImportModule,
        KpiModule,
        ProjectionModule,
        DossiersModule,
        FeedbackModule,
        LiveModule,
        AlertsModule,
        NotificationsModule,
        DemoModule,
        HealthModule,
        ClientConfigModule,
        ConnectivityModule,
        ReadinessModule,
        ReportsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: ContractQueryInterceptor },
      ],
    };
  }
}

export { APP_CONFIG };
