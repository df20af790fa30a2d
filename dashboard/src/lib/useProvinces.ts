import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Province } from '@ioc/shared';
import { fetchProvinces } from './units';

const NO_PROVINCES: ReadonlyMap<string, Province> = new Map();
const byCode = (list: Province[]): ReadonlyMap<string, Province> => new Map(list.map((p) => [p.code, p]));

/** The provinces by code: public reference data, read once into the query cache; empty while it comes. */
export function useProvinces(): ReadonlyMap<string, Province> {
  const { data } = useQuery({ queryKey: ['province-map'], queryFn: fetchProvinces, select: byCode, staleTime: Infinity });
  return data ?? NO_PROVINCES;
}

/** Province names by code; unknown codes (or before the list has come) answer null. */
export function useProvinceNames(): (code: string) => string | null {
  const provinces = useProvinces();
  return useCallback((code: string) => provinces.get(code)?.name ?? null, [provinces]);
}
