import { useEffect, useState } from 'react';
import { type UnitRef, parseScope } from '@ioc/shared';
import { t } from '../../i18n';
import { fetchCommune, fetchProvinces } from '../../lib/units';

/** A scope as a unit: its name and where it sits, for the breadcrumb, the map and the access rules. */
export interface ScopeUnit {
  ref: UnitRef;
  name: string;
  provinceCode: string | null;
  provinceName: string | null;
}

/** The unit a scope string names (public reference data); null while it comes or when the scope does not exist. */
export function useScopeUnit(scope: string): { unit: ScopeUnit | null; error: unknown } {
  const [state, setState] = useState<{ scope: string; unit: ScopeUnit | null; error: unknown }>({ scope, unit: null, error: null });

  useEffect(() => {
    let cancelled = false;
    const s = parseScope(scope);
    const load = async (): Promise<ScopeUnit> => {
      if (!s) throw new Error(t('scope.invalid', { ns: 'overview', scope }));
      if (s.kind === 'nation') return { ref: s, name: t('scope.nation', { ns: 'overview' }), provinceCode: null, provinceName: null };
      if (s.kind === 'province') {
        const p = (await fetchProvinces()).find((x) => x.code === s.code);
        if (!p) throw new Error(t('scope.unknown', { ns: 'overview', scope }));
        return { ref: s, name: p.fullName, provinceCode: p.code, provinceName: p.name };
      }
      const c = await fetchCommune(s.code);
      return { ref: { kind: 'commune', code: c.code, provinceCode: c.provinceCode }, name: `${c.fullName}, ${c.provinceName}`, provinceCode: c.provinceCode, provinceName: c.provinceName };
    };
    load().then(
      (unit) => !cancelled && setState({ scope, unit, error: null }),
      (error: unknown) => !cancelled && setState({ scope, unit: null, error }),
    );
    return () => {
      cancelled = true;
    };
  }, [scope]);

  return state.scope === scope ? { unit: state.unit, error: state.error } : { unit: null, error: null };
}
