import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RequestMethod, VERSION_NEUTRAL } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Application } from 'express';
import { ENDPOINTS, type NamedEndpoint, inputJsonSchema, queryNames } from '@ioc/shared';
import { ACCESS_METADATA } from '../src/common/access-policy.js';
import { requestBodySchemaOf } from '../src/common/contract.openapi.js';
import { type TestApp, startTestApp } from './harness.js';

/**
 * The contract table (shared/src/contract) against the running application: every route Express serves is in
 * the table and every entry is served, with the access its handler declares; the OpenAPI document's request
 * bodies are the table's; the query parameters a handler takes are those the table declares.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
const tableKeys = ENDPOINTS.map((e) => key(e.method, e.path));

/**
 * `METHOD /path` of every handler of a controller in the Express router. Nest names each such handler
 * `Controller.method` (e.g. `KpiController.kpis`); the other routes are the paths Nest mounts middleware on
 * and the OpenAPI document and Swagger UI, which SwaggerModule serves.
 */
function servedRoutes(): string[] {
  const express: Application = t.app.getHttpAdapter().getInstance();
  const routes = express.router.stack.flatMap((layer) => {
    const route = layer.route;
    if (!route) return [];
    return route.stack.filter((l) => /^[A-Za-z]\w*\.[A-Za-z]\w*$/.test(l.name)).map((l) => key(l.method, route.path));
  });
  return [...new Set(routes)];
}

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

/**
 * `METHOD /path` → the `@Access` of every handler of every controller, from Nest's metadata. Paths are put
 * together as app.factory sets them up: `/api/v<version>/…`, and version-neutral routes (GET /metrics) at the root.
 */
function declaredAccess(): Map<string, unknown> {
  const reflector = t.app.get(Reflector);
  const out = new Map<string, unknown>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype;
      if (typeof controller !== 'function') continue;
      const version: unknown = Reflect.getMetadata(VERSION_METADATA, controller);
      const base: unknown = Reflect.getMetadata(PATH_METADATA, controller);
      const proto: object = controller.prototype as object;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler: unknown = Reflect.get(proto, name);
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (method === undefined || path === undefined) continue;
        const prefix = version === VERSION_NEUTRAL ? [] : ['api', `v${String(version)}`];
        const full = `/${[...prefix, String(base), String(path)]
          .flatMap((p) => p.split('/'))
          .filter(Boolean)
          .join('/')}`;
        out.set(key(method, full), reflector.getAllAndOverride(ACCESS_METADATA, [handler, controller]));
      }
    }
  }
  return out;
}

describe('the contract table', () => {
  it('names each endpoint once', () => {
    expect(new Set(tableKeys).size).toBe(tableKeys.length);
  });

  it('has an entry for every route the server serves, and no entry for a route it does not', () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((r) => !tableKeys.includes(r))).toEqual([]);
    expect(tableKeys.filter((r) => !served.includes(r))).toEqual([]);
  });

  it('gives every route the access its handler declares (@Access)', () => {
    const declared = declaredAccess();
    // The same routes as Express serves, so the paths above are put together right.
    expect([...declared.keys()].sort()).toEqual(servedRoutes().sort());
    const wrong = ENDPOINTS.filter((e) => declared.get(key(e.method, e.path)) !== e.access).map(
      (e) => `${key(e.method, e.path)}: table ${e.access}, @Access ${String(declared.get(key(e.method, e.path)))}`,
    );
    expect(wrong).toEqual([]);
  });

  it("makes the OpenAPI document's request bodies from the table's schemas", async () => {
    const doc = (await t.http.get('/api/docs/openapi.json').expect(200)).body as OpenAPIObject;
    const withBody = ENDPOINTS.filter((e): e is NamedEndpoint & { body: NonNullable<NamedEndpoint['body']> } => e.body !== undefined);
    expect(withBody.length).toBeGreaterThan(20);
    for (const e of withBody) {
      expect({ endpoint: e.name, schema: requestBodySchemaOf(doc, e) }).toEqual({ endpoint: e.name, schema: inputJsonSchema(e.body) });
    }
  });

  it("makes the OpenAPI document's query parameters from the table's schemas", async () => {
    const doc = (await t.http.get('/api/docs/openapi.json').expect(200)).body as OpenAPIObject;
    for (const e of ENDPOINTS.filter((x) => x.query !== undefined && x.path.startsWith('/api/'))) {
      const op = doc.paths[e.path.replace(/:(\w+)/g, '{$1}')]?.[e.method === 'GET' ? 'get' : 'post'];
      const names = (op?.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'query' ? [p.name] : []));
      expect({ endpoint: e.name, query: names }).toEqual({ endpoint: e.name, query: queryNames(e.query!) });
    }
  });

  it('refuses an unknown query parameter on every GET, naming the very parameters the table declares', async () => {
    // Sample values for the path parameters; a handler that checks its query first answers before it looks them up.
    const sample: Record<string, string> = { communeCode: '00004', code: '01', id: '1', rule: 'commune-on-time-7d', unit: '01', eventId: 'none', userId: 'none' };
    const mismatched: string[] = [];
    for (const e of ENDPOINTS.filter((x) => x.method === 'GET' && x.path.startsWith('/api/'))) {
      const url = e.path.replace(/:(\w+)/g, (_, name: string) => sample[name] ?? 'x');
      const res = await t.http.get(`${url}?contract_probe=1`);
      const said = /^unknown query parameter\(s\): contract_probe; this endpoint takes (.*)$/.exec(res.status === 400 ? String(res.body.message) : '');
      const takes = said ? (said[1] === 'none' ? [] : said[1]!.split(', ')) : null;
      const declared = e.query ? queryNames(e.query) : [];
      if (JSON.stringify(takes) !== JSON.stringify(declared)) mismatched.push(`${e.name}: handler ${JSON.stringify(takes)}, table ${JSON.stringify(declared)}`);
    }
    expect(mismatched).toEqual([]);
  });
});
