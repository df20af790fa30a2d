import type { IndexPoints, KpiCounts, KpiSet } from './kpi/compute.js';
import type { KpiId } from './kpi/catalogue.js';
import type { SubIndicatorId } from './kpi/index-v2.js';
import type { IndexV2Summary, IndexV2View } from './kpi/index-v2-view.js';
import { type Grain, type LocalDate, DAY_MS, isLocalDate, localDateOf, startOfLocalDate } from './time.js';
import type { CommuneType, ProvinceType } from './units.js';

/** REST contract of `/api/v1` shared by the server and the dashboard. */
export type Scope = { kind: 'nation' } | { kind: 'province'; code: string } | { kind: 'commune'; code: string };

export function parseScope(s: string): Scope | null {
  if (s === 'nation') return { kind: 'nation' };
  const m = /^(province|commune):(\d+)$/.exec(s);
  if (!m) return null;
  if (m[1] === 'province' && m[2]!.length === 2) return { kind: 'province', code: m[2]! };
  if (m[1] === 'commune' && m[2]!.length === 5) return { kind: 'commune', code: m[2]! };
  return null;
}
export function formatScope(s: Scope): string {
  return s.kind === 'nation' ? 'nation' : `${s.kind}:${s.code}`;
}

export interface Period {
  from: LocalDate;
  to: LocalDate;
  /** Start of `from`, local midnight, epoch ms. */
  start: number;
  /** End of the period: end of `to`, or now when `to` is today (or later). */
  end: number;
  /** True when the period reaches now, so its figures still move. */
  live: boolean;
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; reason: string };

/** Longest period a query may span. */
export const MAX_PERIOD_DAYS = 1096;

export function resolvePeriod(from: string | undefined, to: string | undefined, nowMs: number): PeriodResult {
  const today = localDateOf(nowMs);
  const f = from ?? today;
  const t = to ?? today;
  if (!isLocalDate(f)) return { ok: false, reason: `from must be a date YYYY-MM-DD, got "${f}"` };
  if (!isLocalDate(t)) return { ok: false, reason: `to must be a date YYYY-MM-DD, got "${t}"` };
  if (f > t) return { ok: false, reason: `from (${f}) is after to (${t})` };
  if (f > today) return { ok: false, reason: `the period starts after today (${today}, Asia/Ho_Chi_Minh)` };
  const start = startOfLocalDate(f);
  const endOfTo = startOfLocalDate(t) + DAY_MS;
  if ((endOfTo - start) / DAY_MS > MAX_PERIOD_DAYS) {
    return { ok: false, reason: `a period may span at most ${MAX_PERIOD_DAYS} days` };
  }
  const live = endOfTo > nowMs;
  return { ok: true, period: { from: f, to: t, start, end: live ? nowMs : endOfTo, live } };
}

/**
 * How far the figures have folded the raw event log. Ingest answers once events are
 * in the log; the projector folds them into the figures shortly after, so every
 * answer says up to which log position it counts.
 */
export interface ProjectionMark {
  /** Log position (seq) up to which accepted events are in the figures. */
  watermark: number;
  /** Ingest time of the last event in the figures; null before any. */
  projectedUpTo: string | null;
  /** About how many accepted events are not in the figures yet. */
  pendingEvents: number;
  /** How long the oldest of them has waited, in seconds (0 when none). */
  lagSeconds: number;
}

/**
 * History still being loaded (a bulk import or the demo's backfill) on some of a
 * period's days: its figures are incomplete until it is done. `progress` 0–1
 * (1: loaded, being folded into the figures).
 */
export interface HistoryLoading {
  from: LocalDate;
  to: LocalDate;
  progress: number | null;
}

export interface KpiResponse {
  scope: string;
  from: LocalDate;
  to: LocalDate;
  /** The instant the figures are true at (the period's end, or now). */
  asOf: string;
  kpiVersion: string;
  /** Up to which point of the event log these figures count. */
  projection: ProjectionMark;
  /** Non-null while history of some of the period's days is still loading: the figures are incomplete. */
  loading: HistoryLoading | null;
  kpis: KpiSet;
  counts: KpiCounts;
  /** kpi-v1 index points (one rate per component), kept for existing clients. */
  index: IndexPoints;
  /** The national index (kpi-v2): groups → sub-indicators, earned of available. */
  indexV2?: IndexV2View;
}

export interface SeriesPoint {
  /** Bucket start, ISO instant. */
  start: string;
  /** Bucket label in local time: `YYYY-MM-DD`, `YYYY-MM` or `YYYY-MM-DDTHH:00`. */
  label: string;
  /** The instant the point's figures are true at. */
  asOf: string;
  kpis: KpiSet;
  counts: KpiCounts;
  index: IndexPoints;
  /**
   * The kpi-v2 index of the point (totals only, without the groups), from the same rollups and, for
   * reported sub-indicators, the values of the point's month. null when no sub-indicator has data:
   * no index, never 0. Always present in the API's answers.
   */
  indexV2?: IndexV2Totals | null;
}
/** A kpi-v2 index in brief: earned of available (never rescaled to 100), points lost, scored sub-indicators without data. */
export interface IndexV2Totals {
  earned: number;
  available: number;
  pointsLost: number;
  missing: SubIndicatorId[];
}
export interface SeriesResponse {
  scope: string;
  granularity: Grain;
  from: LocalDate;
  to: LocalDate;
  asOf: string;
  kpiVersion: string;
  projection: ProjectionMark;
  loading: HistoryLoading | null;
  points: SeriesPoint[];
}

export type UnitType = CommuneType | ProvinceType;
/** `index`: kpi-v2 points earned over the sub-indicators every ranked unit with data has; `points`: kpi-v1 index score. */
export type RankBy = KpiId | 'points' | 'index';
export type RankLevel = 'province' | 'commune';
export interface RankingEntry {
  rank: number | null;
  unitCode: string;
  unitName: string;
  /** The unit's type, so a commune finds peers of its kind: `xã`, `phường`, `đặc khu`; a province: `tỉnh`, `thành phố`. */
  unitType: UnitType;
  provinceCode: string;
  /** The ranked value (KPI percent or index score), null when it has none. */
  value: number | null;
  kpis: KpiSet;
  /** Dossiers received in the period: the unit's volume, to find peers of a similar size. */
  received: number;
  /** null on a comparison row: a unit whose detailed figures the caller may not read (README: access). */
  counts: KpiCounts | null;
  index: IndexPoints;
  /** kpi-v2 index of the unit: earned of available, points per sub-indicator. */
  indexV2?: IndexV2Summary;
}
/**
 * Ranks entries in place and returns them: value descending, entries without a value last,
 * ties in unit-code order; competition ranking, so equal values share a rank and the next skips.
 */
export function rankEntries(entries: RankingEntry[]): RankingEntry[] {
  entries.sort((a, b) => (a.value === b.value ? (a.unitCode < b.unitCode ? -1 : 1) : a.value === null ? 1 : b.value === null ? -1 : b.value - a.value));
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    e.rank = e.value === null ? null : prev && prev.value === e.value ? prev.rank : i + 1;
  });
  return entries;
}

export interface RankingResponse {
  scope: string;
  level: RankLevel;
  by: RankBy;
  from: LocalDate;
  to: LocalDate;
  asOf: string;
  kpiVersion: string;
  projection: ProjectionMark;
  loading: HistoryLoading | null;
  /** by=index: the sub-indicators every ranked unit with data has, which the ranking compares on, and their Pmax total. */
  commonSubIndicators?: SubIndicatorId[];
  commonPmax?: number;
  entries: RankingEntry[];
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  /** `since`: when the current state began; `outages`: times the database went away since the process started. */
  database: { status: 'up' | 'down'; embedded: boolean; latencyMs: number | null; since: string; outages: number; error?: string };
  /**
   * phase: `catch-up` while today's events are being sent, then `live`;
   * historyProgress: share (0–1) of the history backfill done, null when complete or off.
   */
  demoFeed: { enabled: boolean; phase: 'off' | 'catch-up' | 'live'; historyProgress: number | null; speed: number };
  /**
   * This process's part of the live stream: `adapter` carries it between processes; `publisher` when it holds the publisher lease;
   * `slowDisconnects`: connections closed because their client stopped reading.
   */
  live: { node: string; adapter: 'postgres' | 'redis'; publisher: boolean; connections: number; topics: number; slowDisconnects: number };
  /** The projection of the event log into the figures; `projector`: whether this process runs it. Degraded when it lags more than a minute. */
  projection: ProjectionMark & { projector: boolean };
}

/** Settings the dashboard reads at start (`GET /api/v1/client-config`, public). */
export interface ClientConfig {
  /** A MapLibre style for the map's basemap (`MAP_STYLE_URL`); null: the built-in offline style, boundaries only. */
  mapStyleUrl: string | null;
  /** Days of hour-by-hour figures kept before today (`KPI_HOURLY_RETENTION_DAYS`); 0: kept for ever. Earlier periods are charted by day. */
  hourlyRetentionDays: number;
}

/**
 * Every error code an answer may carry, a closed set, with the HTTP status each is
 * sent with. Clients switch on the code, never on the wording of the message.
 */
export const API_ERROR_STATUS = {
  BAD_REQUEST: 400,
  MALFORMED_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
export const API_ERROR_CODES = Object.keys(API_ERROR_STATUS) as ApiErrorCode[];

/** The code of an answer known only by its HTTP status (the first code listed with that status; INTERNAL for any other). */
export function apiErrorCodeOf(status: number): ApiErrorCode {
  return API_ERROR_CODES.find((c) => API_ERROR_STATUS[c] === status) ?? 'INTERNAL';
}

/** The error body every endpoint answers with. */
export interface ApiError {
  statusCode: number;
  code: ApiErrorCode;
  error: string;
  message: string;
  details?: unknown;
}
