#!/usr/bin/env node
// build-geo.mjs: derive compact, browser-friendly boundary files from the Vietnam
// administrative reference data (34 provinces, 3,321 communes, state of 1 July 2025).
//
//   node server/tools/build-geo.mjs [SOURCE_DIR]            (from the repo root, ~3 s)
//
// SOURCE_DIR holds the full reference provinces.geojson and communes.geojson, which are
// not in the repo: pass its folder as the argument, or set $VN_ADMIN_SRC.
// Replaces server/data/vn-admin/geo/ with:
//   provinces.geojson               34 provinces {code, name}, for a national view
//   communes/<provinceCode>.geojson communes {code, name, type}, for a province view
// mapshaper explodes multipart features (so `keep-shapes` protects every island, not
// just the largest part), simplifies on shared arcs (weighted Visvalingam) and rounds
// coordinates; this script then reassembles the parts, dropping islands smaller than
// minIslandKm2 (measured at full resolution). The national commune layer is simplified
// in one piece and only then split by provinceCode, so neighbouring communes and
// provinces keep identical borders. Everything is checked against
// server/data/vn-admin/{provinces,communes}.json; any failure exits non-zero.
// Details and sizes: server/data/vn-admin/NOTICE.md.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import mapshaper from 'mapshaper';

const srcArg = process.argv[2] ?? process.env.VN_ADMIN_SRC;
if (!srcArg) {
  console.error('usage: node server/tools/build-geo.mjs <folder with the full-resolution provinces.geojson and communes.geojson>');
  process.exit(2);
}
const SRC = path.resolve(srcArg);
const DATA = fileURLToPath(new URL('../data/vn-admin/', import.meta.url));
const OUT = path.join(DATA, 'geo');
const LAYERS = {
  provinces: { simplify: 'interval=800', precision: 0.001, minIslandKm2: 0.5, props: ['code', 'name'] },
  communes: { simplify: 'interval=200', precision: 0.0001, minIslandKm2: 0.05, props: ['code', 'name', 'type'] },
};
const MAX_BYTES = { provinces: 250_000, communes: 300_000 };

const table = []; // one row per written file
const errors = [];
const check = (ok, msg) => ok || errors.push(msg);

// Simplify one source layer; returns one feature per code, in source (code) order.
async function simplify(name) {
  const { simplify, precision, minIslandKm2 } = LAYERS[name];
  const out = await mapshaper.applyCommands(
    `-i "${path.join(SRC, `${name}.geojson`)}" -explode -each "partKm2 = this.area / 1e6" ` +
      `-simplify weighted keep-shapes ${simplify} ` +
      `-o out.geojson format=geojson precision=${precision} fix-geometry`,
  );
  const partsByCode = new Map();
  for (const part of JSON.parse(String(out['out.geojson'])).features) {
    partsByCode.set(part.properties.code, [...(partsByCode.get(part.properties.code) ?? []), part]);
  }
  let kept = 0,
    dropped = 0,
    collapsed = 0;
  const features = [...partsByCode.values()].map((parts) => {
    parts.sort((a, b) => b.properties.partKm2 - a.properties.partKm2); // largest part first, always kept
    const polygons = [];
    parts.forEach((part, i) => {
      if (i > 0 && part.properties.partKm2 < minIslandKm2) dropped++;
      else if (!part.geometry)
        collapsed++; // ring collapsed by rounding: reported, and fails if it was the only part
      else polygons.push(part.geometry.coordinates);
    });
    kept += polygons.length;
    const geometry = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
    return { type: 'Feature', properties: parts[0].properties, geometry };
  });
  console.log(`${name}: ${features.length} features, ${kept} polygons, ` + `${dropped} islands < ${minIslandKm2} km² dropped, ${collapsed} collapsed by rounding`);
  return features;
}

// Write a FeatureCollection (one feature per line, listed properties only); return it re-read.
function write(file, features, props) {
  const lines = features.map(({ properties: p, geometry }) => JSON.stringify({ type: 'Feature', properties: Object.fromEntries(props.map((k) => [k, p[k]])), geometry }));
  const text = `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  table.push({ file: path.relative(process.cwd(), file), features: features.length, bytes: Buffer.byteLength(text), gzip: zlib.gzipSync(text, { level: 9 }).length });
  return JSON.parse(fs.readFileSync(file, 'utf8')).features; // throws if not valid JSON
}

const polygonsOf = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const inRing = ([x, y], ring) =>
  ring.reduce((inside, [xi, yi], i) => {
    const [xj, yj] = ring[(i || ring.length) - 1];
    return yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi ? !inside : inside;
  }, false);
const contains = (g, pt) => polygonsOf(g).some(([outer, ...holes]) => inRing(pt, outer) && !holes.some((h) => inRing(pt, h)));

// Exactly the units of `list` (same codes, names, types), each with non-empty lon/lat polygons.
function verify(features, list, label) {
  const want = new Map(list.map((u) => [u.code, u]));
  check(features.length === list.length, `${label}: ${features.length} features, expected ${list.length}`);
  for (const { properties: p, geometry } of features) {
    const u = want.get(p.code);
    check(u && u.name === p.name && (!('type' in p) || u.type === p.type), `${label}: ${p.code} unknown or differs from the list`);
    const rings = geometry ? polygonsOf(geometry).flat() : [];
    check(rings.length > 0 && rings.every((r) => r.length >= 4), `${label}: ${p.code} has empty or degenerate geometry`);
    check(
      rings.flat(2).every((v, i) => (i % 2 ? v > 5 && v < 25 : v > 100 && v < 120)),
      `${label}: ${p.code} is not lon/lat in Vietnam`,
    );
    want.delete(p.code);
  }
  check(want.size === 0, `${label}: missing ${[...want.keys()].join(', ')}`);
}

for (const f of ['provinces.geojson', 'communes.geojson']) {
  if (!fs.existsSync(path.join(SRC, f))) throw new Error(`${path.join(SRC, f)} not found; pass the source dir as argument`);
}
const provinceList = JSON.parse(fs.readFileSync(path.join(DATA, 'provinces.json'), 'utf8'));
const communeList = JSON.parse(fs.readFileSync(path.join(DATA, 'communes.json'), 'utf8'));
check(provinceList.length === 34 && communeList.length === 3321, 'lists: expected 34 provinces and 3,321 communes');
fs.rmSync(OUT, { recursive: true, force: true });

const provinces = write(path.join(OUT, 'provinces.geojson'), await simplify('provinces'), LAYERS.provinces.props);
verify(provinces, provinceList, 'provinces.geojson');

const communes = await simplify('communes');
const written = [];
for (const { code } of provinceList) {
  const own = communes.filter((f) => f.properties.provinceCode === code);
  const back = write(path.join(OUT, 'communes', `${code}.geojson`), own, LAYERS.communes.props);
  verify(
    back,
    communeList.filter((c) => c.provinceCode === code),
    `communes/${code}.geojson`,
  );
  written.push(...back);
}
verify(written, communeList, 'communes/*.geojson'); // 3,321 in total, none twice

// Each commune's label point lies inside its full-resolution polygon; it must still lie
// inside the simplified commune and province. This also catches lost islands (Trường Sa).
const provinceGeom = new Map(provinces.map((f) => [f.properties.code, f.geometry]));
const communeGeom = new Map(written.map((f) => [f.properties.code, f.geometry]));
for (const c of communeList) {
  const pt = [c.lon, c.lat];
  check(communeGeom.has(c.code) && contains(communeGeom.get(c.code), pt), `${c.code} ${c.name}: label point outside its commune`);
  check(provinceGeom.has(c.provinceCode) && contains(provinceGeom.get(c.provinceCode), pt), `${c.code} ${c.name}: label point outside province ${c.provinceCode}`);
}

const kB = (n) => (n / 1000).toFixed(1).padStart(9);
console.log(`\n${'file'.padEnd(48)} features       kB  gzip kB`);
for (const r of table) console.log(`${r.file.padEnd(48)} ${String(r.features).padStart(8)}${kB(r.bytes)}${kB(r.gzip)}`);
const [provinceFile, ...communeFiles] = table;
const largest = communeFiles.reduce((a, b) => (b.bytes > a.bytes ? b : a));
const sum = (key) => table.reduce((n, r) => n + r[key], 0);
console.log(`${'total'.padEnd(48)} ${String(provinces.length + written.length).padStart(8)}${kB(sum('bytes'))}${kB(sum('gzip'))}`);
console.log(`largest commune file: ${largest.file}, ${kB(largest.bytes).trim()} kB`);
check(provinceFile.bytes <= MAX_BYTES.provinces, `${provinceFile.file} is over ${MAX_BYTES.provinces / 1000} kB`);
check(largest.bytes <= MAX_BYTES.communes, `${largest.file} is over ${MAX_BYTES.communes / 1000} kB`);

if (errors.length) {
  console.error(`\nFAILED, ${errors.length} problem(s):\n  ${errors.slice(0, 50).join('\n  ')}`);
  process.exit(1);
}
console.log('\nAll checks passed.');
