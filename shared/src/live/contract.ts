import type { AlertSummary } from '../alerts/api.js';
import type { IndexPoints, KpiCounts, KpiSet } from '../kpi/compute.js';
import type { IndexV2View } from '../kpi/index-v2-view.js';
import { type ApiErrorCode, type HistoryLoading, type ProjectionMark, type Scope, type UnitType, formatScope, parseScope } from '../api.js';
import { type LocalDate, addDays, localDateOf } from '../time.js';

/**
 * The live contract: socket.io namespace `/live` on the server's port.
 *
 * A client subscribes to topics (a scope, a view of it and a period). For each
 * topic it receives one `snapshot`, then `delta`s (at most one per topic per
 * second) and a `heartbeat` every few seconds. Every message of a topic carries
 * the publisher's `epoch` and a per-topic `seq`: a delta applies to the state
 * at `seq - 1` of the same epoch. A client that sees anything else asks for a
 * fresh snapshot with `resync`.
 */
export const LIVE_NAMESPACE = '/live';

/**
 * `summary`: the scope's KPIs; `children`: one row per unit below the scope (provinces of the
 * nation, communes of a province); `alerts`: the scope's open alerts (active, or cleared and not
 * yet acknowledged), the most severe and newest first, at most `MAX_LIVE_ALERTS`.
 */
export const LIVE_VIEWS = ['summary', 'children', 'alerts'] as const;
export type LiveView = (typeof LIVE_VIEWS)[number];

/** Rolling periods, all ending now (Asia/Ho_Chi_Minh days). */
export const LIVE_PERIODS = ['today', '7d', '30d', 'month', 'quarter', 'year'] as const;
export type LivePeriod = (typeof LIVE_PERIODS)[number];

/** Most alerts an `alerts` topic carries. */
export const MAX_LIVE_ALERTS = 500;
/** Most topics one connection may hold. */
export const MAX_TOPICS_PER_CONNECTION = 100;
/** Deltas of one topic are at least this far apart. */
export const LIVE_MIN_DELTA_INTERVAL_MS = 250;
/** Every topic gets a heartbeat at least this often, changed or not. */
export const LIVE_HEARTBEAT_MS = 5000;

export interface TopicSpec {
  /** `nation`, `province:<code>` or `commune:<code>`. */
  scope: string;
  /** Default `summary`. */
  view?: LiveView;
  /** Default `today`. */
  period?: LivePeriod;
}
export interface Topic {
  scope: Scope;
  view: LiveView;
  period: LivePeriod;
}

/** Canonical topic name, e.g. `summary|province:01|today`. */
export function topicKey(t: Topic): string {
  return `${t.view}|${formatScope(t.scope)}|${t.period}`;
}

export type TopicResult = { ok: true; topic: Topic } | { ok: false; reason: string };

export function parseTopicSpec(spec: unknown): TopicResult {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return { ok: false, reason: 'a topic is an object {scope, view?, period?}' };
  const { scope: s, view = 'summary', period = 'today', ...rest } = spec as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length) return { ok: false, reason: `unknown field(s) in topic: ${extra.join(', ')}` };
  const scope = typeof s === 'string' ? parseScope(s) : null;
  if (!scope) return { ok: false, reason: `scope must be nation, province:<2-digit code> or commune:<5-digit code>, got ${JSON.stringify(s)}` };
  if (!LIVE_VIEWS.includes(view as LiveView)) return { ok: false, reason: `view must be ${LIVE_VIEWS.join(', ')}, got ${JSON.stringify(view)}` };
  if (view === 'alerts' && period !== 'today') return { ok: false, reason: 'the alerts view is always current: leave period out (or use "today")' };
  if (!LIVE_PERIODS.includes(period as LivePeriod)) return { ok: false, reason: `period must be one of ${LIVE_PERIODS.join(', ')}, got ${JSON.stringify(period)}` };
  if (view === 'children' && scope.kind === 'commune') return { ok: false, reason: 'a commune has no units below it: use view "children" on nation or a province' };
  return { ok: true, topic: { scope, view: view as LiveView, period: period as LivePeriod } };
}

export function parseTopicKey(key: string): TopicResult {
  const [view, scope, period, ...more] = key.split('|');
  if (more.length || !view || !scope || !period) return { ok: false, reason: `not a topic name: ${JSON.stringify(key)}` };
  return parseTopicSpec({ scope, view, period });
}

/** The local dates a rolling period covers at `now`. */
export function livePeriodRange(period: LivePeriod, now: number): { from: LocalDate; to: LocalDate } {
  const to = localDateOf(now);
  const year = to.slice(0, 4);
  switch (period) {
    case 'today':
      return { from: to, to };
    case '7d':
      return { from: addDays(to, -6), to };
    case '30d':
      return { from: addDays(to, -29), to };
    case 'month':
      return { from: `${to.slice(0, 7)}-01`, to };
    case 'quarter': {
      const q = Math.floor((Number(to.slice(5, 7)) - 1) / 3);
      return { from: `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`, to };
    }
    case 'year':
      return { from: `${year}-01-01`, to };
  }
}

/** When the unit (or, for a scope, any unit in it) last delivered an event; null when never. */
export interface Freshness {
  lastEventAt: string | null;
}
/**
 * A unit that has delivered no event for longer than this is shown as silent (on the
 * map and in the data-freshness list). Clock minutes, unlike the `commune-silence`
 * alert rule, which counts working minutes and has thresholds of its own.
 */
export const SILENT_AFTER_MINUTES = 120;
export interface SummaryData {
  kpis: KpiSet;
  counts: KpiCounts;
  index: IndexPoints;
  /** The national index as GET /api/v1/kpis answers it, on the nation's summary; a province's or commune's is read from GET /api/v1/kpis. */
  indexV2?: IndexV2View;
  freshness: Freshness;
}
export interface ChildRow {
  unitCode: string;
  unitName: string;
  unitType: UnitType;
  provinceCode: string;
  kpis: KpiSet;
  counts: KpiCounts;
  index: IndexPoints;
  lastEventAt: string | null;
}
/** Rows keyed by unit code. */
export type ChildrenData = Record<string, ChildRow>;
/** Open alerts keyed by alert id. */
export type AlertsData = Record<string, AlertSummary>;
export interface LiveDataByView {
  summary: SummaryData;
  children: ChildrenData;
  alerts: AlertsData;
}
export type LiveData = SummaryData | ChildrenData | AlertsData;

export interface LiveMeta {
  topic: string;
  /** Identifies the publisher's sequence; a new epoch means earlier state cannot be continued. */
  epoch: string;
  seq: number;
  /** The instant the figures were last confirmed true (ISO). */
  asOf: string;
  /** Up to which point of the event log these figures count, when they were read. */
  projection: ProjectionMark;
  /** Non-null while history of some of the topic's days is still loading (the figures are incomplete). */
  loading: HistoryLoading | null;
  /** Publisher's clock when the message was sent (epoch ms), for measuring delivery lag. */
  sentAt: number;
  from: LocalDate;
  to: LocalDate;
}
export interface LiveSnapshot<D extends LiveData = LiveData> extends LiveMeta {
  data: D;
}
/** Entries of the topic's data replaced wholesale (summary fields, child rows by unit code, alerts by id), and entries gone. */
export interface LiveDelta<D extends LiveData = LiveData> extends LiveMeta {
  set: Partial<D>;
  /** Keys no longer in the data (an alert that is closed); absent when none. */
  unset?: string[];
}
export type LiveHeartbeat = LiveMeta;

/** Why a topic was refused: the spec or the unit is wrong, the person may not hold it, or the connection holds too many. */
export type SubscribeRefusal = Extract<ApiErrorCode, 'BAD_REQUEST' | 'NOT_FOUND' | 'FORBIDDEN' | 'TOO_MANY_REQUESTS'>;
export type SubscribeAck = { topics: ({ ok: true; topic: string } | { ok: false; index: number; code: SubscribeRefusal; reason: string })[] };

/**
 * Sent to every connection when the server can no longer confirm figures (its database is
 * unavailable: the figures on screen are stale) and again when it can; on connection while down.
 */
export interface LiveServerStatus {
  database: 'up' | 'down';
  /** When the current state began (ISO). */
  since: string;
}

export interface LiveServerToClient {
  status: (s: LiveServerStatus) => void;
  snapshot: (s: LiveSnapshot) => void;
  delta: (d: LiveDelta) => void;
  heartbeat: (h: LiveHeartbeat) => void;
}
export interface LiveClientToServer {
  subscribe: (req: { topics: TopicSpec[] }, ack: (res: SubscribeAck) => void) => void;
  unsubscribe: (req: { topics: string[] }, ack?: (res: { topics: string[] }) => void) => void;
  resync: (req: { topic: string }) => void;
}
/** Messages between server processes (through the socket.io adapter). */
export interface LiveInterServer {
  /** Units whose figures changed (sent by the node that committed the events). */
  'live:changed': (units: string[]) => void;
  /** Topics a node's clients hold, sent every few seconds. */
  'live:interest': (node: string, topics: string[]) => void;
  /** A client needs a snapshot of `topic`. */
  'live:snapshot': (topic: string, socketId: string) => void;
}
