import { API_ERROR_STATUS, type ApiErrorCode } from '@ioc/shared';

/**
 * Domain errors carry a code of the closed set in shared (`ApiErrorCode`); one filter
 * maps them to HTTP answers, with the code in the body for clients to switch on.
 */
export const ErrorCode = {
  BadRequest: 'BAD_REQUEST',
  MalformedJson: 'MALFORMED_JSON',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  TooManyRequests: 'TOO_MANY_REQUESTS',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  Unavailable: 'UNAVAILABLE',
} as const satisfies Record<string, ApiErrorCode>;
export type ErrorCode = ApiErrorCode;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After or WWW-Authenticate. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return API_ERROR_STATUS[code];
}

export const badRequest = (message: string, details?: unknown) => new AppError(ErrorCode.BadRequest, message, details);
export const notFound = (message: string) => new AppError(ErrorCode.NotFound, message);
export const conflict = (message: string) => new AppError(ErrorCode.Conflict, message);

/** 401: the caller is not known (no, bad or expired credentials). */
export const unauthorized = (message: string, error = 'invalid_token', details?: unknown) =>
  new AppError(ErrorCode.Unauthorized, message, details, { 'WWW-Authenticate': `Bearer realm="ioc", error="${error}"` });
/** 403: the caller is known and may not do this. */
export const forbidden = (message: string) => new AppError(ErrorCode.Forbidden, message);
export const tooManyRequests = (message: string, retryAfterSeconds: number, details?: unknown) =>
  new AppError(ErrorCode.TooManyRequests, message, details, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
