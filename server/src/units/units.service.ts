import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Commune, type Province, type Scope, type UnitRef, parseScope } from '@ioc/shared';
import { SERVER_ROOT } from '../config/config.js';
import { badRequest, notFound } from '../common/app-error.js';
import { upsertCommunes, upsertProvinces } from './unit-tables.js';

type SourceProvince = Omit<Province, 'communeCount'>;
type SourceCommune = Omit<Commune, 'provinceName'>;
/** Changes in force after 1 July 2025 that keep every code and boundary (server/data/vn-admin/amendments.json). */
interface Amendments {
  effective: string;
  provinces: Pick<Province, 'code' | 'type' | 'fullName'>[];
  communes: Pick<Commune, 'code' | 'type' | 'fullName'>[];
}

export interface GeoAsset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

export const REFERENCE_DIR = join(SERVER_ROOT, 'data', 'vn-admin');

/**
 * The 34 provinces and 3,321 communes of the 2025 reform, loaded from the
 * files shipped in server/data/vn-admin into the database (idempotently) and
 * kept in memory for lookups on the ingest path.
 */
@Injectable()
export class UnitsService implements OnModuleInit {
  private readonly logger = new Logger(UnitsService.name);
  private readonly provinces = new Map<string, Province>();
  private readonly communes = new Map<string, Commune>();
  private readonly communesByProvince = new Map<string, Commune[]>();
  private readonly geo = new Map<string, GeoAsset>();

  constructor(private readonly db: DataSource) {
    const provinces = JSON.parse(readFileSync(join(REFERENCE_DIR, 'provinces.json'), 'utf8')) as SourceProvince[];
    const communes = JSON.parse(readFileSync(join(REFERENCE_DIR, 'communes.json'), 'utf8')) as SourceCommune[];
    const amendments = JSON.parse(readFileSync(join(REFERENCE_DIR, 'amendments.json'), 'utf8')) as Amendments;
    for (const a of amendments.provinces)
      Object.assign(
        provinces.find((p) => p.code === a.code)!,
        a,
      );
    for (const a of amendments.communes)
      Object.assign(
        communes.find((c) => c.code === a.code)!,
        a,
      );
    for (const p of provinces) {
      const own = communes.filter((c) => c.provinceCode === p.code);
      this.provinces.set(p.code, {
        code: p.code,
        name: p.name,
        nameEn: p.nameEn,
        fullName: p.fullName,
        type: p.type,
        areaKm2: p.areaKm2,
        population: p.population,
        communeCount: own.length,
      });
    }
    for (const c of communes) {
      const commune: Commune = {
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        fullName: c.fullName,
        type: c.type,
        provinceCode: c.provinceCode,
        provinceName: this.provinces.get(c.provinceCode)?.name ?? '',
        areaKm2: c.areaKm2,
        lon: c.lon,
        lat: c.lat,
      };
      this.communes.set(c.code, commune);
      const list = this.communesByProvince.get(c.provinceCode) ?? [];
      list.push(commune);
      this.communesByProvince.set(c.provinceCode, list);
    }
  }

  async onModuleInit(): Promise<void> {
    await this.load();
  }

  /** Writes the reference units into the database; a no-op when they are already there. */
  async load(): Promise<void> {
    const t0 = Date.now();
    const provinces = [...this.provinces.values()];
    const communes = [...this.communes.values()];
    await this.db.transaction(async (m) => {
      await upsertProvinces(m, provinces);
      await upsertCommunes(m, communes);
    });
    this.logger.log(`reference units ready: ${provinces.length} provinces, ${communes.length} communes (${Date.now() - t0} ms)`);
  }

  listProvinces(): Province[] {
    return [...this.provinces.values()];
  }
  province(code: string): Province {
    const p = this.provinces.get(code);
    if (!p) throw notFound(`No province has code ${code}. Province codes have 2 digits, e.g. 01 (Hà Nội).`);
    return p;
  }
  communesOf(provinceCode: string): Commune[] {
    this.province(provinceCode);
    return this.communesByProvince.get(provinceCode) ?? [];
  }
  commune(code: string): Commune {
    const c = this.communes.get(code);
    if (!c) throw notFound(`No commune has code ${code}. Commune codes have 5 digits, e.g. 00004 (Ba Đình).`);
    return c;
  }
  allCommunes(): Commune[] {
    return [...this.communes.values()];
  }
  hasProvince(code: string): boolean {
    return this.provinces.has(code);
  }
  hasCommune(code: string): boolean {
    return this.communes.has(code);
  }

  /** Province of a handling unit (a commune, or a province for province-level dossiers); null if unknown. */
  provinceOfUnit(unitCode: string): string | null {
    if (unitCode.length === 2) return this.provinces.has(unitCode) ? unitCode : null;
    return this.communes.get(unitCode)?.provinceCode ?? null;
  }

  /** The unit a scope names, as access rules see it; null when its code is not a 2025 code. */
  ref(scope: Scope): UnitRef | null {
    if (scope.kind === 'nation') return scope;
    if (scope.kind === 'province') return this.provinces.has(scope.code) ? scope : null;
    const c = this.communes.get(scope.code);
    return c ? { kind: 'commune', code: c.code, provinceCode: c.provinceCode } : null;
  }

  /** The unit that handles dossiers under a code: a province (2 digits) or a commune (5 digits); 404 when unknown. */
  unitRef(unitCode: string): UnitRef {
    if (unitCode.length === 2) return { kind: 'province', code: this.province(unitCode).code };
    const c = this.commune(unitCode);
    return { kind: 'commune', code: c.code, provinceCode: c.provinceCode };
  }

  /** The unit of a scope string (`nation`, `province:01`, `commune:00004`): 400 when malformed, 404 when no unit has the code. */
  refOf(scope: string, field = 'scope'): UnitRef {
    const parsed = parseScope(scope);
    if (!parsed) throw badRequest(`${field} must be nation, province:<2-digit code> or commune:<5-digit code>, got "${scope}"`);
    if (parsed.kind === 'province') this.province(parsed.code);
    if (parsed.kind === 'commune') this.commune(parsed.code);
    return this.ref(parsed)!;
  }

  /** "cả nước", or the unit's full name with its province for a commune. */
  scopeName(scope: Scope | UnitRef): string {
    if (scope.kind === 'nation') return 'Cả nước';
    if (scope.kind === 'province') return this.provinces.get(scope.code)?.fullName ?? scope.code;
    const c = this.communes.get(scope.code);
    return c ? `${c.fullName}, ${this.provinces.get(c.provinceCode)?.name ?? c.provinceCode}` : scope.code;
  }

  unitName(unitCode: string): string {
    return unitCode.length === 2 ? (this.provinces.get(unitCode)?.name ?? unitCode) : (this.communes.get(unitCode)?.name ?? unitCode);
  }

  /** Compact GeoJSON of the provinces, or of one province's communes. */
  geoAsset(provinceCode?: string): GeoAsset {
    if (provinceCode !== undefined) this.province(provinceCode);
    const key = provinceCode ?? 'provinces';
    const cached = this.geo.get(key);
    if (cached) return cached;
    const file = provinceCode ? join(REFERENCE_DIR, 'geo', 'communes', `${provinceCode}.geojson`) : join(REFERENCE_DIR, 'geo', 'provinces.geojson');
    if (!existsSync(file)) throw notFound('Boundary data is missing from this installation.');
    const body = readFileSync(file);
    const asset = { body, gzipped: gzipSync(body, { level: 9 }), etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    this.geo.set(key, asset);
    return asset;
  }
}
