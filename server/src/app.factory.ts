import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, RequestMethod, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { MAX_BATCH_BYTES } from '@ioc/shared';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { withContract } from './common/contract.openapi.js';
import { toApiError } from './common/error.filter.js';
import { AppLogger } from './common/logging.js';
import { answerClientErrorsInJson, guardBodyText, guardBodyType, guardPath, guardQuery } from './common/request-guards.js';
import type { AppConfig } from './config/config.js';
import { migrate } from './database/data-source.js';
import { ClusterIoAdapter } from './live/socket-adapter.js';
import { MetricsService } from './metrics/metrics.service.js';

/** Largest request body outside ingest (accounts, notes, rule overrides). */
export const SMALL_BODY_BYTES = 100 * 1024;

/** Builds the whole application (used by main and by the integration tests). */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<INestApplication> {
  await migrate(databaseUrl);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), {
    bodyParser: false,
    bufferLogs: true,
  });
  // Without Nest's start-up lines: main prints one summary.
  app.useLogger(new AppLogger(app.get(Logger)));
  // First, so every answer is timed, errors included (ioc_http_request_duration_seconds).
  app.use(app.get(MetricsService).httpMiddleware());
  const io = new ClusterIoAdapter(app, config, databaseUrl);
  await io.connect();
  app.useWebSocketAdapter(io);
  app.disable('x-powered-by');
  answerClientErrorsInJson(app.getHttpServer());
  app.set('trust proxy', config.trustProxy);
  // A basemap named by MAP_STYLE_URL loads its style, tiles, glyphs and sprites from its own origin.
  const basemap = config.mapStyleUrl ? [new URL(config.mapStyleUrl).origin] : [];
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          // maplibre draws with a worker and blob images; charts and the map set inline styles.
          'img-src': ["'self'", 'data:', 'blob:', ...basemap],
          'worker-src': ["'self'", 'blob:'],
          'child-src': ["'self'", 'blob:'],
          'font-src': ["'self'", 'data:', ...basemap],
          'style-src': ["'self'", "'unsafe-inline'"],
          'connect-src': ["'self'", ...basemap],
          // Plain-HTTP installations on a LAN must keep working; HTTPS is the proxy's job.
          'upgrade-insecure-requests': null,
        },
      },
      // Only sent over HTTPS anyway; harmless behind a TLS proxy.
      strictTransportSecurity: config.auth.secureCookies,
    }),
  );
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, credentials: true, maxAge: 600 });
  app.use(compression());
  app.use(cookieParser());
  // Source systems send batches of up to 5 MB; nothing else needs more than a few kB.
  const json = { strict: true, type: ['application/json', 'application/*+json'] };
  const ingestJson = express.json({ ...json, limit: MAX_BATCH_BYTES });
  const smallJson = express.json({ ...json, limit: SMALL_BODY_BYTES });
  // Repeated or bracketed query parameters, control characters, bodies that are not UTF-8 JSON: 4xx before any parsing.
  // Imports (CSV/NDJSON, streamed) are read by their handler, which checks their type itself (server/src/import).
  const streamed = (req: Request) => req.path === '/api/v1/imports';
  app.use(guardPath, guardQuery, (req: Request, res: Response, next: NextFunction) => (streamed(req) ? next() : guardBodyType(req, res, next)));
  app.use((req: Request, res: Response, next: NextFunction) => (streamed(req) ? next() : (req.path === '/api/v1/events' ? ingestJson : smallJson)(req, res, next)));
  app.use(guardBodyText('/api/v1/events'));
  // Body-parser failures (malformed JSON, > 5 MB) answered in the API's error format.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const body = toApiError(err);
    res.status(body.statusCode).json(body);
  });
  // GET /metrics stays at the root, where Prometheus looks.
  app.setGlobalPrefix('api', { exclude: [{ path: 'metrics', method: RequestMethod.GET }] });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });

  const doc = new DocumentBuilder()
    .setTitle('IOC — administrative-procedure KPIs')
    .setDescription(
      "Intelligent Operations Centre API for Vietnam's two-tier local government (34 provinces, 3,321 communes). " +
        'Source systems push dossier lifecycle events to POST /api/v1/events with their ingest key in X-Api-Key; people sign in ' +
        '(POST /api/v1/auth/sign-in) and send the access token as a bearer token, and see what their role and scope allow. KPIs are computed ' +
        'as ratios of summed counts over local days in Asia/Ho_Chi_Minh (definition kpi-v1).',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /api/v1/auth/sign-in answers the access token' })
    .build();
  // Query parameters and request bodies come from the contract table in shared (withContract).
  SwaggerModule.setup('api/docs', app, () => withContract(SwaggerModule.createDocument(app, doc)), { jsonDocumentUrl: 'api/docs/openapi.json' });

  if (existsSync(join(config.dashboardDir, 'index.html'))) {
    app.use(express.static(config.dashboardDir, { index: false, maxAge: '1h' }));
    // Client-side routes fall back to the dashboard's index.html.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path === '/metrics') return next();
      res.sendFile(join(config.dashboardDir, 'index.html'));
    });
  }
  return app;
}
