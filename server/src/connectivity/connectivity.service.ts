import { Inject, Injectable } from '@nestjs/common';
import {
  type CommuneLink,
  type ConnectivityResponse,
  type ConnectivityTimeline,
  type HeartbeatResponse,
  type LastHeartbeat,
  LINK_STATES,
  LINK_THRESHOLDS,
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
import { type HeartbeatRow, type LinkStatusRow, heartbeatBefore, heartbeatFrom, heartbeatsBetween, insertHeartbeat, linkStatusForUpdate, linkStatuses, saveLinkStatus } from './link-tables.js';

/** The longest timeline served at once: a month of minute heartbeats is ~45,000 rows. */
export const MAX_TIMELINE_DAYS = 31;

const beatOf = (r: Pick<HeartbeatRow, 'latencyMs' | 'oldestBacklogSeconds' | 'intervalSeconds'>, at: Date): Beat => ({
  at: at.getTime(),
  latencyMs: r.latencyMs,
  oldestBacklogSeconds: r.oldestBacklogSeconds === null ? null : Number(r.oldestBacklogSeconds),
  intervalSeconds: r.intervalSeconds,
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
    // What the relay reported, kept both in the heartbeat's row and in the link's current state.
    const reported = {
      sentAt,
      latencyMs: beat.latencyMs,
      backlogEvents: b.backlogEvents ?? 0,
      oldestBacklogSeconds: beat.oldestBacklogSeconds,
      intervalSeconds: beat.intervalSeconds,
      agent: b.agent ?? null,
    };
    await inTransaction(this.db, async (m) => {
      const prev = await linkStatusForUpdate(m, code);
      await insertHeartbeat(m, { communeCode: code, receivedAt: at, ...reported, keyId: source.keyId });
      // A heartbeat older than the last one (two relays, or a test replaying the past) is kept but does not move the current state back.
      if (prev && prev.lastAt.getTime() > now) return;
      // The state lasts while heartbeats keep saying the same without a silence long enough to change it.
      const continues =
        prev !== null && prev.beatState === own.state && prev.beatReasons.join() === own.reasons.join() && now - prev.lastAt.getTime() < gapMs({ intervalSeconds: prev.intervalSeconds });
      await saveLinkStatus(m, {
        communeCode: code,
        provinceCode: unit.kind === 'commune' ? unit.provinceCode : '',
        lastAt: at,
        ...reported,
        beatState: own.state,
        beatReasons: own.reasons,
        beatStateSince: continues ? prev.beatStateSince : at,
      });
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
    const rows = await linkStatuses(this.db, scope.kind === 'nation' ? null : scope.kind === 'province' ? { provinceCode: scope.code } : { communeCode: scope.code });
    const byCode = new Map(rows.map((r) => [r.communeCode, r]));
    const counts = Object.fromEntries(LINK_STATES.map((s) => [s, 0])) as Record<LinkState, number>;
    const communes: CommuneLink[] = codes.map((code) => {
      const c = this.units.commune(code);
      const row = byCode.get(code);
      // A heartbeat stamped after `now` (only when `now` is pinned in the past) is not known yet.
      const seen = row && row.lastAt.getTime() <= now ? row : undefined;
      const a = assessAt(seen ? beatOf(seen, seen.lastAt) : null, now);
      counts[a.state]++;
      return {
        communeCode: code,
        communeName: c.name,
        provinceCode: c.provinceCode,
        state: a.state,
        reasons: a.reasons,
        since: a.silentSince !== null ? new Date(a.silentSince).toISOString() : seen ? seen.beatStateSince.toISOString() : null,
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
    for (const [name, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!isLocalDate(v)) throw badRequest(`${name} must be a local date YYYY-MM-DD (Asia/Ho_Chi_Minh), got "${v.slice(0, 20)}"`);
    }
    if (to < from) throw badRequest(`to (${to}) is before from (${from})`);
    const start = startOfLocalDate(from);
    const windowEnd = startOfLocalDate(addDays(to, 1));
    if (windowEnd - start > MAX_TIMELINE_DAYS * DAY_MS) throw badRequest(`a timeline covers at most ${MAX_TIMELINE_DAYS} days; ask for several periods`);
    const end = Math.min(windowEnd, now);
    const before = await heartbeatBefore(this.db, c.code, new Date(start));
    const inside = end > start ? await heartbeatsBetween(this.db, c.code, new Date(start), new Date(end)) : [];
    const after = await heartbeatFrom(this.db, c.code, new Date(Math.max(start, end)), new Date(now));
    const beats = inside.map((r) => beatOf(r, r.receivedAt));
    const prior = before ? beatOf(before, before.receivedAt) : null;
    const intervals = end > start ? linkIntervals(prior, beats, start, end) : [];
    const around = [...(prior ? [prior] : []), ...beats, ...(after ? [beatOf(after, after.receivedAt)] : [])];
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

function lastHeartbeat(r: LinkStatusRow): LastHeartbeat {
  return {
    receivedAt: r.lastAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    latencyMs: r.latencyMs,
    backlogEvents: Number(r.backlogEvents),
    oldestBacklogSeconds: r.oldestBacklogSeconds === null ? null : Number(r.oldestBacklogSeconds),
    intervalSeconds: r.intervalSeconds,
    agent: r.agent,
  };
}
