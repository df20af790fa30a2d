/** Administrative units after the 1 July 2025 reform: 34 provinces, 3,321 communes. */
export type ProvinceType = 'thành phố' | 'tỉnh';
export type CommuneType = 'xã' | 'phường' | 'đặc khu';

export interface Province {
  code: string;
  name: string;
  nameEn: string;
  fullName: string;
  type: ProvinceType;
  areaKm2: number;
  population: number;
  communeCount: number;
}

export interface Commune {
  code: string;
  name: string;
  nameEn: string;
  fullName: string;
  type: CommuneType;
  provinceCode: string;
  provinceName: string;
  areaKm2: number;
  lon: number;
  lat: number;
}

export const PROVINCE_CODE_RE = /^\d{2}$/;
export const COMMUNE_CODE_RE = /^\d{5}$/;
