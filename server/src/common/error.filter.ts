import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ApiError } from '@ioc/shared';
import type { Response } from 'express';
import { AppError, ErrorCode, httpStatusOf } from './app-error.js';

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
}
function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string' && 'status' in e;
}

/** Maps any error to the one error body of the API. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof AppError) {
    const statusCode = httpStatusOf(e.code);
    return { statusCode, error: REASON[statusCode] ?? 'Error', message: e.message, ...(e.details ? { details: e.details } : {}) };
  }
  if (isBodyParserError(e)) {
    if (e.type === 'entity.parse.failed') {
      return { statusCode: 400, error: REASON[400]!, message: `The request body is not valid JSON (${e.message}).` };
    }
    if (e.type === 'entity.too.large') {
      const limit = e.limit === undefined ? "the server's limit" : `the limit of ${e.limit >= 1 << 20 ? `${+(e.limit / (1 << 20)).toFixed(1)} MB` : `${Math.round(e.limit / 1024)} kB`} for this endpoint`;
      return { statusCode: 413, error: REASON[413]!, message: `The request body is larger than ${limit}.` };
    }
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
      return { statusCode: 415, error: REASON[415]!, message: 'The request body must be UTF-8 JSON.' };
    }
  }
  if (e instanceof HttpException) {
    const statusCode = e.getStatus();
    const res = e.getResponse();
    const message = typeof res === 'string' ? res : String((res as { message?: unknown }).message ?? e.message);
    return { statusCode, error: REASON[statusCode] ?? 'Error', message };
  }
  return { statusCode: 500, error: REASON[500]!, message: 'An unexpected error occurred; it has been logged.' };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toApiError(exception);
    if (exception instanceof AppError && exception.headers) res.set(exception.headers);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(body.statusCode).json(body);
  }
}

export { ErrorCode };
