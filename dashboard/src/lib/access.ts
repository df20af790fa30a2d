import { type Principal, type UnitRef, parseScope, unitHidingChildren } from '@ioc/shared';

/** A signed-in person as the access rules (`can` in shared) see them. */
export type Person = Pick<Principal, 'role' | 'scope'>;

/**
 * A scope string (`nation`, `province:01`, `commune:00004`) as a unit the access
 * rules understand; a commune needs its province, which the scope string does not carry.
 */
export function unitRefOf(scope: string, communeProvince: string | null): UnitRef | null {
  const s = parseScope(scope);
  if (!s) return null;
  if (s.kind !== 'commune') return s;
  return communeProvince === null ? null : { kind: 'commune', code: s.code, provinceCode: communeProvince };
}

/**
 * What the page may show below a scope: `none` for a commune (nothing is below it);
 * `allowed` when the person may read the full figures of the scope and of every unit
 * below it, which the table (live `children`, or `/rankings` with counts) carries;
 * `forbidden` otherwise, so the page does not ask for what the server would refuse.
 */
export type ChildrenTable = 'none' | 'allowed' | 'forbidden';

export function childrenTable(person: Person, scope: UnitRef, below: readonly UnitRef[]): ChildrenTable {
  if (scope.kind === 'commune') return 'none';
  return unitHidingChildren(person, scope, below) === null ? 'allowed' : 'forbidden';
}
