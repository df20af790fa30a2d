import type { LiveView } from '../live/contract.js';

/**
 * Who may see and do what: one definition, enforced by the server on every
 * REST endpoint and live subscription, and read by the dashboard to show only
 * what a person may use.
 */
export const ROLES = ['admin', 'leader', 'operator', 'commune_chair'] as const;
export type Role = (typeof ROLES)[number];

/** A unit as access rules see it: a commune knows its province. */
export type UnitRef = { kind: 'nation' } | { kind: 'province'; code: string } | { kind: 'commune'; code: string; provinceCode: string };

/** The scope kinds each role may be given. */
export const ROLE_SCOPES: Record<Role, readonly UnitRef['kind'][]> = {
  admin: ['nation'],
  leader: ['nation', 'province'],
  operator: ['province'],
  commune_chair: ['commune'],
};

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
  leader: { vi: 'Lãnh đạo', en: 'Leader' },
  operator: { vi: 'Cán bộ trực IOC', en: 'IOC operator' },
  commune_chair: { vi: 'Chủ tịch UBND xã', en: 'Commune chair' },
};

export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  scope: UnitRef;
}

/**
 * What a permission covers, on one unit:
 * - `figures`: the unit's full aggregate figures: KPIs with their counts, series, freshness
 *   (REST `/kpis`, `/kpis/series`; live `summary`; a row of a live `children` table).
 * - `compare`: the unit's ranking row only: rank, index points, points lost and KPI rates,
 *   with dossiers received as its volume; no other counts, no freshness, no history.
 * - `alerts`: read the alerts of the unit and the units below it.
 * - `alerts.act`: acknowledge, assign and comment on those alerts.
 * - `rules.write`: override alert rules for the unit and the units below it.
 * - `dossiers`: dossier-level data of the unit.
 * - `admin`: accounts, ingest keys and the audit log.
 */
export const PERMISSIONS = ['figures', 'compare', 'alerts', 'alerts.act', 'rules.write', 'dossiers', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** True when `unit` is `scope` or lies below it. */
export function within(unit: UnitRef, scope: UnitRef): boolean {
  switch (scope.kind) {
    case 'nation':
      return true;
    case 'province':
      return (unit.kind === 'province' && unit.code === scope.code) || (unit.kind === 'commune' && unit.provinceCode === scope.code);
    case 'commune':
      return unit.kind === 'commune' && unit.code === scope.code;
  }
}

function provinceOfScope(scope: UnitRef): string | null {
  return scope.kind === 'province' ? scope.code : scope.kind === 'commune' ? scope.provinceCode : null;
}

/**
 * The rules (the README's access table says the same in words):
 * - admin: everything.
 * - leader and operator: full figures, alerts and dossiers of their scope; the aggregate figures
 *   of the nation and of every province, to compare with; the ranking rows of every unit.
 *   Only an operator acts on alerts and overrides rules, within their province.
 * - commune chair: everything about their commune, including acting on its alerts; the
 *   aggregate figures of their province and of the nation; of other communes, anywhere,
 *   only their ranking rows. No figures of other provinces, and no ranking of provinces.
 */
export function can(p: Pick<Principal, 'role' | 'scope'>, permission: Permission, unit: UnitRef): boolean {
  if (p.role === 'admin') return true;
  const own = within(unit, p.scope);
  switch (permission) {
    case 'admin':
      return false;
    case 'figures':
      if (own) return true;
      if (p.role === 'commune_chair') return unit.kind === 'nation' || (unit.kind === 'province' && unit.code === provinceOfScope(p.scope));
      return unit.kind !== 'commune';
    case 'compare':
      if (can(p, 'figures', unit)) return true;
      return p.role === 'commune_chair' ? unit.kind === 'commune' : true;
    case 'alerts':
    case 'dossiers':
      return own;
    case 'alerts.act':
      return own && (p.role === 'operator' || p.role === 'commune_chair');
    case 'rules.write':
      return own && p.role === 'operator';
  }
}

/** The permission a live view needs on its scope; `children` also needs `figures` on every unit below. */
export const LIVE_VIEW_PERMISSION: Record<LiveView, Permission> = { summary: 'figures', children: 'figures', alerts: 'alerts' };

/**
 * The table of the units below a scope (the live `children` view, `/rankings` with
 * counts) holds the full figures of the scope and of every unit listed: a person may
 * hold it only with `figures` on all of them. The first of those they may not read
 * (the scope, or a unit below it), or null when they may read the table.
 */
export function unitHidingChildren(p: Pick<Principal, 'role' | 'scope'>, scope: UnitRef, below: readonly UnitRef[]): UnitRef | null {
  if (!can(p, 'figures', scope)) return scope;
  return below.find((u) => !can(p, 'figures', u)) ?? null;
}

/** A role may hold a scope of this kind. */
export function roleAllowsScope(role: Role, scope: UnitRef): boolean {
  return ROLE_SCOPES[role].includes(scope.kind);
}
