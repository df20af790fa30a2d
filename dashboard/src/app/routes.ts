import { type Principal, formatScope } from '@ioc/shared';

/**
 * The dashboard's addresses (hash routes, so the server serves one page and a
 * bookmarked or shared link opens the same view):
 * - `/overview` and `/overview/<scope>`: KPIs, map, trend and ranking of a scope (`province:01`, `commune:00004`);
 * - `/operations` and `/operations/alerts/<id>`: the live alert list and one alert;
 * - `/commune/<code>`: a commune against its province, the nation and its peers;
 * - `/wall`: full-screen rotating views for the IOC's big screens;
 * - `/notifications`: channels, subscriptions, escalation and dead letters (administrators);
 * - `/reports`: archived monthly, quarterly and on-demand reports, and generating one;
 * - `/sectors` and `/sectors/<scope>`: a scope's dossiers per sector and procedure.
 */
export const paths = {
  overview: (scope?: string) => (scope && scope !== 'nation' ? `/overview/${scope}` : '/overview'),
  operations: () => '/operations',
  alert: (id: string) => `/operations/alerts/${encodeURIComponent(id)}`,
  commune: (code: string) => `/commune/${code}`,
  wall: () => '/wall',
  notifications: () => '/notifications',
  reports: () => '/reports',
  sectors: (scope?: string) => (scope ? `/sectors/${scope}` : '/sectors'),
} as const;

export type Section = 'overview' | 'operations' | 'commune' | 'wall' | 'notifications' | 'reports' | 'sectors';

/** Where each role lands after signing in: leaders on the overview, operators on operations, chairs on their commune. */
export function homePath(p: Pick<Principal, 'role' | 'scope'>): string {
  switch (p.role) {
    case 'operator':
      return paths.operations();
    case 'commune_chair':
      return p.scope.kind === 'commune' ? paths.commune(p.scope.code) : paths.overview();
    default:
      return paths.overview(formatScope(p.scope));
  }
}

/** The sections a person's navigation offers, in order. */
export function sectionsOf(p: Pick<Principal, 'role' | 'scope'>): Section[] {
  switch (p.role) {
    case 'commune_chair':
      return ['commune', 'overview', 'operations', 'sectors', 'reports'];
    case 'operator':
      return ['operations', 'overview', 'sectors', 'reports', 'wall'];
    case 'leader':
      return ['overview', 'operations', 'sectors', 'reports', 'wall'];
    case 'admin':
      return ['overview', 'operations', 'sectors', 'reports', 'notifications', 'wall'];
  }
}
