import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden } from '../common/app-error.js';
import { ACCESS_METADATA, type AccessPolicy } from '../common/access-policy.js';
import type { AuthedRequest } from './access.decorator.js';
import { AccessService } from './access.service.js';
import { AuthService } from './auth.service.js';
import { IngestKeysService } from './ingest-keys.service.js';

/**
 * The global guard: every HTTP route declares an AccessPolicy, and a route that
 * declares none is refused (a new endpoint is closed until someone decides who may use it).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly keys: IngestKeysService,
    private readonly access: AccessService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_METADATA, [ctx.getHandler(), ctx.getClass()]);
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    switch (policy) {
      case 'public':
        return true;
      case 'ingest-key':
        req.source = await this.keys.authenticate(req.headers['x-api-key']);
        return true;
      case 'signed-in':
      case 'admin': {
        const p = await this.auth.authenticate(req.headers.authorization);
        req.principal = p;
        if (policy === 'admin' && p.role !== 'admin') throw forbidden(`${this.access.who(p)} may not do this: it is for administrators.`);
        return true;
      }
      default:
        this.logger.error(`${req.method} ${req.path} declares no access policy: refused`);
        throw forbidden('This endpoint has no access rule yet, so it is closed.');
    }
  }
}
