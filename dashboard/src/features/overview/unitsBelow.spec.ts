import { describe, expect, it } from '@jest/globals';
import type { Commune, CommuneType, Province } from '@ioc/shared';
import { capitalize, communesBelow, provincesBelow } from './unitsBelow';

const commune = (code: string, type: CommuneType): Commune => ({
  code,
  name: code,
  nameEn: code,
  fullName: code,
  type,
  provinceCode: '22',
  provinceName: 'Quảng Ninh',
  areaKm2: 1,
  lon: 0,
  lat: 0,
});

describe('the units below a scope', () => {
  it('provinces are "tỉnh, thành phố"', () => {
    const p = { code: '01' } as Province;
    expect(provincesBelow([p])).toEqual({ refs: [{ kind: 'province', code: '01' }], noun: 'tỉnh, thành phố' });
  });

  it('communes are named by the kinds the province has, in the order of the law', () => {
    expect(communesBelow([commune('1', 'phường'), commune('2', 'xã')]).noun).toBe('xã, phường');
    expect(communesBelow([commune('1', 'đặc khu'), commune('2', 'phường'), commune('3', 'xã')]).noun).toBe('xã, phường, đặc khu');
    expect(communesBelow([commune('1', 'xã')]).noun).toBe('xã');
    expect(communesBelow([commune('7', 'xã')]).refs).toEqual([{ kind: 'commune', code: '7', provinceCode: '22' }]);
  });

  it('a column header starts with a capital, Vietnamese letters included', () => {
    expect(capitalize('xã, phường')).toBe('Xã, phường');
    expect(capitalize('đặc khu')).toBe('Đặc khu');
  });
});
