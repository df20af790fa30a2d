import { INDEX_V2_BY_ID, INDEX_V2_SUB_INDICATORS, KPI_IDS, type KpiId, MAP_CLASS_BREAKS, SHARE_OF_PMAX_BREAKS, type LastHeartbeat, type LinkState, type SubIndicatorId } from '@ioc/shared';
import { LINK_PALETTE, type LinkShare, linkClassOfDatum } from './links';

/**
 * The choropleth's rules, free of maplibre so they can be tested in node: which
 * class (and colour) a value falls in for each metric, the legend, which units
 * are silent, and the feature-state patches a live update needs.
 */

/**
 * The national index (`kpi-v2`): `index`, coloured by points earned ÷ points
 * with data; or one sub-indicator by its id (`2.1`), coloured by points ÷ Pmax
 * (a sub-indicator shown but not scored, by its rate).
 */
export type IndexMetric = 'index' | SubIndicatorId;

/** What colours the map: a kpi-v1 KPI percentage, the kpi-v1 index score (out of 100), or the kpi-v2 index or a sub-indicator. */
export type MapMetric = KpiId | 'points' | IndexMetric;

/**
 * The sub-indicators a map can show unit by unit: the scored ones (a ranking
 * carries each unit's points) and the not-scored ones whose rate is a kpi-v1 KPI
 * (3.3). 2.2, mean processing days, has no figure per unit in a ranking.
 */
export const MAPPED_SUB_INDICATORS: readonly SubIndicatorId[] = INDEX_V2_SUB_INDICATORS.filter((d) => d.scored || d.kpiV1 !== null).map((d) => d.id);

/** Whether a metric is the kpi-v2 index or one of its sub-indicators. */
export function isIndexMetric(m: MapMetric): m is IndexMetric {
  return m === 'index' || Object.hasOwn(INDEX_V2_BY_ID, m);
}

/** A scored sub-indicator: its classes and values are points of its Pmax. */
export function isScoredSubIndicator(m: MapMetric): m is SubIndicatorId {
  return m !== 'index' && isIndexMetric(m) && INDEX_V2_BY_ID[m].scored;
}

/** A map metric named in an address (`?kpi=onTime`, `?kpi=index`, `?kpi=2.1`). */
export function isMapMetric(s: string): s is MapMetric {
  return s === 'points' || s === 'index' || (KPI_IDS as readonly string[]).includes(s) || (MAPPED_SUB_INDICATORS as readonly string[]).includes(s);
}

/** What the map can be coloured by: a metric, or the communes' link state (`?kpi=links`, categories). */
export type MapLayer = MapMetric | 'links';

export function isMapLayer(s: string): s is MapLayer {
  return s === 'links' || isMapMetric(s);
}

export interface MapDatum {
  code: string;
  name: string;
  /**
   * The metric's value, which picks the class: a percent, the kpi-v1 score (/100), the
   * kpi-v2 index's earned ÷ available or a sub-indicator's points ÷ Pmax, in percent;
   * null when there is nothing to compute it from.
   */
  value: number | null;
  /** kpi-v2: the points behind the value ("71,40 / 82 điểm"): earned of available, or of the sub-indicator's Pmax. */
  points?: { earned: number; of: number };
  /** When the unit last delivered an event; null: never; absent: not known to this view. */
  lastEventAt?: string | null;
  /** The commune's link now (the connectivity layer). */
  link?: { state: LinkState; since: string | null; lastHeartbeat: LastHeartbeat | null };
  /** A province's relayed communes and how many of them are down (the connectivity layer, nationally). */
  linkShare?: LinkShare;
}

/**
 * Viridis in 6 classes, low (dark violet) to high (yellow): sequential, readable
 * with every common colour-vision deficiency and in greyscale, and with no grey
 * in it, so no class can be mistaken for "no data".
 */
export const PALETTE = ['#440154', '#414487', '#2a788e', '#22a884', '#7ad151', '#fde725'] as const;

/** Units with no value: neutral grey, drawn with a hatch on top (see the map and the legend). */
export const NO_DATA_COLOR = '#c4c9d0';
export const NO_DATA_HATCH = '#6b7480';

/** The freshness layer's dashed outline, per theme: outside the palette's hues. */
export const SILENT_COLOR = { light: '#d9480f', dark: '#ff922b' } as const;

/** A metric's class breaks (see MAP_CLASS_BREAKS in the KPI catalogue). */
export function breaksOf(metric: MapMetric): readonly number[] {
  if (Object.hasOwn(MAP_CLASS_BREAKS, metric)) return MAP_CLASS_BREAKS[metric as keyof typeof MAP_CLASS_BREAKS];
  const d = INDEX_V2_BY_ID[metric as SubIndicatorId];
  return d.scored || d.kpiV1 === null ? SHARE_OF_PMAX_BREAKS : MAP_CLASS_BREAKS[d.kpiV1];
}

/** The class of a value (0 = lowest), or null for no value. */
export function classOf(metric: MapMetric, value: number | null | undefined): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const breaks = breaksOf(metric);
  let cls = 0;
  while (cls < breaks.length && value >= breaks[cls]!) cls++;
  return cls;
}

export function colorOf(metric: MapMetric, value: number | null | undefined): string {
  const cls = classOf(metric, value);
  return cls === null ? NO_DATA_COLOR : PALETTE[cls]!;
}

export interface LegendClass {
  cls: number;
  color: string;
  /** Inclusive lower bound; null for the first class ("below …"). */
  from: number | null;
  /** Exclusive upper bound; null for the last class ("… and above"). */
  to: number | null;
}

/** The legend's classes, lowest first. */
export function legendClasses(metric: MapMetric): LegendClass[] {
  const breaks = breaksOf(metric);
  return PALETTE.map((color, cls) => ({ cls, color, from: cls === 0 ? null : breaks[cls - 1]!, to: cls < breaks.length ? breaks[cls]! : null }));
}

/** Whether a metric's classes read as percentages (a KPI, a rate, the kpi-v2 index's share of points with data) rather than points. */
export function isPercentMetric(metric: MapMetric): boolean {
  return metric !== 'points' && !isScoredSubIndicator(metric);
}

/**
 * A unit is silent when it has never delivered an event, or its last one is
 * older than `minutes`. Unknown freshness (undefined: the rows carry none) is
 * not silence; neither is a time in the future (clocks differ a little).
 */
export function isSilent(lastEventAt: string | null | undefined, nowMs: number, minutes: number): boolean {
  if (lastEventAt === undefined) return false;
  if (lastEventAt === null) return true;
  const t = Date.parse(lastEventAt);
  if (Number.isNaN(t)) return true;
  return nowMs - t > minutes * 60_000;
}

/** What the map's paint reads from a unit's feature state. `cls` -1: no value. */
export interface UnitState {
  cls: number;
  v: number | null;
  silent: boolean;
}

/** The state of a unit nothing is known about, the same as no feature state at all. */
export const EMPTY_STATE: Readonly<UnitState> = { cls: -1, v: null, silent: false };

export function unitStateOf(d: MapDatum, metric: MapLayer, nowMs: number, silentAfterMinutes: number): UnitState {
  const cls = metric === 'links' ? linkClassOfDatum(d) : classOf(metric, d.value);
  return { cls: cls ?? -1, v: cls === null || metric === 'links' ? null : d.value, silent: isSilent(d.lastEventAt, nowMs, silentAfterMinutes) };
}

/** The states of the units on the map (`codes`) that have a datum. */
export function unitStates(data: Readonly<Record<string, MapDatum>>, codes: ReadonlySet<string>, metric: MapLayer, nowMs: number, silentAfterMinutes: number): Record<string, UnitState> {
  const out: Record<string, UnitState> = {};
  for (const [code, d] of Object.entries(data)) {
    if (codes.has(code)) out[code] = unitStateOf(d, metric, nowMs, silentAfterMinutes);
  }
  return out;
}

export interface FeatureStateChange {
  code: string;
  /** Only the keys that changed. */
  state: Partial<UnitState>;
}

const STATE_KEYS = ['cls', 'v', 'silent'] as const;

function changedKeys(before: Readonly<UnitState>, after: Readonly<UnitState>): Partial<UnitState> | null {
  let out: Partial<UnitState> | null = null;
  for (const k of STATE_KEYS) {
    if (before[k] !== after[k]) (out ??= {})[k] = after[k] as never;
  }
  return out;
}

/**
 * The minimal feature-state patch from what is on screen (`previous`) to
 * `next`: only units whose state changed, with only the keys that changed; a
 * unit that left `next` goes back to the empty state.
 */
export function diffFeatureStates(previous: Readonly<Record<string, UnitState>>, next: Readonly<Record<string, UnitState>>): FeatureStateChange[] {
  const changes: FeatureStateChange[] = [];
  for (const [code, after] of Object.entries(next)) {
    const state = changedKeys(previous[code] ?? EMPTY_STATE, after);
    if (state) changes.push({ code, state });
  }
  for (const [code, before] of Object.entries(previous)) {
    if (code in next) continue;
    const state = changedKeys(before, EMPTY_STATE);
    if (state) changes.push({ code, state });
  }
  return changes;
}

/** `[[west, south], [east, north]]`. */
export type Bounds = [[number, number], [number, number]];

interface GeometryLike {
  type: string;
  coordinates?: unknown;
  geometries?: GeometryLike[];
}
export interface FeatureLike {
  properties?: Record<string, unknown> | null;
  geometry: GeometryLike | null;
}
export interface FeatureCollectionLike {
  features: readonly FeatureLike[];
}

function extend(b: [number, number, number, number], coords: unknown): void {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number' && typeof coords[1] === 'number') {
    const [x, y] = coords as [number, number];
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
    return;
  }
  for (const c of coords) extend(b, c);
}

function extendGeometry(b: [number, number, number, number], g: GeometryLike | null): void {
  if (!g) return;
  if (g.type === 'GeometryCollection') for (const child of g.geometries ?? []) extendGeometry(b, child);
  else extend(b, g.coordinates);
}

/** The extent of some features, or null when they have no coordinates. */
export function boundsOf(features: readonly FeatureLike[]): Bounds | null {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) extendGeometry(b, f.geometry);
  return Number.isFinite(b[0])
    ? [
        [b[0], b[1]],
        [b[2], b[3]],
      ]
    : null;
}

/** The unit code of a boundary feature (`properties.code`). */
export function codeOf(f: FeatureLike): string | null {
  const c = f.properties?.code;
  return typeof c === 'string' ? c : null;
}

/** The units of a boundary collection, by code, with their names and extents. */
export function unitsOf(fc: FeatureCollectionLike): Map<string, { name: string; bounds: Bounds | null }> {
  const out = new Map<string, { name: string; bounds: Bounds | null }>();
  for (const f of fc.features) {
    const code = codeOf(f);
    if (code === null) continue;
    const name = f.properties?.name;
    out.set(code, { name: typeof name === 'string' ? name : code, bounds: boundsOf([f]) });
  }
  return out;
}

/** The colours of a layer's classes, lowest class first. */
export function paletteOf(metric: MapLayer): readonly string[] {
  return metric === 'links' ? LINK_PALETTE : PALETTE;
}

/** A unit's colour outside the map's canvas (the islands' insets). */
export function datumColor(metric: MapLayer, d: MapDatum | undefined): string {
  if (metric !== 'links') return colorOf(metric, d?.value);
  const cls = linkClassOfDatum(d);
  return cls === null ? NO_DATA_COLOR : LINK_PALETTE[cls]!;
}

/** The fill colour as a maplibre expression over the feature state's class. */
export function fillColorExpression(metric: MapLayer = 'points'): unknown[] {
  return ['match', ['coalesce', ['feature-state', 'cls'], -1], ...paletteOf(metric).flatMap((c, i) => [i, c]), NO_DATA_COLOR];
}

/** 1 for units with no value (the hatch shows), 0 otherwise. */
export function noDataOpacityExpression(): unknown[] {
  return ['case', ['>=', ['coalesce', ['feature-state', 'cls'], -1], 0], 0, 1];
}

/** 1 for silent units (the dashed outline shows), 0 otherwise. */
export function silentOpacityExpression(): unknown[] {
  return ['case', ['boolean', ['feature-state', 'silent'], false], 1, 0];
}

/** Durations in the legend: whole hours when they divide, minutes otherwise. */
export function silenceDuration(minutes: number): { unit: 'hours' | 'minutes'; count: number } {
  return minutes >= 60 && minutes % 60 === 0 ? { unit: 'hours', count: minutes / 60 } : { unit: 'minutes', count: minutes };
}
