import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollectionLike } from './choropleth';
import { frameOf, insetPath } from './framing';

const GEO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'server', 'data', 'vn-admin', 'geo');
const read = (file: string) => JSON.parse(readFileSync(join(GEO, file), 'utf8')) as FeatureCollectionLike;
const provinceFiles = readdirSync(join(GEO, 'communes')).filter((f) => f.endsWith('.geojson'));
const outlyingOf = (file: string) =>
  frameOf(read(join('communes', file)).features)!
    .outlying.filter((o) => o.whole)
    .map((o) => o.code)
    .sort();

const square = (code: string, x: number, y: number, size = 1) => ({
  properties: { code },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ],
  },
});

describe('map framing', () => {
  it('frames on the main body and leaves a far small island out, still named', () => {
    const f = frameOf([square('a', 0, 0, 2), square('b', 2, 0, 2), square('island', 9, 0, 0.2)])!;
    expect(f.frame).toEqual([
      [0, 0],
      [4, 2],
    ]);
    expect(f.outlying).toEqual([expect.objectContaining({ code: 'island', whole: true })]);
  });

  it('keeps an island near the coast, and a big far piece of land', () => {
    expect(frameOf([square('a', 0, 0, 2), square('near', 2.3, 0, 0.2)])!.outlying).toEqual([]);
    expect(frameOf([square('a', 0, 0, 2), square('big', 8, 0, 1.5)])!.outlying).toEqual([]);
  });

  it('names a unit only part of which lies outside as not whole', () => {
    const split = { properties: { code: 'split' }, geometry: { type: 'MultiPolygon', coordinates: [square('x', 2, 0, 2).geometry.coordinates, square('x', 12, 0, 0.1).geometry.coordinates] } };
    const f = frameOf([square('a', 0, 0, 2), split])!;
    expect(f.outlying).toEqual([expect.objectContaining({ code: 'split', whole: false })]);
    expect(f.frame).toEqual([
      [0, 0],
      [4, 2],
    ]);
  });

  it('frames Đà Nẵng, Khánh Hòa, Hồ Chí Minh City and Hải Phòng on their mainland', () => {
    expect(outlyingOf('48.geojson')).toEqual(['20333']); // Hoàng Sa
    expect(outlyingOf('56.geojson')).toEqual(['22736']); // Trường Sa
    expect(outlyingOf('79.geojson')).toEqual(['26732']); // Côn Đảo
    expect(outlyingOf('31.geojson')).toContain('11948'); // Bạch Long Vĩ
    // Đà Nẵng's frame stays on the coast, west of 109° E.
    expect(frameOf(read('communes/48.geojson').features)!.frame[1][0]).toBeLessThan(109);
  });

  it('keeps islands near the coast on the map: Phú Quốc, Vân Đồn, Cô Tô, Lý Sơn', () => {
    expect(outlyingOf('91.geojson')).not.toContain('31078');
    expect(outlyingOf('22.geojson')).toEqual([]);
    expect(outlyingOf('51.geojson')).toEqual([]);
  });

  it('leaves only islands out of any province frame, never a populous mainland commune', () => {
    for (const file of provinceFiles) {
      const fc = read(join('communes', file));
      for (const o of frameOf(fc.features)!.outlying.filter((x) => x.whole)) {
        const type = fc.features.find((f) => f.properties?.code === o.code)?.properties?.type;
        expect(`${file} ${o.code} ${String(type)}`).toBe(`${file} ${o.code} đặc khu`);
      }
    }
  });

  it('frames the nation on the mainland, with Hoàng Sa and Trường Sa in insets', () => {
    const f = frameOf(read('provinces.geojson').features)!;
    expect(f.frame[1][0]).toBeLessThan(110);
    expect(f.outlying.map((o) => o.code).sort()).toEqual(expect.arrayContaining(['48', '56']));
    expect(f.outlying.every((o) => !o.whole)).toBe(true);
  });

  it('draws an inset path inside its box', () => {
    const d = insetPath(
      [square('a', 0, 0, 1).geometry.coordinates as never],
      [
        [0, 0],
        [1, 1],
      ],
      40,
      40,
    );
    expect(d.startsWith('M')).toBe(true);
    for (const n of d.match(/[\d.]+/g)!.map(Number)) expect(n).toBeLessThanOrEqual(40);
  });
});
