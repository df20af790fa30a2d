import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DAY_MS, HEARTBEAT_SOURCE_DAYS, type LocalDate, type WorkingCalendar, addDays, localDateOf, startOfLocalDate, workingMinutesBetween } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { inTransaction } from '../common/transaction.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { type Beat, linkIntervals, linkOutages } from './link-state.js';

/** Advisory lock of a retention run (distinct from the other advisory keys, …020–…023 and …040). */
const RETENTION_LOCK = '4840431902113050';
/** How often the process that projects summarises closed days and prunes old heartbeats. */
const EVERY_MS = 60 * 60_000;
/** Days summarised in one run at most (a first run on a long history catches up over several). */
const MAX_DAYS_PER_RUN = 62;

interface Row {
  commune_code: string;
  received_at: Date;
  latency_ms: number | null;
  oldest_backlog_seconds: string | null;
  interval_seconds: number;
  backlog_events: string;
}

const beatOf = (r: Row): Beat => ({
  at: r.received_at.getTime(),
  latencyMs: r.latency_ms,
  oldestBacklogSeconds: r.oldest_backlog_seconds === null ? null : Number(r.oldest_backlog_seconds),
  intervalSeconds: r.interval_seconds,
});

/**
 * One local day [start, end) of a link, by the timeline's rules: minutes up, degraded and
 * down (unknown left out), and the working minutes of outages within the day. `prior` is
 * the last heartbeat before the day, `next` the first after it (null: none yet, so an
 * outage at the day's end lasts until `now`).
 */
export function daySummary(prior: Beat | null, beats: readonly Beat[], next: Beat | null, start: number, end: number, now: number, calendar: WorkingCalendar) {
  const minutes = { up: 0, degraded: 0, down: 0 };
  for (const i of linkIntervals(prior, beats, start, end)) {
    if (i.state !== 'unknown') minutes[i.state] += (i.to - i.from) / 60_000;
  }
  const around = [...(prior ? [prior] : []), ...beats, ...(next ? [next] : [])];
  let outageWorking = 0;
  for (const o of linkOutages(around, Math.max(now, end), calendar)) {
    const a = Math.max(o.fromMs, start);
    const b = Math.min(o.toMs, end);
    if (b > a) outageWorking += workingMinutesBetween(calendar, a, b, 2);
  }
  return { up: Math.round(minutes.up), degraded: Math.round(minutes.degraded), down: Math.round(minutes.down), outageWorking: Math.round(outageWorking) };
}

export interface RetentionResult {
  summarisedDays: LocalDate[];
  pruned: number;
}

/**
 * Heartbeat retention: each closed local day is summarised into one `link_day` row per
 * commune with a heartbeat source (minutes up, degraded and down, outage minutes in
 * working hours, the worst latency and backlog), by the same rules as the timeline;
 * raw heartbeats older than HEARTBEAT_RETENTION_DAYS are then deleted, never before
 * their day is summarised. The summaries serve the link measures of the readiness view.
 */
@Injectable()
export class LinkRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('LinkRetention');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.projector) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .catch((e: unknown) => this.log.warn(`heartbeat retention failed: ${(e as Error).message}`))
        .finally(() => (this.running = null));
    }, EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Summarises the closed days not yet summarised (up to yesterday at `now`), then prunes; null when another process runs it. */
  async run(now = Date.now()): Promise<RetentionResult | null> {
    return inTransaction(this.db, async (m) => {
      const [{ ok }] = (await m.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [RETENTION_LOCK])) as { ok: boolean }[];
      if (!ok) return null;
      const yesterday = addDays(localDateOf(now), -1);
      const [mark] = (await m.query(`SELECT to_char(summarised_through, 'YYYY-MM-DD') AS d FROM link_day_watermark`)) as { d: LocalDate }[];
      let first: LocalDate | null = mark ? addDays(mark.d, 1) : null;
      if (first === null) {
        const [{ at }] = (await m.query(`SELECT min(received_at) AS at FROM link_heartbeat`)) as { at: Date | null }[];
        first = at ? localDateOf(at.getTime()) : null;
      }
      const summarisedDays: LocalDate[] = [];
      for (let day = first; day !== null && day <= yesterday && summarisedDays.length < MAX_DAYS_PER_RUN; day = addDays(day, 1)) {
        await this.summariseDay(m, day, now);
        summarisedDays.push(day);
      }
      const through = summarisedDays.at(-1) ?? mark?.d ?? null;
      if (summarisedDays.length > 0) {
        await m.query(
          `INSERT INTO link_day_watermark (id, summarised_through) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET summarised_through = excluded.summarised_through`,
          [through],
        );
      }
      let pruned = 0;
      const keep = this.config.heartbeatRetentionDays;
      if (keep > 0 && through !== null) {
        // Only summarised days go, and only those past the retention period.
        const before = Math.min(startOfLocalDate(addDays(localDateOf(now), -keep)), startOfLocalDate(addDays(through, 1)));
        const res = (await m.query(`WITH d AS (DELETE FROM link_heartbeat WHERE received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [new Date(before)])) as { n: number }[];
        pruned = res[0]?.n ?? 0;
      }
      if (pruned > 0 || summarisedDays.length > 0) this.log.log(`link days summarised: ${summarisedDays.length}; heartbeats pruned (HEARTBEAT_RETENTION_DAYS=${keep}): ${pruned}`);
      return { summarisedDays, pruned };
    });
  }

  /** One row per commune with a heartbeat source on `day`: heard within HEARTBEAT_SOURCE_DAYS before its end. */
  private async summariseDay(m: { query: (sql: string, params?: unknown[]) => Promise<unknown> }, day: LocalDate, now: number): Promise<void> {
    const start = startOfLocalDate(day);
    const end = startOfLocalDate(addDays(day, 1));
    const cols = `commune_code, received_at, latency_ms, oldest_backlog_seconds, interval_seconds, backlog_events`;
    const inside = (await m.query(`SELECT ${cols} FROM link_heartbeat WHERE received_at >= $1 AND received_at < $2 ORDER BY commune_code, received_at`, [new Date(start), new Date(end)])) as Row[];
    const before = (await m.query(
      `SELECT DISTINCT ON (commune_code) ${cols} FROM link_heartbeat WHERE received_at < $1 AND received_at >= $2 ORDER BY commune_code, received_at DESC`,
      [new Date(start), new Date(start - HEARTBEAT_SOURCE_DAYS * DAY_MS)],
    )) as Row[];
    const after = (await m.query(`SELECT DISTINCT ON (commune_code) ${cols} FROM link_heartbeat WHERE received_at >= $1 ORDER BY commune_code, received_at`, [new Date(end)])) as Row[];
    const provinces = new Map(((await m.query(`SELECT commune_code, province_code FROM link_status`)) as { commune_code: string; province_code: string }[]).map((r) => [r.commune_code, r.province_code]));
    const byCommune = new Map<string, Row[]>();
    for (const r of inside) {
      let list = byCommune.get(r.commune_code);
      if (!list) byCommune.set(r.commune_code, (list = []));
      list.push(r);
    }
    const prior = new Map(before.map((r) => [r.commune_code, r]));
    const next = new Map(after.map((r) => [r.commune_code, r]));
    const codes = new Set([...byCommune.keys(), ...prior.keys()]);
    const calendar = this.config.alerts.calendar;
    const rows: unknown[] = [];
    for (const code of codes) {
      const beatsRows = byCommune.get(code) ?? [];
      const p = prior.get(code);
      const beats = beatsRows.map(beatOf);
      const n = next.get(code);
      const sum = daySummary(p ? beatOf(p) : null, beats, n ? beatOf(n) : null, start, end, now, calendar);
      const latencies = beats.map((b) => b.latencyMs).filter((x): x is number => x !== null);
      rows.push({
        commune_code: code,
        day,
        province_code: provinces.get(code) ?? '',
        heartbeats: beats.length,
        up_minutes: sum.up,
        degraded_minutes: sum.degraded,
        down_minutes: sum.down,
        outage_working_minutes: sum.outageWorking,
        max_latency_ms: latencies.length ? Math.max(...latencies) : null,
        max_backlog_events: beatsRows.reduce((x, r) => Math.max(x, Number(r.backlog_events)), 0),
      });
    }
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO link_day (commune_code, day, province_code, heartbeats, up_minutes, degraded_minutes, down_minutes, outage_working_minutes, max_latency_ms, max_backlog_events)
       SELECT * FROM json_to_recordset($1::json) AS x(commune_code text, day date, province_code text, heartbeats int, up_minutes int, degraded_minutes int, down_minutes int,
                                                      outage_working_minutes int, max_latency_ms int, max_backlog_events bigint)
       ON CONFLICT (commune_code, day) DO UPDATE SET heartbeats = excluded.heartbeats, up_minutes = excluded.up_minutes, degraded_minutes = excluded.degraded_minutes,
         down_minutes = excluded.down_minutes, outage_working_minutes = excluded.outage_working_minutes, max_latency_ms = excluded.max_latency_ms,
         max_backlog_events = excluded.max_backlog_events`,
      [JSON.stringify(rows)],
    );
  }
}
