/** Domain errors carry a code; one filter maps codes to HTTP answers. */
export enum ErrorCode {
  BadRequest = 'BAD_REQUEST',
  MalformedJson = 'MALFORMED_JSON',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Unavailable = 'UNAVAILABLE',
}

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
  switch (code) {
    case ErrorCode.BadRequest:
    case ErrorCode.MalformedJson:
      return 400;
    case ErrorCode.Unauthorized:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.TooManyRequests:
      return 429;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.Conflict:
      return 409;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.Unavailable:
      return 503;
  }
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
