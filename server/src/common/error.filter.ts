import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger, Optional } from '@nestjs/common';
import { type ApiError, apiErrorCodeOf } from '@ioc/shared';
import type { Response } from 'express';
import { DatabaseHealth } from '../database/database-health.service.js';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import { AppError, ErrorCode, httpStatusOf } from './app-error.js';

/** Seconds a client is asked to wait while the database is unavailable. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable at the moment; nothing was changed. The server recovers by itself when it is back: retry in a few seconds.';

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Body-parser errors (malformed JSON, oversize bodies) arrive with a `type`. */
interface BodyParserError {
  type: string;
  status?: number;
  message: string;
  limit?: number;
  encoding?: string;
  charset?: string;
  body?: unknown;
}
function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string' && 'status' in e;
}

function isExposedClientError(e: unknown): e is { status: number; message: string; code?: unknown } {
  const x = e as { expose?: unknown; status?: unknown; message?: unknown };
  return typeof e === 'object' && e !== null && x.expose === true && Number.isInteger(x.status) && (x.status as number) >= 400 && (x.status as number) < 500 && typeof x.message === 'string';
}
/** A body that is valid JSON but not an object or array (refused by the parser's strict mode). */
function isBareJsonValue(body: string): boolean {
  if (/^\s*[{[]/.test(body)) return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** Maps any error to the one error body of the API. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof AppError) {
    const statusCode = httpStatusOf(e.code);
    return { statusCode, code: e.code, error: REASON[statusCode] ?? 'Error', message: e.message, ...(e.details ? { details: e.details } : {}) };
  }
  if (isBodyParserError(e)) {
    if (e.type === 'entity.parse.failed') {
      if (typeof e.body === 'string' && isBareJsonValue(e.body)) {
        return { statusCode: 400, code: 'MALFORMED_JSON', error: REASON[400]!, message: 'The request body must be a JSON object ({…}), not a bare value such as null, a number or a string.' };
      }
      return { statusCode: 400, code: 'MALFORMED_JSON', error: REASON[400]!, message: `The request body is not valid JSON (${e.message}).` };
    }
    if (e.type === 'entity.too.large') {
      const limit =
        e.limit === undefined ? "the server's limit" : `the limit of ${e.limit >= 1 << 20 ? `${+(e.limit / (1 << 20)).toFixed(1)} MB` : `${Math.round(e.limit / 1024)} kB`} for this endpoint`;
      return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', error: REASON[413]!, message: `The request body is larger than ${limit}.` };
    }
    if (e.type === 'charset.unsupported') {
      return { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', error: REASON[415]!, message: `The request body must be UTF-8 JSON${e.charset ? `; charset "${e.charset}" is not supported` : ''}.` };
    }
    if (e.type === 'encoding.unsupported') {
      const said = e.encoding ? `Content-Encoding "${e.encoding.slice(0, 40)}" is not supported` : 'This Content-Encoding is not supported';
      return { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', error: REASON[415]!, message: `${said}: send the body uncompressed or compressed with gzip, deflate or br.` };
    }
    if (e.type === 'request.size.invalid') {
      return { statusCode: 400, code: 'BAD_REQUEST', error: REASON[400]!, message: 'The request body is not as long as its Content-Length header says.' };
    }
    if (e.type === 'request.aborted') {
      return { statusCode: 400, code: 'BAD_REQUEST', error: REASON[400]!, message: 'The request body was not received whole: the client closed the connection.' };
    }
  }
  if (e instanceof HttpException) {
    const statusCode = e.getStatus();
    const res = e.getResponse();
    const said = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    const message = typeof said === 'string' ? said : Array.isArray(said) ? said.map(String).join('; ') : e.message;
    return { statusCode, code: apiErrorCodeOf(statusCode), error: REASON[statusCode] ?? 'Error', message };
  }
  // Other client errors of the body reader (http-errors, `expose`d): chiefly a body that does not decompress as Content-Encoding says.
  if (isExposedClientError(e)) {
    const message =
      typeof e.code === 'string'
        ? `The request body could not be decompressed as its Content-Encoding header says (${e.message}): send it uncompressed, or compressed as declared (gzip, deflate or br).`
        : e.message;
    return { statusCode: e.status, code: apiErrorCodeOf(e.status), error: REASON[e.status] ?? 'Error', message };
  }
  if (isDatabaseUnavailable(e)) return { statusCode: 503, code: 'UNAVAILABLE', error: REASON[503]!, message: DATABASE_UNAVAILABLE_MESSAGE };
  return { statusCode: 500, code: 'INTERNAL', error: REASON[500]!, message: 'An unexpected error occurred; it has been logged.' };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  constructor(@Optional() private readonly database?: DatabaseHealth) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toApiError(exception);
    if (exception instanceof AppError && exception.headers) res.set(exception.headers);
    if (isDatabaseUnavailable(exception)) this.database?.reportFailure(exception);
    if (body.statusCode === 500 && this.database) {
      // An unexpected error while the database goes away (a driver error worded in a way not listed) is the outage's, not a bug's:
      // the database is probed at once and, if it is down, the answer is the outage's 503.
      void this.database
        .probe()
        .then((state) => state.up)
        .catch(() => true)
        .then((up) => {
          if (up) return this.send(res, body, exception);
          this.logger.warn(`while the database is unavailable: ${exception instanceof Error ? exception.stack : String(exception)}`);
          this.send(res, { statusCode: 503, code: 'UNAVAILABLE', error: REASON[503]!, message: DATABASE_UNAVAILABLE_MESSAGE }, exception);
        });
      return;
    }
    this.send(res, body, exception);
  }

  private send(res: Response, body: ApiError, exception: unknown): void {
    if (res.headersSent) return;
    if (body.statusCode === 503 && !res.getHeader('Retry-After')) res.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_S));
    if (body.statusCode === 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(body.statusCode).json(body);
  }
}

export { ErrorCode };
