import { KPI_IDS, type KpiId, type RankingEntry, type UnitType, round2 } from '@ioc/shared';

/**
 * The peer group of a commune: communes of the same type (xã, phường, đặc khu)
 * whose volume — dossiers received in the period — lies within a band around
 * its own, first in its province, across the nation when the province has too
 * few. A chair only gets other communes' rates (their counts are not theirs to
 * read), so the group is summed up by the median of each rate, never a ratio of sums.
 */
export const PEER_BAND = { low: 0.5, high: 2 } as const;
export const MIN_PEERS = 5;

export interface OwnVolume {
  unitCode: string;
  unitType: UnitType;
  received: number;
}

/** Received counts a peer may have: [⌈r × 0.5⌉, ⌊r × 2⌋]; null without any dossier received (no volume to compare). */
export function peerBand(received: number): { min: number; max: number } | null {
  if (!(received > 0)) return null;
  return { min: Math.ceil(received * PEER_BAND.low), max: Math.floor(received * PEER_BAND.high) };
}

/** The entries of the same type within the band, the commune itself left out, in their ranking order. */
export function selectPeers(own: OwnVolume, entries: readonly RankingEntry[]): RankingEntry[] {
  const band = peerBand(own.received);
  if (!band) return [];
  return entries.filter((e) => e.unitCode !== own.unitCode && e.unitType === own.unitType && e.received >= band.min && e.received <= band.max);
}

/** The median of the values that exist (2 decimals); null when none does. */
export function median(values: readonly (number | null | undefined)[]): number | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return round2(v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2);
}

export interface PeerMedians {
  kpis: Record<KpiId, number | null>;
  score: number | null;
}

export function peerMedians(peers: readonly RankingEntry[]): PeerMedians {
  const kpis = Object.fromEntries(KPI_IDS.map((id) => [id, median(peers.map((p) => p.kpis[id].value))])) as Record<KpiId, number | null>;
  return { kpis, score: median(peers.map((p) => p.index.score)) };
}

export interface PeerGroup {
  /** Where the peers were found. */
  source: 'province' | 'nation';
  peers: RankingEntry[];
  band: { min: number; max: number };
  medians: PeerMedians;
}

/**
 * - `noVolume`: the commune received nothing in the period, so it has no size to match;
 * - `pending`: the province has too few peers and the nation's ranking has not come yet;
 * - `none`: no commune anywhere matches;
 * - `ok`: the group, from the province when it has at least MIN_PEERS, else from the nation.
 */
export type PeerResult = { status: 'noVolume' } | { status: 'pending' } | { status: 'none' } | { status: 'ok'; group: PeerGroup };

export function peerGroup(own: OwnVolume, province: readonly RankingEntry[] | null, nation: readonly RankingEntry[] | null): PeerResult {
  const band = peerBand(own.received);
  if (!band) return { status: 'noVolume' };
  const inProvince = province ? selectPeers(own, province) : [];
  if (inProvince.length >= MIN_PEERS) return { status: 'ok', group: { source: 'province', peers: inProvince, band, medians: peerMedians(inProvince) } };
  if (!nation) return { status: 'pending' };
  const inNation = selectPeers(own, nation);
  if (inNation.length === 0) return { status: 'none' };
  return { status: 'ok', group: { source: 'nation', peers: inNation, band, medians: peerMedians(inNation) } };
}
