import { describe, expect, it } from '@jest/globals';
import type { KpiResponse } from '../api.js';
import type { AlertDetail, RuleOverride, RuleResponse } from '../alerts/api.js';
import { ENDPOINTS } from './index.js';
import { API_ROUTES, type ApiRoute, type ApiRoutes, type PathParamNames } from './routes.js';

/** True when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

describe('the route types of the contract table', () => {
  it('has the method, path and access of every endpoint in API_ROUTES, and nothing else', () => {
    const table = Object.fromEntries(ENDPOINTS.map((e) => [e.name, { method: e.method, path: e.path, access: e.access }]));
    expect(API_ROUTES).toEqual(table);
  });

  it('reads path parameters, query, body and answer from the table', () => {
    // Checked by tsc: a wrong type here fails the typecheck.
    const checks: true[] = [
      true satisfies Equal<PathParamNames<'/api/v1/alert-rules/:rule/overrides/:unit'>, 'rule' | 'unit'>,
      true satisfies Equal<PathParamNames<'/api/v1/reports/:id.pdf'>, 'id'>,
      true satisfies Equal<PathParamNames<'/api/v1/kpis'>, never>,
      true satisfies Equal<ApiRoutes['alerts.acknowledge']['params'], { id: string }>,
      true satisfies Equal<ApiRoutes['alerts.acknowledge']['body'], { note?: string | undefined }>,
      true satisfies Equal<ApiRoutes['alerts.acknowledge']['query'], undefined>,
      true satisfies Equal<ApiRoutes['alerts.acknowledge']['response'], AlertDetail>,
      true satisfies Equal<ApiRoutes['alerts.setOverride']['params'], { rule: string; unit: string }>,
      true satisfies Equal<ApiRoutes['alerts.rules']['response'], RuleResponse[]>,
      true satisfies Equal<ApiRoutes['alerts.overrides']['response'], RuleOverride[]>,
      true satisfies Equal<ApiRoutes['alerts.deleteOverride']['response'], void>,
      true satisfies Equal<ApiRoutes['kpis.kpis']['params'], Record<never, never>>,
      true satisfies Equal<ApiRoutes['kpis.kpis']['query'], { scope?: string | undefined; from?: string | undefined; to?: string | undefined }>,
      true satisfies Equal<ApiRoutes['kpis.kpis']['response'], KpiResponse>,
      true satisfies Equal<ApiRoutes['kpis.series']['query']['granularity'], 'hour' | 'day' | 'month' | undefined>,
      true satisfies Equal<Extract<ApiRoute, 'kpis.kpis' | 'kpis.nope'>, 'kpis.kpis'>,
    ];
    expect(checks.every(Boolean)).toBe(true);
  });
});
