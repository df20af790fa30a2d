import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthedPrincipal, IngestSource } from './auth.types.js';

/** A request as AccessGuard leaves it: with the signed-in account or the source system it found. */
export interface AuthedRequest extends Request {
  principal?: AuthedPrincipal;
  source?: IngestSource;
}

/** The signed-in account of the request (on `signed-in` and `admin` routes). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthedPrincipal => {
  const p = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!p) throw new Error('CurrentUser on a route without a signed-in account');
  return p;
});

/** The source system of the request (on `ingest-key` routes). */
export const CurrentSource = createParamDecorator((_: unknown, ctx: ExecutionContext): IngestSource => {
  const s = ctx.switchToHttp().getRequest<AuthedRequest>().source;
  if (!s) throw new Error('CurrentSource on a route without an ingest key');
  return s;
});

/** Where the request came from, for the audit log. */
export const ClientInfo = createParamDecorator((_: unknown, ctx: ExecutionContext): { ip: string | null; userAgent: string | null } => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent']?.slice(0, 300) ?? null };
});
