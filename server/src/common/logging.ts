import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config.js';

type Req = IncomingMessage & { originalUrl?: string; id?: unknown };

/** The path of a request without its query: what a person scanning the log looks for. */
function pathOf(req: Req): string {
  const url = req.originalUrl ?? req.url ?? '';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** `GET /api/v1/kpis 200 12 ms`: one line per request, at info (5xx at error). */
export function requestLine(req: Req, res: ServerResponse, ms: number): string {
  return `${req.method ?? '?'} ${pathOf(req)} ${res.statusCode} ${Math.round(ms)} ms`;
}

/**
 * A request's log level: failures of the server at error; accepted link heartbeats
 * (one a minute from every commune's link) at debug, so they do not drown the
 * rest; everything else at info.
 */
export function requestLogLevel(url: string | undefined, status: number, err?: Error): 'error' | 'info' | 'debug' {
  if (err || status >= 500) return 'error';
  if (status < 400 && (url ?? '').startsWith('/api/v1/heartbeats')) return 'debug';
  return 'info';
}

/**
 * pino-http as the server logs requests: one line each with method, path,
 * status and duration; health checks and metrics scrapes left out; credentials
 * and bodies never logged. JSON lines, pretty on a terminal.
 */
export function loggerParams(config: Pick<AppConfig, 'logLevel'>): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      // Messages logged while handling a request carry its id, not the whole request again.
      quietReqLogger: true,
      // Health checks and metrics scrapes would drown the log.
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/api/v1/health') || (req.url ?? '').startsWith('/metrics') },
      customLogLevel: (req, res, err) => requestLogLevel(req.url, res.statusCode, err),
      customSuccessMessage: (req, res, ms) => requestLine(req, res, ms),
      customErrorMessage: (req, res, err) => `${requestLine(req, res, 0).replace(/ 0 ms$/, '')}: ${err.message}`,
      // The query string stays in the JSON (scope and period say which figures were asked), never the headers.
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      // Credentials never reach the log, should a serializer above ever let headers through.
      redact: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      transport: process.stdout.isTTY ? { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname,req,res,responseTime,context', translateTime: 'SYS:HH:MM:ss' } } : undefined,
    },
  };
}

/** Nest's own start-up chatter: every module, controller, route and gateway, some 60 lines a start. */
const START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication', 'WebSocketsController']);

/** Services working on the database in the background, whose connections end when the embedded PostgreSQL stops with the server. */
const LEASE_HOLDERS = new Set(['Projector', 'Live', 'LivePublisher', 'Database', 'AlertEngine', 'DemoFeed', 'Notifications', 'Digest', 'Reports']);

function contextOf(params: unknown[]): string | null {
  const last = params[params.length - 1];
  return typeof last === 'string' ? last : null;
}

/**
 * The application's logger: nestjs-pino's, without Nest's start-up lines (main
 * prints one summary instead), and quiet about leases lost during a shutdown.
 * Ctrl-C on a terminal reaches the embedded PostgreSQL too (it runs in the same
 * process group), which ends the leases' connections before Nest releases them:
 * expected then, so said at debug instead of as a warning.
 */
export class AppLogger implements LoggerService {
  private static stopping = false;

  /** From now on the database going away is part of stopping, not news. */
  static shuttingDown(): void {
    AppLogger.stopping = true;
  }

  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    if (context !== null && START_UP_CONTEXTS.has(context)) return;
    this.inner.log(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    if (AppLogger.stopping && context !== null && LEASE_HOLDERS.has(context)) {
      this.inner.debug?.(message, ...params);
      return;
    }
    this.inner.warn(message, ...params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(message, ...params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(message, ...params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(message, ...params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    (this.inner.fatal ?? this.inner.error).call(this.inner, message, ...params);
  }
}
