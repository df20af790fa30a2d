import { type Bounds, type FeatureLike, codeOf } from './choropleth';

/**
 * Where a map is framed, read from the boundaries themselves: on the main body
 * of land where the units lie, not on the extent of every island. Far-off
 * islands (Hoàng Sa, Trường Sa, Côn Đảo, Bạch Long Vĩ, Thổ Châu…) would squeeze
 * the mainland into a corner; they are left out of the frame and shown in
 * insets instead, still selectable. Islands close to the coast (Phú Quốc, Vân
 * Đồn, Cô Tô, Lý Sơn, Cát Hải…) stretch the frame little and stay in it.
 *
 * Every polygon (each part of a multipolygon) is a piece of land with an area
 * and an extent. The frame starts on the largest piece and takes in, again and
 * again, every piece of some size whose extent lies within a gap of the frame,
 * the gap being a share of the frame's size capped at `maxGapDegrees`; a piece
 * holding a large share of all the land is always taken in. Then, once, the
 * small pieces within that gap (islets off the coast): a chain of reefs never
 * pulls the frame out to sea. What is left is outlying. Pieces whose extents
 * touch (neighbouring communes) count as one piece.
 */

type Ring = readonly (readonly [number, number])[];
interface Piece {
  code: string | null;
  box: [number, number, number, number];
  area: number;
  polygon: readonly Ring[];
}

export interface Outlying {
  /** The unit the pieces belong to. */
  code: string;
  /** True when the whole unit lies outside the frame; false when only some of its pieces do (the rest is on the map). */
  whole: boolean;
  /** The outlying pieces, as GeoJSON polygons' coordinates. */
  polygons: readonly (readonly Ring[])[];
  bounds: Bounds;
}

export interface Framing {
  /** The frame: the main body's extent. */
  frame: Bounds;
  /** The units, or parts of units, left out of it, from north to south. */
  outlying: Outlying[];
}

export interface FramingOptions {
  /** The largest gap (degrees) between the frame and a piece it still takes in. */
  maxGapDegrees?: number;
  /** The gap as a share of the frame's diagonal, when smaller than `maxGapDegrees`. */
  gapShare?: number;
  /** A piece with at least this share of all the land is always in the frame. */
  bigShare?: number;
  /** Pieces smaller than this share of all the land do not grow the frame for others. */
  smallShare?: number;
}

/** Neighbouring units' extents overlap; this much slack allows for simplified shared borders. */
const TOUCHING = 0.01;

const DEFAULTS: Required<FramingOptions> = { maxGapDegrees: 0.75, gapShare: 0.25, bigShare: 0.15, smallShare: 0.005 };

/** The area of a ring in square degrees, shrunk by the cosine of its latitude (close enough to compare pieces). */
function ringArea(ring: Ring): number {
  let sum = 0;
  let lat = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    sum += x1 * y2 - x2 * y1;
    lat += y1;
  }
  const meanLat = ring.length ? lat / ring.length : 0;
  return (Math.abs(sum) / 2) * Math.cos((meanLat * Math.PI) / 180);
}

function boxOf(rings: readonly Ring[]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  }
  return b;
}

function isPosition(p: unknown): p is [number, number] {
  return Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number';
}

function polygonsOf(g: FeatureLike['geometry']): Ring[][] {
  if (!g) return [];
  const c = g.coordinates as unknown;
  if (g.type === 'Polygon' && Array.isArray(c)) return [c as Ring[]];
  if (g.type === 'MultiPolygon' && Array.isArray(c)) return c as Ring[][];
  if (g.type === 'GeometryCollection') return (g.geometries ?? []).flatMap((child) => polygonsOf(child));
  return [];
}

function piecesOf(features: readonly FeatureLike[]): Piece[] {
  const pieces: Piece[] = [];
  for (const f of features) {
    const code = codeOf(f);
    for (const polygon of polygonsOf(f.geometry)) {
      const outer = polygon[0];
      if (!outer || outer.length < 3 || !outer.every(isPosition)) continue;
      pieces.push({ code, box: boxOf([outer]), area: ringArea(outer), polygon });
    }
  }
  return pieces;
}

/** The gap between two extents: 0 when they touch or overlap. */
function gapBetween(a: readonly number[], b: readonly number[]): number {
  const dx = Math.max(0, a[0]! - b[2]!, b[0]! - a[2]!);
  const dy = Math.max(0, a[1]! - b[3]!, b[1]! - a[3]!);
  return Math.hypot(dx, dy);
}

const toBounds = (b: readonly number[]): Bounds => [
  [b[0]!, b[1]!],
  [b[2]!, b[3]!],
];

interface Cluster {
  pieces: Piece[];
  box: [number, number, number, number];
  area: number;
}

/** Pieces whose extents touch (neighbouring units, an island and its reef) grouped into bodies of land. */
function clustersOf(input: readonly Piece[]): Cluster[] {
  // A sweep from west to east: only pieces whose extents overlap in longitude are compared.
  const pieces = [...input].sort((a, b) => a.box[0] - b.box[0]);
  const parent = pieces.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < pieces.length; i++) {
    const east = pieces[i]!.box[2] + TOUCHING;
    for (let j = i + 1; j < pieces.length && pieces[j]!.box[0] <= east; j++) {
      if (gapBetween(pieces[i]!.box, pieces[j]!.box) <= TOUCHING) parent[find(i)] = find(j);
    }
  }
  const byRoot = new Map<number, Cluster>();
  pieces.forEach((p, i) => {
    const root = find(i);
    const c = byRoot.get(root);
    if (!c) byRoot.set(root, { pieces: [p], box: [...p.box], area: p.area });
    else {
      c.pieces.push(p);
      c.area += p.area;
      c.box = [Math.min(c.box[0], p.box[0]), Math.min(c.box[1], p.box[1]), Math.max(c.box[2], p.box[2]), Math.max(c.box[3], p.box[3])];
    }
  });
  return [...byRoot.values()].sort((a, b) => b.area - a.area);
}

/** The frame of some boundaries and what lies outside it; null when they have no polygons. */
export function frameOf(features: readonly FeatureLike[], options: FramingOptions = {}): Framing | null {
  const o = { ...DEFAULTS, ...options };
  const pieces = piecesOf(features);
  if (pieces.length === 0) return null;
  const clusters = clustersOf(pieces);
  const total = clusters.reduce((s, c) => s + c.area, 0);
  const frame = [...clusters[0]!.box] as [number, number, number, number];
  const inFrame = new Set<Cluster>([clusters[0]!]);
  const take = (c: Cluster) => {
    inFrame.add(c);
    frame[0] = Math.min(frame[0], c.box[0]);
    frame[1] = Math.min(frame[1], c.box[1]);
    frame[2] = Math.max(frame[2], c.box[2]);
    frame[3] = Math.max(frame[3], c.box[3]);
  };
  const gapNow = () => Math.min(o.maxGapDegrees, o.gapShare * Math.hypot(frame[2] - frame[0], frame[3] - frame[1]));
  const share = (c: Cluster) => (total > 0 ? c.area / total : 1);
  for (let grew = true; grew;) {
    grew = false;
    const gap = gapNow();
    for (const c of clusters) {
      if (inFrame.has(c) || share(c) < o.smallShare) continue;
      if (gapBetween(frame, c.box) <= gap || share(c) >= o.bigShare) {
        take(c);
        grew = true;
      }
    }
  }
  // Islets within the gap, once: a chain of reefs never pulls the frame out to sea.
  const gap = gapNow();
  for (const c of clusters.filter((x) => !inFrame.has(x) && gapBetween(frame, x.box) <= gap)) take(c);

  // Pieces that lie inside the frame's extent cost it nothing: they are on the map.
  const outside = clusters
    .filter((c) => !inFrame.has(c))
    .flatMap((c) => c.pieces)
    .filter((p) => p.code !== null && gapBetween(frame, p.box) > 0);
  const byCode = new Map<string, Piece[]>();
  for (const p of outside) byCode.set(p.code!, [...(byCode.get(p.code!) ?? []), p]);
  const outlying: Outlying[] = [];
  for (const [code, ps] of byCode) {
    const all = pieces.filter((p) => p.code === code);
    outlying.push({ code, whole: all.length === ps.length, polygons: ps.map((p) => p.polygon), bounds: toBounds(boxOf(ps.map((p) => p.polygon[0]!))) });
  }
  outlying.sort((a, b) => b.bounds[1][1] - a.bounds[1][1]);
  return { frame: toBounds(frame), outlying };
}

/**
 * An SVG path of some polygons fitted into a `width` × `height` box (equirectangular,
 * longitude shrunk by the cosine of the middle latitude), for an inset.
 */
export function insetPath(polygons: readonly (readonly Ring[])[], bounds: Bounds, width: number, height: number, pad = 4): string {
  const [[w, s], [e, n]] = bounds;
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const spanX = Math.max((e - w) * k, 1e-6);
  const spanY = Math.max(n - s, 1e-6);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  const r = (v: number) => Math.round(v * 10) / 10;
  const parts: string[] = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      const pts = ring.map(([x, y]) => `${r(offX + (x - w) * k * scale)},${r(offY + (n - y) * scale)}`);
      if (pts.length) parts.push(`M${pts.join('L')}Z`);
    }
  }
  return parts.join('');
}
