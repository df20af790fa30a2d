import { Injectable } from '@nestjs/common';
import { LIVE_VIEW_PERMISSION, type Permission, type Principal, type Role, type Scope, type Topic, type UnitRef, can, unitHidingChildren } from '@ioc/shared';
import { forbidden } from '../common/app-error.js';
import { UnitsService } from '../units/units.service.js';

const ROLE_NAMES: Record<Role, string> = { admin: 'administrator', leader: 'leader', operator: 'IOC operator', commune_chair: 'commune chair' };
const WHAT: Record<Permission, string> = {
  figures: 'read the figures of',
  compare: 'compare',
  alerts: 'read the alerts of',
  'alerts.act': 'handle the alerts of',
  'rules.write': 'change the alert rules of',
  dossiers: 'read the dossiers of',
  admin: 'administer',
};

/** Applies the access rules of `shared/src/auth/access.ts` to units the server knows, with 403s a person can read. */
@Injectable()
export class AccessService {
  constructor(private readonly units: UnitsService) {}

  can(p: Principal, permission: Permission, unit: UnitRef): boolean {
    return can(p, permission, unit);
  }

  /** 403 unless `p` holds `permission` on `unit`. */
  assert(p: Principal, permission: Permission, unit: UnitRef): void {
    if (!can(p, permission, unit)) throw forbidden(this.refusal(p, permission, unit));
  }

  /** The same check on a scope string (400 when the scope is malformed or unknown). */
  assertScope(p: Principal, permission: Permission, scope: string, field = 'scope'): UnitRef {
    const unit = this.units.refOf(scope, field);
    this.assert(p, permission, unit);
    return unit;
  }

  /**
   * 403 unless `p` may read a table of the units below `scope` (`communes`, by code): it
   * holds the figures of each, so the person must be allowed to read every one. `advice`
   * ends the refusal.
   */
  assertTable(p: Principal, scope: UnitRef, communes: readonly string[], advice: string): void {
    const hidden = unitHidingChildren(
      p,
      scope,
      communes.map((c) => this.units.unitRef(c)),
    );
    if (hidden) throw forbidden(`${this.refusal(p, 'figures', hidden)} ${advice}`);
  }

  /** Why a live topic is refused, or null when `p` may hold it. `children` needs the figures of every unit listed. */
  topicRefusal(p: Principal, topic: Topic): string | null {
    const unit = this.units.ref(topic.scope);
    if (!unit) return null;
    const permission = LIVE_VIEW_PERMISSION[topic.view];
    if (!can(p, permission, unit)) return this.refusal(p, permission, unit);
    if (topic.view === 'children') {
      const below: UnitRef[] =
        unit.kind === 'nation'
          ? this.units.listProvinces().map((x) => ({ kind: 'province', code: x.code }))
          : unit.kind === 'province'
            ? this.units.communesOf(unit.code).map((c) => this.units.unitRef(c.code))
            : [];
      const hidden = unitHidingChildren(p, unit, below);
      if (hidden) return `${this.who(p)} may not read the table of units below ${this.units.scopeName(unit)}: it holds the figures of ${this.units.scopeName(hidden)}`;
    }
    return null;
  }

  refusal(p: Principal, permission: Permission, unit: UnitRef | Scope): string {
    return `${this.who(p)} may not ${WHAT[permission]} ${this.units.scopeName(unit)}.`;
  }

  who(p: Principal): string {
    return `${p.username} (${ROLE_NAMES[p.role]}, ${this.units.scopeName(p.scope)})`;
  }
}
