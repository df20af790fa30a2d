import { timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AppError, ErrorCode } from '../common/app-error.js';

/** Source systems authenticate with an API key in `X-Api-Key`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keys = config.ingestApiKeys.map((k) => Buffer.from(k));
  }

  canActivate(ctx: ExecutionContext): boolean {
    const header = ctx.switchToHttp().getRequest<Request>().headers['x-api-key'];
    if (typeof header !== 'string' || header === '') {
      throw new AppError(ErrorCode.Unauthorized, 'Missing API key: send the source system key in the X-Api-Key header.');
    }
    const given = Buffer.from(header);
    if (!this.keys.some((k) => k.length === given.length && timingSafeEqual(k, given))) {
      throw new AppError(ErrorCode.Unauthorized, 'The API key in X-Api-Key is not valid.');
    }
    return true;
  }
}
