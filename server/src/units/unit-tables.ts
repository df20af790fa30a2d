import type { Commune, Province } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/*
 * The reference units' tables (province, commune): written from the shipped files at
 * start, read by SQL joins elsewhere and, on the rebuild path, as a commune → province map.
 */

/** Writes the provinces, changing only rows that differ (a start with unchanged files writes nothing). */
export async function upsertProvinces(q: Queryable, provinces: readonly Omit<Province, 'communeCount'>[]): Promise<void> {
  await q.query(
    `INSERT INTO province (code, name, name_en, full_name, type, area_km2, population)
     SELECT code, name, "nameEn", "fullName", type, "areaKm2", population
     FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, "nameEn" text, "fullName" text, type text, "areaKm2" numeric, population int)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, full_name = excluded.full_name,
       type = excluded.type, area_km2 = excluded.area_km2, population = excluded.population
     WHERE (province.name, province.name_en, province.full_name, province.type, province.area_km2, province.population)
       IS DISTINCT FROM (excluded.name, excluded.name_en, excluded.full_name, excluded.type, excluded.area_km2, excluded.population)`,
    [JSON.stringify(provinces.map((p) => ({ code: p.code, name: p.name, nameEn: p.nameEn, fullName: p.fullName, type: p.type, areaKm2: p.areaKm2, population: p.population })))],
  );
}

/** Writes the communes, changing only rows that differ. */
export async function upsertCommunes(q: Queryable, communes: readonly Omit<Commune, 'provinceName'>[]): Promise<void> {
  await q.query(
    `INSERT INTO commune (code, province_code, name, name_en, full_name, type, area_km2, lon, lat)
     SELECT code, "provinceCode", name, "nameEn", "fullName", type, "areaKm2", lon, lat
     FROM jsonb_to_recordset($1::jsonb) AS x(code text, "provinceCode" text, name text, "nameEn" text, "fullName" text, type text, "areaKm2" numeric, lon float8, lat float8)
     ON CONFLICT (code) DO UPDATE SET province_code = excluded.province_code, name = excluded.name, name_en = excluded.name_en,
       full_name = excluded.full_name, type = excluded.type, area_km2 = excluded.area_km2, lon = excluded.lon, lat = excluded.lat
     WHERE (commune.province_code, commune.name, commune.name_en, commune.full_name, commune.type, commune.area_km2, commune.lon, commune.lat)
       IS DISTINCT FROM (excluded.province_code, excluded.name, excluded.name_en, excluded.full_name, excluded.type, excluded.area_km2, excluded.lon, excluded.lat)`,
    [
      JSON.stringify(
        communes.map((c) => ({ code: c.code, provinceCode: c.provinceCode, name: c.name, nameEn: c.nameEn, fullName: c.fullName, type: c.type, areaKm2: c.areaKm2, lon: c.lon, lat: c.lat })),
      ),
    ],
  );
}

/** Each commune's province, as the database holds them (what the log's units are checked against on a rebuild). */
export async function provinceOfCommunes(q: Queryable): Promise<Map<string, string>> {
  const rows = (await q.query(`SELECT code, province_code FROM commune`)) as { code: string; province_code: string }[];
  return new Map(rows.map((r) => [r.code, r.province_code]));
}
