import type { CommuneLink, ConnectivityResponse, LinkState } from '@ioc/shared';
import type { MapDatum } from './choropleth';

/**
 * The connectivity layer's rules, free of maplibre: each commune coloured by its
 * link's state now (up, degraded, down), and communes with no heartbeat source
 * in the "no data" grey with its hatch, so they never read as a state. On the
 * nation's map, each province by the share of its relayed communes (those with a
 * heartbeat source) that are down, in the same three colours.
 */

/** The states a colour stands for, in the legend's order; `unknown` is drawn as "no data". */
export const LINK_CLASSES = ['up', 'degraded', 'down'] as const satisfies readonly LinkState[];

/**
 * Okabe–Ito blue, yellow and vermillion: categories, not a scale, told apart with every
 * common colour-vision deficiency by hue and by lightness, and none of them the
 * numeric layers' viridis nor the "no data" grey.
 */
export const LINK_PALETTE = ['#0072b2', '#f0e442', '#d55e00'] as const;

/** On the nation's map: a province with this share (%) or more of its relayed communes down is in the last class. */
export const DOWN_SHARE_HIGH = 25;

/** How many of a province's communes have a heartbeat source, and how many of those are down. */
export interface LinkShare {
  relayed: number;
  down: number;
}

/** The class of a province: none of its relayed communes down, some (under 25%), or many; null when none is relayed. */
export function downShareClassOf(share: LinkShare | null | undefined): number | null {
  if (!share || share.relayed === 0) return null;
  if (share.down === 0) return 0;
  return (share.down / share.relayed) * 100 < DOWN_SHARE_HIGH ? 1 : 2;
}

/** The class of a link state (the index in `LINK_CLASSES`), or null when nothing can be said of it. */
export function linkClassOf(state: LinkState | null | undefined): number | null {
  const i = state ? (LINK_CLASSES as readonly string[]).indexOf(state) : -1;
  return i < 0 ? null : i;
}

/** The colour of a link state; null for "no data" (grey with the hatch). */
export function linkColorOf(state: LinkState | null | undefined): string | null {
  const cls = linkClassOf(state);
  return cls === null ? null : LINK_PALETTE[cls]!;
}

/** The class of a unit on the connectivity layer: a commune by its state, a province by its share down. */
export function linkClassOfDatum(d: Pick<MapDatum, 'link' | 'linkShare'> | undefined): number | null {
  return d?.linkShare ? downShareClassOf(d.linkShare) : linkClassOf(d?.link?.state);
}

export interface LinkLegendItem {
  state: LinkState;
  /** Null: the "no data" swatch, grey with the hatch. */
  color: string | null;
  count: number | null;
}

/** The legend: up, degraded, down, then no heartbeat source; with the scope's counts when known. */
export function linkLegend(counts?: Readonly<Record<LinkState, number>> | null): LinkLegendItem[] {
  return [...LINK_CLASSES, 'unknown' as const].map((state) => ({ state, color: linkColorOf(state), count: counts?.[state] ?? null }));
}

/** The nation's legend: provinces by the share of their relayed communes that are down, then those with none relayed. */
export function downShareLegend(): { cls: number | null; color: string | null }[] {
  return [...LINK_PALETTE.map((color, cls) => ({ cls, color })), { cls: null, color: null }];
}

/** The nation's map data from the connectivity of every commune: each province with its relayed and down communes. */
export function provinceLinksToMapData(res: ConnectivityResponse | null | undefined, names: Readonly<Record<string, string>> = {}): Record<string, MapDatum> {
  const out: Record<string, MapDatum> = {};
  for (const c of res?.communes ?? []) {
    const d = (out[c.provinceCode] ??= { code: c.provinceCode, name: names[c.provinceCode] ?? '', value: null, linkShare: { relayed: 0, down: 0 } });
    if (c.state === 'unknown') continue;
    d.linkShare!.relayed += 1;
    if (c.state === 'down') d.linkShare!.down += 1;
  }
  return out;
}

/** The map's data from the connectivity of a province: every commune, by code, with its link. */
export function linksToMapData(res: ConnectivityResponse | null | undefined): Record<string, MapDatum> {
  const out: Record<string, MapDatum> = {};
  for (const c of res?.communes ?? []) out[c.communeCode] = { code: c.communeCode, name: c.communeName, value: null, link: linkOf(c) };
  return out;
}

function linkOf(c: CommuneLink): NonNullable<MapDatum['link']> {
  return { state: c.state, since: c.since, lastHeartbeat: c.lastHeartbeat };
}
