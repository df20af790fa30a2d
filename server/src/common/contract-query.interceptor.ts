import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ENDPOINTS, queryNames } from '@ioc/shared';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { refuseUnknownQuery } from './query.js';

/** Each endpoint's query parameter names from the contract, by `METHOD path` as Express matched the route. */
const QUERY_NAMES = new Map(ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e.query ? queryNames(e.query) : []]));

/**
 * Every route of the contract takes exactly the query parameters the contract declares for it:
 * an unknown one is a 400 naming it and the ones the endpoint takes (`?page=-1` on a list without
 * pages is not silently ignored), before the handler runs. Routes outside the contract (none in
 * the API; the contract test checks that) are left alone.
 */
@Injectable()
export class ContractQueryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const route: unknown = req.route;
      const path = typeof route === 'object' && route !== null && 'path' in route && typeof route.path === 'string' ? route.path : null;
      const names = path === null ? undefined : QUERY_NAMES.get(`${req.method} ${path}`);
      if (names) refuseUnknownQuery(req.query as Record<string, unknown>, names);
    }
    return next.handle();
  }
}
