import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Commune, Province } from '@ioc/shared';
import { UnitsService } from '../src/units/units.service.js';
import { type TestApp, startTestApp } from './harness.js';

let t: TestApp;
const http = () => t.http;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('reference units (2025 reform)', () => {
  it('loads the 34 provinces and 3,321 communes, idempotently', async () => {
    await t.app.get(UnitsService).load();
    const [{ p, c, x, ph, dk }] = (await t.db.query(
      `SELECT (SELECT count(*) FROM province)::int AS p, (SELECT count(*) FROM commune)::int AS c,
              (SELECT count(*) FROM commune WHERE type = 'xã')::int AS x, (SELECT count(*) FROM commune WHERE type = 'phường')::int AS ph,
              (SELECT count(*) FROM commune WHERE type = 'đặc khu')::int AS dk`,
    )) as { p: number; c: number; x: number; ph: number; dk: number }[];
    // 2,621 xã / 687 phường / 13 đặc khu on 1 July 2025; 10 xã of Đồng Nai became phường on 30 April 2026.
    expect({ p, c, x, ph, dk }).toEqual({ p: 34, c: 3321, x: 2611, ph: 697, dk: 13 });
  });

  it('lists provinces with names in Vietnamese and their commune counts', async () => {
    const res = await http().get('/api/v1/units/provinces');
    const provinces = res.body as Province[];
    expect(provinces).toHaveLength(34);
    expect(provinces.reduce((s, x) => s + x.communeCount, 0)).toBe(3321);
    expect(provinces.find((x) => x.code === '01')).toMatchObject({ name: 'Hà Nội', fullName: 'Thành phố Hà Nội', type: 'thành phố' });
    expect(provinces.find((x) => x.code === '75')).toMatchObject({ name: 'Đồng Nai', fullName: 'Thành phố Đồng Nai', type: 'thành phố' });
    expect(provinces.every((x) => x.name === x.name.normalize('NFC'))).toBe(true);
  });

  it("lists a province's communes and one commune", async () => {
    const list = (await http().get('/api/v1/units/provinces/04/communes')).body as Commune[];
    expect(list.length).toBeGreaterThan(50);
    expect(list.every((c) => c.provinceCode === '04' && c.provinceName === 'Cao Bằng')).toBe(true);
    const one = (await http().get('/api/v1/units/communes/00745')).body as Commune;
    expect(one).toMatchObject({ code: '00745', fullName: 'Xã Phố Bảng', type: 'xã', provinceCode: '08' });
    expect(((await http().get('/api/v1/units/communes/26248')).body as Commune).fullName).toBe('Phường Trảng Bom');
    expect((await http().get('/api/v1/units/provinces/99/communes')).status).toBe(404);
  });

  it('serves compact GeoJSON for the national and the province view', async () => {
    const nation = await http().get('/api/v1/geo/provinces').set('Accept-Encoding', 'gzip');
    expect(nation.status).toBe(200);
    expect(nation.headers['content-type']).toMatch(/geo\+json/);
    expect(nation.body.features).toHaveLength(34);
    for (const code of ['01', '52', '79']) {
      const res = await http().get(`/api/v1/geo/provinces/${code}/communes`).set('Accept-Encoding', 'gzip');
      expect(res.status).toBe(200);
      expect(Number(res.headers['content-length'] ?? JSON.stringify(res.body).length)).toBeLessThan(300_000);
      expect(res.body.features.every((f: { properties: { code: string } }) => /^\d{5}$/.test(f.properties.code))).toBe(true);
    }
    const again = await http().get('/api/v1/geo/provinces').set('If-None-Match', nation.headers.etag!);
    expect(again.status).toBe(304);
  });
});
