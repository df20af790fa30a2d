import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SimProvince, SimUnit } from './simulator/index.js';

/** The reference data's communes and provinces as the simulator takes them, for the demo's unit tests. */
const referenceFile = (name: string) => fileURLToPath(new URL(`../../data/vn-admin/${name}`, import.meta.url));

export const UNITS = (JSON.parse(readFileSync(referenceFile('communes.json'), 'utf8')) as SimUnit[]).map(({ code, name, type, provinceCode, areaKm2 }): SimUnit => ({
  code,
  name,
  type,
  provinceCode,
  areaKm2,
}));
export const PROVINCES = (JSON.parse(readFileSync(referenceFile('provinces.json'), 'utf8')) as SimProvince[]).map(({ code, name, population }): SimProvince => ({ code, name, population }));
