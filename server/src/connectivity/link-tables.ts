import type { LinkReason, LinkState, LocalDate } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/*
 * The link tables (migrations 1765094400000-connectivity and 1765440000000-readiness):
 * every heartbeat (link_heartbeat), the last one and the state it says per commune
 * (link_status), the daily summaries (link_day) and how far they go (link_day_watermark).
 * bigint counts are read as strings. Each function runs on the connection it is given:
 * the DataSource, or a transaction's EntityManager.
 */

/** A commune's row of link_status. */
export interface LinkStatusRow {
  communeCode: string;
  provinceCode: string;
  firstAt: Date;
  lastAt: Date;
  sentAt: Date | null;
  latencyMs: number | null;
  backlogEvents: string;
  oldestBacklogSeconds: string | null;
  intervalSeconds: number;
  agent: string | null;
  beatState: LinkState;
  beatReasons: LinkReason[];
  beatStateSince: Date;
}

/** What a heartbeat says, as the link's state is judged from it. */
export interface HeartbeatRow {
  receivedAt: Date;
  latencyMs: number | null;
  oldestBacklogSeconds: string | null;
  intervalSeconds: number;
}

/** A heartbeat of some commune, as a day is summarised from it. */
export interface CommuneHeartbeatRow extends HeartbeatRow {
  communeCode: string;
  backlogEvents: string;
}

/** A heartbeat written in bulk: `c` commune, `t` received at (ms), `l` latency, `b` backlog, `o` oldest backlog (s), `k` key. */
export interface HeartbeatRecord {
  c: string;
  t: number;
  l: number | null;
  b: number;
  o: number | null;
  k: string;
}

/** A commune's summary of one local day. */
export interface LinkDayRow {
  commune_code: string;
  day: LocalDate;
  province_code: string;
  heartbeats: number;
  up_minutes: number;
  degraded_minutes: number;
  down_minutes: number;
  outage_working_minutes: number;
  max_latency_ms: number | null;
  max_backlog_events: number;
}

const STATUS_COLUMNS = `commune_code AS "communeCode", province_code AS "provinceCode", first_at AS "firstAt", last_at AS "lastAt", sent_at AS "sentAt",
  latency_ms AS "latencyMs", backlog_events AS "backlogEvents", oldest_backlog_seconds AS "oldestBacklogSeconds", interval_seconds AS "intervalSeconds",
  agent, beat_state AS "beatState", beat_reasons AS "beatReasons", beat_state_since AS "beatStateSince"`;
const BEAT_COLUMNS = `received_at AS "receivedAt", latency_ms AS "latencyMs", oldest_backlog_seconds AS "oldestBacklogSeconds", interval_seconds AS "intervalSeconds"`;
const COMMUNE_BEAT_COLUMNS = `commune_code AS "communeCode", ${BEAT_COLUMNS}, backlog_events AS "backlogEvents"`;

/** The commune's link status, locked until the transaction ends. */
export async function linkStatusForUpdate(q: Queryable, communeCode: string): Promise<LinkStatusRow | null> {
  const [row] = (await q.query(`SELECT ${STATUS_COLUMNS} FROM link_status WHERE commune_code = $1 FOR UPDATE`, [communeCode])) as LinkStatusRow[];
  return row ?? null;
}

/** The link status of every commune with a heartbeat source, of a province's, or of one commune. */
export async function linkStatuses(q: Queryable, within: { provinceCode: string } | { communeCode: string } | null): Promise<LinkStatusRow[]> {
  if (within === null) return (await q.query(`SELECT ${STATUS_COLUMNS} FROM link_status`)) as LinkStatusRow[];
  if ('provinceCode' in within) return (await q.query(`SELECT ${STATUS_COLUMNS} FROM link_status WHERE province_code = $1`, [within.provinceCode])) as LinkStatusRow[];
  return (await q.query(`SELECT ${STATUS_COLUMNS} FROM link_status WHERE commune_code = $1`, [within.communeCode])) as LinkStatusRow[];
}

/** The province of every commune with a link status. */
export async function linkProvinces(q: Queryable): Promise<Map<string, string>> {
  const rows = (await q.query(`SELECT commune_code AS "communeCode", province_code AS "provinceCode" FROM link_status`)) as { communeCode: string; provinceCode: string }[];
  return new Map(rows.map((r) => [r.communeCode, r.provinceCode]));
}

/** How many communes have a link status reported by `agent`. */
export async function linksOfAgent(q: Queryable, agent: string): Promise<number> {
  const [row] = (await q.query(`SELECT count(*)::int AS n FROM link_status WHERE agent = $1`, [agent])) as { n: number }[];
  return row!.n;
}

export async function insertHeartbeat(
  q: Queryable,
  b: {
    communeCode: string;
    receivedAt: Date;
    sentAt: Date | null;
    latencyMs: number | null;
    backlogEvents: number;
    oldestBacklogSeconds: number | null;
    intervalSeconds: number;
    agent: string | null;
    keyId: string;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO link_heartbeat (commune_code, received_at, sent_at, latency_ms, backlog_events, oldest_backlog_seconds, interval_seconds, agent, key_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [b.communeCode, b.receivedAt, b.sentAt, b.latencyMs, b.backlogEvents, b.oldestBacklogSeconds, b.intervalSeconds, b.agent, b.keyId],
  );
}

/** Sets a commune's last heartbeat and the state it says (its first heartbeat creates the row). */
export async function saveLinkStatus(
  q: Queryable,
  s: Omit<LinkStatusRow, 'firstAt' | 'backlogEvents' | 'oldestBacklogSeconds'> & { backlogEvents: number; oldestBacklogSeconds: number | null },
): Promise<void> {
  await q.query(
    `INSERT INTO link_status (commune_code, province_code, first_at, last_at, sent_at, latency_ms, backlog_events, oldest_backlog_seconds, interval_seconds, agent, beat_state, beat_reasons, beat_state_since)
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (commune_code) DO UPDATE SET last_at = excluded.last_at, sent_at = excluded.sent_at, latency_ms = excluded.latency_ms,
       backlog_events = excluded.backlog_events, oldest_backlog_seconds = excluded.oldest_backlog_seconds, interval_seconds = excluded.interval_seconds,
       agent = excluded.agent, beat_state = excluded.beat_state, beat_reasons = excluded.beat_reasons, beat_state_since = excluded.beat_state_since`,
    [s.communeCode, s.provinceCode, s.lastAt, s.sentAt, s.latencyMs, s.backlogEvents, s.oldestBacklogSeconds, s.intervalSeconds, s.agent, s.beatState, s.beatReasons, s.beatStateSince],
  );
}

/** The commune's last heartbeat received before `before`. */
export async function heartbeatBefore(q: Queryable, communeCode: string, before: Date): Promise<HeartbeatRow | null> {
  const [row] = (await q.query(`SELECT ${BEAT_COLUMNS} FROM link_heartbeat WHERE commune_code = $1 AND received_at < $2 ORDER BY received_at DESC LIMIT 1`, [communeCode, before])) as HeartbeatRow[];
  return row ?? null;
}

/** The commune's heartbeats received in [from, to), in order. */
export async function heartbeatsBetween(q: Queryable, communeCode: string, from: Date, to: Date): Promise<HeartbeatRow[]> {
  return (await q.query(`SELECT ${BEAT_COLUMNS} FROM link_heartbeat WHERE commune_code = $1 AND received_at >= $2 AND received_at < $3 ORDER BY received_at`, [
    communeCode,
    from,
    to,
  ])) as HeartbeatRow[];
}

/** The commune's first heartbeat received in [from, to]. */
export async function heartbeatFrom(q: Queryable, communeCode: string, from: Date, to: Date): Promise<HeartbeatRow | null> {
  const [row] = (await q.query(`SELECT ${BEAT_COLUMNS} FROM link_heartbeat WHERE commune_code = $1 AND received_at >= $2 AND received_at <= $3 ORDER BY received_at LIMIT 1`, [
    communeCode,
    from,
    to,
  ])) as HeartbeatRow[];
  return row ?? null;
}

/** Every heartbeat received in [from, to), by commune and time. */
export async function allHeartbeatsBetween(q: Queryable, from: Date, to: Date): Promise<CommuneHeartbeatRow[]> {
  return (await q.query(`SELECT ${COMMUNE_BEAT_COLUMNS} FROM link_heartbeat WHERE received_at >= $1 AND received_at < $2 ORDER BY commune_code, received_at`, [from, to])) as CommuneHeartbeatRow[];
}

/** Each commune's last heartbeat received in [since, before). */
export async function lastHeartbeatsBefore(q: Queryable, before: Date, since: Date): Promise<CommuneHeartbeatRow[]> {
  return (await q.query(`SELECT DISTINCT ON (commune_code) ${COMMUNE_BEAT_COLUMNS} FROM link_heartbeat WHERE received_at < $1 AND received_at >= $2 ORDER BY commune_code, received_at DESC`, [
    before,
    since,
  ])) as CommuneHeartbeatRow[];
}

/** Each commune's first heartbeat received from `from` on. */
export async function firstHeartbeatsFrom(q: Queryable, from: Date): Promise<CommuneHeartbeatRow[]> {
  return (await q.query(`SELECT DISTINCT ON (commune_code) ${COMMUNE_BEAT_COLUMNS} FROM link_heartbeat WHERE received_at >= $1 ORDER BY commune_code, received_at`, [from])) as CommuneHeartbeatRow[];
}

/** When the first heartbeat kept was received; null with none. */
export async function firstHeartbeatAt(q: Queryable): Promise<Date | null> {
  const [row] = (await q.query(`SELECT min(received_at) AS at FROM link_heartbeat`)) as { at: Date | null }[];
  return row!.at;
}

/** Deletes the heartbeats received before `before`; answers how many. */
export async function pruneHeartbeats(q: Queryable, before: Date): Promise<number> {
  const [row] = (await q.query(`WITH d AS (DELETE FROM link_heartbeat WHERE received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [before])) as { n: number }[];
  return row?.n ?? 0;
}

/** Heartbeats of relays written in bulk (the demo's history), all with the same interval and agent. */
export async function insertHeartbeats(q: Queryable, rows: HeartbeatRecord[], intervalSeconds: number, agent: string): Promise<void> {
  await q.query(
    `INSERT INTO link_heartbeat (commune_code, received_at, latency_ms, backlog_events, oldest_backlog_seconds, interval_seconds, agent, key_id)
     SELECT c, to_timestamp(t / 1000.0), l, b, o, $2::int, $3::text, k FROM json_to_recordset($1::json) AS x(c text, t float8, l int, b bigint, o bigint, k uuid)`,
    [JSON.stringify(rows), intervalSeconds, agent],
  );
}

/** The last local day summarised; null before the first summary. */
export async function summarisedThrough(q: Queryable): Promise<LocalDate | null> {
  const [row] = (await q.query(`SELECT to_char(summarised_through, 'YYYY-MM-DD') AS d FROM link_day_watermark`)) as { d: LocalDate }[];
  return row?.d ?? null;
}

export async function setSummarisedThrough(q: Queryable, day: LocalDate): Promise<void> {
  await q.query(`INSERT INTO link_day_watermark (id, summarised_through) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET summarised_through = excluded.summarised_through`, [day]);
}

const LINK_DAY_RECORDS = `json_to_recordset($1::json) AS x(commune_code text, day date, province_code text, heartbeats int, up_minutes int, degraded_minutes int, down_minutes int,
                                                      outage_working_minutes int, max_latency_ms int, max_backlog_events bigint)`;

/** Writes daily summaries; a day already summarised is replaced (`keep`: left as it is). */
export async function saveLinkDays(q: Queryable, rows: LinkDayRow[], onConflict: 'replace' | 'keep'): Promise<void> {
  await q.query(
    `INSERT INTO link_day (commune_code, day, province_code, heartbeats, up_minutes, degraded_minutes, down_minutes, outage_working_minutes, max_latency_ms, max_backlog_events)
     SELECT commune_code, day, province_code, heartbeats, up_minutes, degraded_minutes, down_minutes, outage_working_minutes, max_latency_ms, max_backlog_events
       FROM ${LINK_DAY_RECORDS}
     ${
       onConflict === 'keep'
         ? 'ON CONFLICT (commune_code, day) DO NOTHING'
         : `ON CONFLICT (commune_code, day) DO UPDATE SET heartbeats = excluded.heartbeats, up_minutes = excluded.up_minutes, degraded_minutes = excluded.degraded_minutes,
         down_minutes = excluded.down_minutes, outage_working_minutes = excluded.outage_working_minutes, max_latency_ms = excluded.max_latency_ms,
         max_backlog_events = excluded.max_backlog_events`
     }`,
    [JSON.stringify(rows)],
  );
}

/** The retention run's lock for this transaction; false while another process holds it. */
export async function tryRetentionLock(q: Queryable, key: string): Promise<boolean> {
  const [row] = (await q.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [key])) as { ok: boolean }[];
  return row!.ok;
}
