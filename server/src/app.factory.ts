import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { MAX_BATCH_BYTES } from '@ioc/shared';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { toApiError } from './common/error.filter.js';
import type { AppConfig } from './config/config.js';
import { migrate } from './database/data-source.js';
import { ClusterIoAdapter } from './live/socket-adapter.js';

/** Builds the whole application (used by main and by the integration tests). */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<INestApplication> {
  await migrate(databaseUrl);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const io = new ClusterIoAdapter(app, config, databaseUrl);
  await io.connect();
  app.useWebSocketAdapter(io);
  app.disable('x-powered-by');
  app.use(compression());
  app.use(express.json({ limit: MAX_BATCH_BYTES, strict: true, type: ['application/json', 'application/*+json'] }));
  // Body-parser failures (malformed JSON, > 5 MB) answered in the API's error format.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const body = toApiError(err);
    res.status(body.statusCode).json(body);
  });
  app.setGlobalPrefix('api');
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });

  const doc = new DocumentBuilder()
    .setTitle('IOC — administrative-procedure KPIs')
    .setDescription(
      'Intelligent Operations Centre API for Vietnam\'s two-tier local government (34 provinces, 3,321 communes). ' +
        'Source systems push dossier lifecycle events to POST /api/v1/events with an X-Api-Key; KPIs are computed ' +
        'as ratios of summed counts over local days in Asia/Ho_Chi_Minh (definition kpi-v1).',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs/openapi.json' });

  if (existsSync(join(config.dashboardDir, 'index.html'))) {
    app.use(express.static(config.dashboardDir, { index: false, maxAge: '1h' }));
    // Client-side routes fall back to the dashboard's index.html.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
      res.sendFile(join(config.dashboardDir, 'index.html'));
    });
  }
  return app;
}
