/**
 * REST contract of the link between commune one-stop systems and the IOC:
 * `POST /api/v1/heartbeats` (a relay's heartbeat, with an ingest key),
 * `GET /api/v1/connectivity` and `GET /api/v1/connectivity/{communeCode}/timeline`.
 */

/** `unknown`: the commune never sent a heartbeat, so nothing can be said about its link. */
export const LINK_STATES = ['up', 'degraded', 'down', 'unknown'] as const;
export type LinkState = (typeof LINK_STATES)[number];

/**
 * Why a link is degraded or down: `latency` (the link's round trip is slow), `backlog`
 * (events wait on the commune's side), `gap` (heartbeats stopped for a few minutes),
 * `silent` (no heartbeat for 30 minutes or more).
 */
export const LINK_REASONS = ['latency', 'backlog', 'gap', 'silent'] as const;
export type LinkReason = (typeof LINK_REASONS)[number];

export const LINK_STATE_LABELS: Record<LinkState, { vi: string; en: string }> = {
  up: { vi: 'Kết nối tốt', en: 'Up' },
  degraded: { vi: 'Kết nối chập chờn', en: 'Degraded' },
  down: { vi: 'Mất kết nối', en: 'Down' },
  unknown: { vi: 'Chưa có dữ liệu', en: 'Unknown' },
};

export const LINK_REASON_LABELS: Record<LinkReason, { vi: string; en: string }> = {
  latency: { vi: 'Đường truyền chậm', en: 'High latency' },
  backlog: { vi: 'Dữ liệu tồn đọng chưa gửi được', en: 'Backlog waiting' },
  gap: { vi: 'Gián đoạn tín hiệu vài phút', en: 'Heartbeats missed' },
  silent: { vi: 'Không có tín hiệu từ 30 phút', en: 'No heartbeat for 30 minutes' },
};

/** The thresholds the server judges a link by (README "Connectivity"). */
export const LINK_THRESHOLDS = {
  /** A round trip this slow or slower makes the link degraded. */
  latencyMs: 2000,
  /** Events waiting longer than this on the commune's side make the link degraded. */
  backlogAgeSeconds: 15 * 60,
  /** Silence this long (or three heartbeat intervals, if longer) makes the link degraded. */
  gapSeconds: 3 * 60,
  /** Silence this long makes the link down. */
  downSeconds: 30 * 60,
  /** The interval a relay announces when it says none. */
  defaultIntervalSeconds: 60,
} as const;

/** Body of `POST /api/v1/heartbeats`. Every field is optional: an empty object says "alive". */
export interface HeartbeatRequest {
  /** The commune the relay serves: required with a province or nation key, else the key's commune. */
  communeCode?: string;
  /** The relay's clock when it sent the heartbeat (ISO-8601 with an offset), to show clock drift. */
  sentAt?: string;
  /** Round trip of the link measured by the relay (its previous heartbeat), in milliseconds; null when not yet measured. */
  latencyMs?: number | null;
  /** Events and dossier records spooled on the commune's side and not yet acknowledged by the IOC. */
  backlogEvents?: number;
  /** How long the oldest of them has waited, in seconds; null when nothing waits. */
  oldestBacklogSeconds?: number | null;
  /** How often the relay sends heartbeats (default 60). */
  intervalSeconds?: number;
  /** The relay's name and version, e.g. "ioc-relay/0.1.0". */
  agent?: string;
}

export interface HeartbeatResponse {
  communeCode: string;
  /** The server's clock: what the link's state is judged by. */
  receivedAt: string;
  state: LinkState;
  reasons: LinkReason[];
}

/** The last heartbeat of a commune, as stored. */
export interface LastHeartbeat {
  receivedAt: string;
  sentAt: string | null;
  latencyMs: number | null;
  backlogEvents: number;
  oldestBacklogSeconds: number | null;
  intervalSeconds: number;
  agent: string | null;
}

export interface CommuneLink {
  communeCode: string;
  communeName: string;
  provinceCode: string;
  state: LinkState;
  reasons: LinkReason[];
  /** Since when the commune is in this state (null when unknown). */
  since: string | null;
  lastHeartbeat: LastHeartbeat | null;
}

/** `GET /api/v1/connectivity?scope=…`: every commune of the scope, with its link's state now. */
export interface ConnectivityResponse {
  scope: string;
  asOf: string;
  counts: Record<LinkState, number>;
  communes: CommuneLink[];
}

export interface LinkInterval {
  state: LinkState;
  reasons: LinkReason[];
  from: string;
  to: string;
  minutes: number;
}

/**
 * A period with no heartbeat for 30 minutes or more: from the last heartbeat heard
 * before it to the first one after it (or now, while it lasts). Whole, even where it
 * reaches outside the timeline's days.
 */
export interface LinkOutage {
  from: string;
  /** Null while the outage lasts. */
  to: string | null;
  minutes: number;
  /** Of those, minutes in office hours (Asia/Ho_Chi_Minh working hours, holidays excluded). */
  workingMinutes: number;
}

/** `GET /api/v1/connectivity/{communeCode}/timeline?from=&to=`: the link's states over local days. */
export interface ConnectivityTimeline {
  communeCode: string;
  communeName: string;
  from: string;
  to: string;
  asOf: string;
  intervals: LinkInterval[];
  outages: LinkOutage[];
  /** Minutes per state within the days asked (up to now). */
  totals: Record<LinkState, number>;
  /** Working minutes of the outages within the days asked. */
  outageWorkingMinutes: number;
  heartbeats: number;
}
