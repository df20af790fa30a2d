import { useQuery } from '@tanstack/react-query';
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

class ScopeError extends Error {}

/** Units are proper names, the same in both languages; only the nation is named in words of the language shown. */
async function loadUnit(scope: string): Promise<ScopeUnit | null> {
  const s = parseScope(scope);
  if (!s) throw new ScopeError('invalid');
  if (s.kind === 'nation') return null;
  if (s.kind === 'province') {
    const p = (await fetchProvinces()).find((x) => x.code === s.code);
    if (!p) throw new ScopeError('unknown');
    return { ref: s, name: p.fullName, provinceCode: p.code, provinceName: p.name };
  }
  const c = await fetchCommune(s.code);
  return { ref: { kind: 'commune', code: c.code, provinceCode: c.provinceCode }, name: `${c.fullName}, ${c.provinceName}`, provinceCode: c.provinceCode, provinceName: c.provinceName };
}

/** The unit a scope string names (public reference data); null while it comes or when the scope does not exist. */
export function useScopeUnit(scope: string): { unit: ScopeUnit | null; error: unknown } {
  const q = useQuery({ queryKey: ['scope-unit', scope], queryFn: () => loadUnit(scope), staleTime: Infinity, retry: (n, e) => !(e instanceof ScopeError) && n < 2 });
  if (q.error instanceof ScopeError) {
    return { unit: null, error: new Error(q.error.message === 'invalid' ? t('scope.invalid', { ns: 'overview', scope }) : t('scope.unknown', { ns: 'overview', scope })) };
  }
  if (q.data === null) return { unit: { ref: { kind: 'nation' }, name: t('scope.nation', { ns: 'overview' }), provinceCode: null, provinceName: null }, error: null };
  return { unit: q.data ?? null, error: q.error ?? null };
}
