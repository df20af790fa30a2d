import { describe, expect, it } from '@jest/globals';
import { routePath } from './apiRoutes';

const MAY = { from: '2026-05-01', to: '2026-05-31' } as const;

describe('the URL of a route of the contract', () => {
  it('fills in the path parameters, encoded', () => {
    expect(routePath('alerts.detail', { params: { id: '42' } })).toBe('/api/v1/alerts/42');
    expect(routePath('alerts.detail', { params: { id: 'a/b c?d' } })).toBe('/api/v1/alerts/a%2Fb%20c%3Fd');
    expect(routePath('alerts.setOverride', { params: { rule: 'commune-on-time-7d', unit: 'province:01' } })).toBe('/api/v1/alert-rules/commune-on-time-7d/overrides/province%3A01');
    expect(routePath('reports.pdf', { params: { id: '7' } })).toBe('/api/v1/reports/7.pdf');
    expect(routePath('reports.xlsx', { params: { id: '7' } })).toBe('/api/v1/reports/7.xlsx');
  });

  it('refuses a path parameter left out', () => {
    expect(() => routePath('alerts.detail', {} as never)).toThrow('alerts.detail: no value for :id');
  });

  it('adds the query values that are set, in the order given, and no `?` without any', () => {
    expect(routePath('reports.list', { query: { kind: undefined, page: 2, pageSize: 20 } })).toBe('/api/v1/reports?page=2&pageSize=20');
    expect(routePath('dossiers.list', { query: { scope: 'commune:00004', state: undefined, page: undefined, pageSize: undefined } })).toBe('/api/v1/dossiers?scope=commune%3A00004');
    expect(routePath('feedback.summary', { query: { scope: undefined } })).toBe('/api/v1/feedback/summary');
    expect(routePath('alerts.evaluation', {})).toBe('/api/v1/alerts/evaluation');
    expect(routePath('notifications.deliveries', { query: { pageSize: 5, status: 'failed,dead_letter' } })).toBe('/api/v1/notifications/deliveries?pageSize=5&status=failed%2Cdead_letter');
  });

  it('is the URL the dashboard asked before the typed client', () => {
    // As `/api/v1/kpis?${query({ scope, ...range })}` and the like wrote them.
    expect(routePath('kpis.kpis', { query: { scope: 'province:01', ...MAY } })).toBe('/api/v1/kpis?scope=province%3A01&from=2026-05-01&to=2026-05-31');
    expect(routePath('kpis.rankings', { query: { scope: 'province:01', by: 'points', level: 'commune', ...MAY } })).toBe(
      '/api/v1/rankings?scope=province%3A01&by=points&level=commune&from=2026-05-01&to=2026-05-31',
    );
    expect(routePath('kpis.rankings', { query: { scope: 'nation', by: 'index', level: undefined, ...MAY } })).toBe('/api/v1/rankings?scope=nation&by=index&from=2026-05-01&to=2026-05-31');
    expect(routePath('kpis.series', { query: { scope: 'commune:00004', ...MAY, granularity: 'hour' } })).toBe(
      '/api/v1/kpis/series?scope=commune%3A00004&from=2026-05-01&to=2026-05-31&granularity=hour',
    );
    expect(routePath('alerts.acknowledge', { params: { id: '1234' } })).toBe('/api/v1/alerts/1234/acknowledge');
    expect(routePath('notifications.redeliver', { params: { id: '9' } })).toBe('/api/v1/notifications/deliveries/9/retry');
    expect(routePath('connectivity.timeline', { params: { communeCode: '00004' }, query: MAY })).toBe('/api/v1/connectivity/00004/timeline?from=2026-05-01&to=2026-05-31');
    expect(routePath('units.geoCommunes', { params: { code: '01' } })).toBe('/api/v1/geo/provinces/01/communes');
  });
});
