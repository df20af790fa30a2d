import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DAY_MS, HEARTBEAT_SOURCE_DAYS, type LocalDate, type WorkingCalendar, addDays, localDateOf, startOfLocalDate, workingMinutesBetween } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { inTransaction } from '../common/transaction.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Queryable } from '../database/queryable.js';
import { type Beat, linkIntervals, linkOutages } from './link-state.js';
import {
  type CommuneHeartbeatRow,
  type LinkDayRow,
  allHeartbeatsBetween,
  firstHeartbeatAt,
  firstHeartbeatsFrom,
  lastHeartbeatsBefore,
  linkProvinces,
  pruneHeartbeats,
  saveLinkDays,
  setSummarisedThrough,
  summarisedThrough,
  tryRetentionLock,
} from './link-tables.js';

/** Advisory lock of a retention run (distinct from the other advisory keys, …020–…023 and …040). */
const RETENTION_LOCK = '4840431902113050';
/** How often the process that projects summarises closed days and prunes old heartbeats. */
const EVERY_MS = 60 * 60_000;
/** Days summarised in one run at most (a first run on a long history catches up over several). */
const MAX_DAYS_PER_RUN = 62;

const beatOf = (r: CommuneHeartbeatRow): Beat => ({
  at: r.receivedAt.getTime(),
  latencyMs: r.latencyMs,
  oldestBacklogSeconds: r.oldestBacklogSeconds === null ? null : Number(r.oldestBacklogSeconds),
  intervalSeconds: r.intervalSeconds,
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
      if (!(await tryRetentionLock(m, RETENTION_LOCK))) return null;
      const yesterday = addDays(localDateOf(now), -1);
      const mark = await summarisedThrough(m);
      let first: LocalDate | null = mark ? addDays(mark, 1) : null;
      if (first === null) {
        const at = await firstHeartbeatAt(m);
        first = at ? localDateOf(at.getTime()) : null;
      }
      const summarisedDays: LocalDate[] = [];
      for (let day = first; day !== null && day <= yesterday && summarisedDays.length < MAX_DAYS_PER_RUN; day = addDays(day, 1)) {
        await this.summariseDay(m, day, now);
        summarisedDays.push(day);
      }
      const through = summarisedDays.at(-1) ?? mark ?? null;
      if (summarisedDays.length > 0) await setSummarisedThrough(m, through!);
      let pruned = 0;
      const keep = this.config.heartbeatRetentionDays;
      if (keep > 0 && through !== null) {
        // Only summarised days go, and only those past the retention period.
        const before = Math.min(startOfLocalDate(addDays(localDateOf(now), -keep)), startOfLocalDate(addDays(through, 1)));
        pruned = await pruneHeartbeats(m, new Date(before));
      }
      if (pruned > 0 || summarisedDays.length > 0) this.log.log(`link days summarised: ${summarisedDays.length}; heartbeats pruned (HEARTBEAT_RETENTION_DAYS=${keep}): ${pruned}`);
      return { summarisedDays, pruned };
    });
  }

  /** One row per commune with a heartbeat source on `day`: heard within HEARTBEAT_SOURCE_DAYS before its end. */
  private async summariseDay(m: Queryable, day: LocalDate, now: number): Promise<void> {
    const start = startOfLocalDate(day);
    const end = startOfLocalDate(addDays(day, 1));
    const inside = await allHeartbeatsBetween(m, new Date(start), new Date(end));
    const before = await lastHeartbeatsBefore(m, new Date(start), new Date(start - HEARTBEAT_SOURCE_DAYS * DAY_MS));
    const after = await firstHeartbeatsFrom(m, new Date(end));
    const provinces = await linkProvinces(m);
    const byCommune = new Map<string, CommuneHeartbeatRow[]>();
    for (const r of inside) {
      let list = byCommune.get(r.communeCode);
      if (!list) byCommune.set(r.communeCode, (list = []));
      list.push(r);
    }
    const prior = new Map(before.map((r) => [r.communeCode, r]));
    const next = new Map(after.map((r) => [r.communeCode, r]));
    const codes = new Set([...byCommune.keys(), ...prior.keys()]);
    const calendar = this.config.alerts.calendar;
    const rows: LinkDayRow[] = [];
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
        max_backlog_events: beatsRows.reduce((x, r) => Math.max(x, Number(r.backlogEvents)), 0),
      });
    }
    if (rows.length === 0) return;
    await saveLinkDays(m, rows, 'replace');
  }
}
