import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { API_ERROR_STATUS, type ApiError, type ApiErrorCode } from '@ioc/shared';
import type { NextFunction, Request, Response } from 'express';
import { AppError, ErrorCode, badRequest } from './app-error.js';

/**
 * Checks every API request passes before a controller sees it, so malformed input
 * is answered 4xx with a sentence rather than reaching code that assumes a shape
 * (or PostgreSQL, which refuses NUL characters and unpaired surrogates with a 500).
 */

/** Query parameters the API takes more than once; none today (lists are comma-separated). */
const REPEATABLE_QUERY_PARAMS = new Set<string>();

/** C0 control characters and DEL: no query parameter of this API legitimately holds one. */
// eslint-disable-next-line no-control-regex -- finding control characters is what it is for
const CONTROL = /[\u0000-\u001f\u007f]/;
/** A UTF-16 surrogate half without its partner: not text, and PostgreSQL's json type rejects it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const codePoint = (s: string) => `U+${s.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
const shown = (name: string) => JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);

/** The problem with a parsed query string, or null. */
export function queryProblem(query: Record<string, unknown>): string | null {
  for (const [name, value] of Object.entries(query)) {
    const c = CONTROL.exec(name);
    if (c) return `the query parameter name ${shown(name)} contains a control character (${codePoint(c[0])}); remove it`;
    if (/[[\]]/.test(name)) {
      return `the query parameter ${shown(name)} uses brackets; this API takes plain parameters (name=value), each given once`;
    }
    if (Array.isArray(value) && !REPEATABLE_QUERY_PARAMS.has(name)) {
      return `the query parameter '${name}' was given more than once; give it once (comma-separate several values where the endpoint allows)`;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return `the query parameter '${name}' has a structured value; give it once as plain text (name=value)`;
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      const bad = typeof v === 'string' ? CONTROL.exec(v) : null;
      if (bad) return `the query parameter '${name}' contains a control character (${codePoint(bad[0])}); remove it`;
    }
  }
  return null;
}

/** 400 for a query string with a repeated, bracketed or structured parameter, or a control character. */
export function guardQuery(req: Request, _res: Response, next: NextFunction): void {
  if (!req.path.startsWith('/api/')) return next();
  const problem = queryProblem(req.query as Record<string, unknown>);
  next(problem ? badRequest(problem) : undefined);
}

/** The problem with a request path's segments as the routes will read them (decoded), or null. */
export function pathProblem(path: string): string | null {
  for (const raw of path.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      continue; // Malformed percent-encoding: the router answers it.
    }
    const c = CONTROL.exec(segment);
    if (c) return `the path segment ${shown(raw)} contains a control character (${codePoint(c[0])}); no id or code of this API holds one`;
    if (LONE_SURROGATE.test(segment)) return `the path segment ${shown(raw)} is not text (an unpaired UTF-16 surrogate)`;
  }
  return null;
}

/** 400 for an API path whose segments hold a control character or are not text, before a route reads one as an id. */
export function guardPath(req: Request, _res: Response, next: NextFunction): void {
  if (!req.path.startsWith('/api/')) return next();
  const problem = pathProblem(req.path);
  next(problem ? badRequest(problem) : undefined);
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** 415 for a request body that is not UTF-8 JSON: the API reads nothing else. */
export function guardBodyType(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!req.path.startsWith('/api/') || !hasBody || req.method === 'GET' || req.method === 'HEAD') return next();
  const header = req.headers['content-type'] ?? '';
  const [type = '', ...params] = header.split(';').map((p) => p.trim());
  if (!JSON_TYPE.test(type.toLowerCase())) {
    return next(
      new AppError(
        ErrorCode.UnsupportedMediaType,
        header
          ? `The request body must be JSON sent with "Content-Type: application/json"; got "${header.slice(0, 100)}".`
          : 'The request has a body but no Content-Type: send JSON with "Content-Type: application/json".',
      ),
    );
  }
  const charset = params.map((p) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(p)?.[1]).find((c) => c !== undefined);
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    return next(new AppError(ErrorCode.UnsupportedMediaType, `The request body must be UTF-8 JSON; charset "${charset.slice(0, 40)}" is not supported.`));
  }
  next();
}

/** Where in a parsed JSON body a string (or key) holds a NUL character or an unpaired surrogate, or null. */
export function textProblem(body: unknown): string | null {
  const stack: [unknown, string][] = [[body, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return `${path || 'the body'} contains a NUL character (U+0000), which text may not hold`;
      if (LONE_SURROGATE.test(v)) return `${path || 'the body'} contains an unpaired UTF-16 surrogate (\\ud800–\\udfff), which is not text`;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const at = Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
        if (!Array.isArray(v) && (k.includes('\u0000') || LONE_SURROGATE.test(k))) {
          return `the field name ${JSON.stringify(at)} contains a NUL character or an unpaired surrogate`;
        }
        stack.push([child, at]);
      }
    }
  }
  return null;
}

/**
 * 400 for a JSON body whose text PostgreSQL cannot store. Ingest is left to
 * per-event validation, so one broken event does not cost its batch the good ones.
 */
export function guardBodyText(ingestPath: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.path === ingestPath || req.body === undefined) return next();
    const problem = textProblem(req.body);
    next(problem ? badRequest(`The request body is not usable: ${problem}.`) : undefined);
  };
}

/**
 * Requests Node's HTTP parser refuses (headers over its size limit, malformed
 * request lines) are answered in the API's JSON error format instead of a bare status line.
 */
export function answerClientErrorsInJson(server: Server): void {
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [code, error, message]: [ApiErrorCode, string, string] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? ['HEADERS_TOO_LARGE', 'Request Header Fields Too Large', 'The request headers are too large (over 16 kB together): send a shorter Authorization, X-Api-Key or Cookie header.']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ['REQUEST_TIMEOUT', 'Request Timeout', 'The request was not received in time.']
          : ['BAD_REQUEST', 'Bad Request', 'The request is not valid HTTP (malformed request line or headers).'];
    const statusCode = API_ERROR_STATUS[code];
    const body = JSON.stringify({ statusCode, code, error, message } satisfies ApiError);
    socket.end(`HTTP/1.1 ${statusCode} ${error}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
