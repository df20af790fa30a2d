import { useCallback, useEffect, useState } from 'react';
import { fetchProvinces } from '../../lib/units';

/** Province names by code (reference data, fetched once per page load); unknown codes answer null. */
export function useProvinceNames(): (code: string) => string | null {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let alive = true;
    fetchProvinces().then(
      (list) => alive && setNames(new Map(list.map((p) => [p.code, p.name]))),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);
  return useCallback((code: string) => names.get(code) ?? null, [names]);
}
