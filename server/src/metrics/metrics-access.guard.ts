import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { forbidden, unauthorized } from '../common/app-error.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/**
 * Who may read /metrics (the figures say how busy the server is and how it is
 * deployed, not what any unit does):
 * - METRICS_TOKEN set: whoever sends `Authorization: Bearer <METRICS_TOKEN>`, from anywhere;
 * - METRICS_TOKEN unset: only a caller on this machine (a loopback peer), and only
 *   when the request did not come through a proxy (no Forwarded / X-Forwarded-For /
 *   X-Real-IP header): a reverse proxy on the same machine must not open it to the world.
 */
export function metricsAccess(req: Request, token: string | null): 'ok' | 'no-token' | 'bad-token' | 'not-local' {
  if (token !== null) {
    const auth = req.headers.authorization;
    const m = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
    if (!m) return 'no-token';
    return sameSecret(m[1]!, token) ? 'ok' : 'bad-token';
  }
  const proxied = req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined || req.headers['x-real-ip'] !== undefined;
  return !proxied && isLoopback(req.socket.remoteAddress) ? 'ok' : 'not-local';
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** Compares digests, so neither the length nor the content leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(expected));
}

/** Applies metricsAccess (the route is `public` for the global AccessGuard; this guard is the rule). */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const verdict = metricsAccess(ctx.switchToHttp().getRequest<Request>(), this.config.metricsToken);
    switch (verdict) {
      case 'ok':
        return true;
      case 'no-token':
        throw unauthorized('Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.', 'invalid_request');
      case 'bad-token':
        throw unauthorized('The metrics token is not valid.');
      case 'not-local':
        throw forbidden('Metrics are served only to this machine while METRICS_TOKEN is unset; set METRICS_TOKEN to scrape from elsewhere.');
    }
  }
}
