import { Inject, Injectable } from '@nestjs/common';
import {
  type CommuneLink,
  type ConnectivityResponse,
  type ConnectivityTimeline,
  type HeartbeatResponse,
  type LastHeartbeat,
  LINK_STATES,
  LINK_THRESHOLDS,
  type LinkReason,
  type LinkState,
  type UnitRef,
  DAY_MS,
  addDays,
  formatScope,
  isLocalDate,
  localDateOf,
  startOfLocalDate,
  within,
  workingMinutesBetween,
  heartbeatBodySchema,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import type { IngestSource } from '../auth/auth.types.js';
import { badRequest, forbidden } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import { parseBody } from '../common/validation.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { UnitsService } from '../units/units.service.js';
import { type Beat, assessAt, assessBeat, gapMs, linkIntervals, linkOutages, toApiIntervals } from './link-state.js';

/** The longest timeline served at once: a month of minute heartbeats is ~45,000 rows. */
export const MAX_TIMELINE_DAYS = 31;

interface StatusRow {
  commune_code: string;
  province_code: string;
  last_at: Date;
  sent_at: Date | null;
  latency_ms: number | null;
  backlog_events: string;
  oldest_backlog_seconds: string | null;
  interval_seconds: number;
  agent: string | null;
  beat_state: LinkState;
  beat_reasons: LinkReason[];
  beat_state_since: Date;
}

interface BeatRow {
  received_at: Date;
  latency_ms: number | null;
  oldest_backlog_seconds: string | null;
  interval_seconds: number;
}

const beatOf = (r: Pick<BeatRow, 'latency_ms' | 'oldest_backlog_seconds' | 'interval_seconds'>, at: Date): Beat => ({
  at: at.getTime(),
  latencyMs: r.latency_ms,
  oldestBacklogSeconds: r.oldest_backlog_seconds === null ? null : Number(r.oldest_backlog_seconds),
  intervalSeconds: r.interval_seconds,
});

const SEVERITY: Record<LinkState, number> = { down: 0, degraded: 1, up: 2, unknown: 3 };

/**
 * Heartbeats as data: relays at the communes report every minute; the server keeps
 * every heartbeat and, per commune, the last one, and judges each link by the rules
 * of link-state.ts. Only communes that ever sent a heartbeat have a state; the others
 * are `unknown` (a commune without a relay is not "down").
 */
@Injectable()
export class ConnectivityService {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Records a heartbeat received at `now` from `source`; 400 for a bad body, 403 for a commune outside the key's scope. */
  async heartbeat(source: IngestSource, body: unknown, now = Date.now()): Promise<HeartbeatResponse> {
    const b = parseBody(heartbeatBodySchema, body ?? {});
    const code = b.communeCode ?? (source.scope.kind === 'commune' ? source.scope.code : null);
    if (code === null) {
      throw badRequest(`communeCode is required: the key "${source.name}" is for ${formatScope(source.scope)}, so name the commune this relay serves (e.g. "communeCode": "00004").`);
    }
    if (!this.units.hasCommune(code)) throw badRequest(`communeCode "${code}" is not a commune code (2025 codes).`);
    const unit = this.units.unitRef(code);
    if (!within(unit, source.scope)) {
      throw forbidden(`The key "${source.name}" (${formatScope(source.scope)}) may not report the link of ${this.units.scopeName(unit)}: a key reports only for communes in its scope.`);
    }
    const beat: Beat = { at: now, latencyMs: b.latencyMs ?? null, oldestBacklogSeconds: b.oldestBacklogSeconds ?? null, intervalSeconds: b.intervalSeconds ?? LINK_THRESHOLDS.defaultIntervalSeconds };
    const own = assessBeat(beat);
    const at = new Date(now);
    const sentAt = b.sentAt ? new Date(b.sentAt) : null;
    await inTransaction(this.db, async (m) => {
      const [prev] = (await m.query(`SELECT * FROM link_status WHERE commune_code = $1 FOR UPDATE`, [code])) as StatusRow[];
      await m.query(
        `INSERT INTO link_heartbeat (commune_code, received_at, sent_at, latency_ms, backlog_events, oldest_backlog_seconds, interval_seconds, agent, key_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [code, at, sentAt, beat.latencyMs, b.backlogEvents ?? 0, beat.oldestBacklogSeconds, beat.intervalSeconds, b.agent ?? null, source.keyId],
      );
      // A heartbeat older than the last one (two relays, or a test replaying the past) is kept but does not move the current state back.
      if (prev && prev.last_at.getTime() > now) return;
      // The state lasts while heartbeats keep saying the same without a silence long enough to change it.
      const continues =
        prev !== undefined &&
        prev.beat_state === own.state &&
        prev.beat_reasons.join() === own.reasons.join() &&
        now - prev.last_at.getTime() < gapMs({ intervalSeconds: prev.interval_seconds });
      await m.query(
        `INSERT INTO link_status (commune_code, province_code, first_at, last_at, sent_at, latency_ms, backlog_events, oldest_backlog_seconds, interval_seconds, agent, beat_state, beat_reasons, beat_state_since)
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (commune_code) DO UPDATE SET last_at = excluded.last_at, sent_at = excluded.sent_at, latency_ms = excluded.latency_ms,
           backlog_events = excluded.backlog_events, oldest_backlog_seconds = excluded.oldest_backlog_seconds, interval_seconds = excluded.interval_seconds,
           agent = excluded.agent, beat_state = excluded.beat_state, beat_reasons = excluded.beat_reasons, beat_state_since = excluded.beat_state_since`,
        [
          code,
          unit.kind === 'commune' ? unit.provinceCode : '',
          at,
          sentAt,
          beat.latencyMs,
          b.backlogEvents ?? 0,
          beat.oldestBacklogSeconds,
          beat.intervalSeconds,
          b.agent ?? null,
          own.state,
          own.reasons,
          continues ? prev.beat_state_since : at,
        ],
      );
    });
    return { communeCode: code, receivedAt: at.toISOString(), state: own.state, reasons: own.reasons };
  }

  /** The communes of `scope` whose link the caller would see (every commune in it), each with its state at `now`. */
  communesIn(scope: UnitRef): string[] {
    if (scope.kind === 'commune') return [scope.code];
    const list = scope.kind === 'province' ? this.units.communesOf(scope.code) : this.units.allCommunes();
    return list.map((c) => c.code);
  }

  async current(scope: UnitRef, now = Date.now()): Promise<ConnectivityResponse> {
    const codes = this.communesIn(scope);
    const rows = (await (scope.kind === 'nation'
      ? this.db.query(`SELECT * FROM link_status`)
      : scope.kind === 'province'
        ? this.db.query(`SELECT * FROM link_status WHERE province_code = $1`, [scope.code])
        : this.db.query(`SELECT * FROM link_status WHERE commune_code = $1`, [scope.code]))) as StatusRow[];
    const byCode = new Map(rows.map((r) => [r.commune_code, r]));
    const counts = Object.fromEntries(LINK_STATES.map((s) => [s, 0])) as Record<LinkState, number>;
    const communes: CommuneLink[] = codes.map((code) => {
      const c = this.units.commune(code);
      const row = byCode.get(code);
      // A heartbeat stamped after `now` (only when `now` is pinned in the past) is not known yet.
      const seen = row && row.last_at.getTime() <= now ? row : undefined;
      const a = assessAt(seen ? beatOf(seen, seen.last_at) : null, now);
      counts[a.state]++;
      return {
        communeCode: code,
        communeName: c.name,
        provinceCode: c.provinceCode,
        state: a.state,
        reasons: a.reasons,
        since: a.silentSince !== null ? new Date(a.silentSince).toISOString() : seen ? seen.beat_state_since.toISOString() : null,
        lastHeartbeat: seen ? lastHeartbeat(seen) : null,
      };
    });
    communes.sort((x, y) => SEVERITY[x.state] - SEVERITY[y.state] || x.communeCode.localeCompare(y.communeCode));
    return { scope: formatScope(scope), asOf: new Date(now).toISOString(), counts, communes };
  }

  /** 400 unless `code` is a 5-digit commune code; 404 when no commune has it. */
  commune(code: string): UnitRef {
    if (!/^\d{5}$/.test(code)) throw badRequest(`communeCode must be a 5-digit commune code (2025 codes), got "${code.slice(0, 20)}"`);
    return this.units.unitRef(code);
  }

  async timeline(communeCode: string, q: { from?: string; to?: string }, now = Date.now()): Promise<ConnectivityTimeline> {
    const c = this.units.commune(communeCode);
    const today = localDateOf(now);
    const from = q.from ?? q.to ?? today;
    const to = q.to ?? (q.from ? (q.from > today ? q.from : today) : today);
    for (const [name, v] of [['from', from], ['to', to]] as const) {
      if (!isLocalDate(v)) throw badRequest(`${name} must be a local date YYYY-MM-DD (Asia/Ho_Chi_Minh), got "${v.slice(0, 20)}"`);
    }
    if (to < from) throw badRequest(`to (${to}) is before from (${from})`);
    const start = startOfLocalDate(from);
    const windowEnd = startOfLocalDate(addDays(to, 1));
    if (windowEnd - start > MAX_TIMELINE_DAYS * DAY_MS) throw badRequest(`a timeline covers at most ${MAX_TIMELINE_DAYS} days; ask for several periods`);
    const end = Math.min(windowEnd, now);
    const cols = `received_at, latency_ms, oldest_backlog_seconds, interval_seconds`;
    const [before] = (await this.db.query(`SELECT ${cols} FROM link_heartbeat WHERE commune_code = $1 AND received_at < $2 ORDER BY received_at DESC LIMIT 1`, [
      c.code,
      new Date(start),
    ])) as BeatRow[];
    const inside = end > start ? ((await this.db.query(`SELECT ${cols} FROM link_heartbeat WHERE commune_code = $1 AND received_at >= $2 AND received_at < $3 ORDER BY received_at`, [c.code, new Date(start), new Date(end)])) as BeatRow[]) : [];
    const [after] = (await this.db.query(`SELECT ${cols} FROM link_heartbeat WHERE commune_code = $1 AND received_at >= $2 AND received_at <= $3 ORDER BY received_at LIMIT 1`, [
      c.code,
      new Date(Math.max(start, end)),
      new Date(now),
    ])) as BeatRow[];
    const beats = inside.map((r) => beatOf(r, r.received_at));
    const prior = before ? beatOf(before, before.received_at) : null;
    const intervals = end > start ? linkIntervals(prior, beats, start, end) : [];
    const around = [...(prior ? [prior] : []), ...beats, ...(after ? [beatOf(after, after.received_at)] : [])];
    const calendar = this.config.alerts.calendar;
    const outages = linkOutages(around, now, calendar).filter((o) => o.toMs > start && o.fromMs < end);
    const totals = Object.fromEntries(LINK_STATES.map((s) => [s, 0])) as Record<LinkState, number>;
    for (const i of intervals) totals[i.state] += (i.to - i.from) / 60_000;
    for (const s of LINK_STATES) totals[s] = Math.round(totals[s]);
    const outageWorkingMinutes = outages.reduce((sum, o) => {
      const a = Math.max(o.fromMs, start);
      const b = Math.min(o.toMs, end);
      return sum + workingMinutesBetween(calendar, a, b, Math.ceil((b - a) / DAY_MS) + 1);
    }, 0);
    return {
      communeCode: c.code,
      communeName: c.name,
      from,
      to,
      asOf: new Date(now).toISOString(),
      intervals: toApiIntervals(intervals),
      outages: outages.map(({ fromMs: _a, toMs: _b, ...o }) => o),
      totals,
      outageWorkingMinutes,
      heartbeats: inside.length,
    };
  }
}

function lastHeartbeat(r: StatusRow): LastHeartbeat {
  return {
    receivedAt: r.last_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    latencyMs: r.latency_ms,
    backlogEvents: Number(r.backlog_events),
    oldestBacklogSeconds: r.oldest_backlog_seconds === null ? null : Number(r.oldest_backlog_seconds),
    intervalSeconds: r.interval_seconds,
    agent: r.agent,
  };
}
