import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import { fetchProvinces } from '../../lib/units';

/** Province names by code (reference data, read once into the query cache); unknown codes answer null. */
export function useProvinceNames(): (code: string) => string | null {
  const { data } = useQuery({ queryKey: ['province-names'], queryFn: fetchProvinces, staleTime: Infinity });
  return useCallback((code: string) => data?.find((p) => p.code === code)?.name ?? null, [data]);
}
