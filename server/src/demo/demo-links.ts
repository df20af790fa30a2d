import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { READINESS_FIELDS, type LocalDate, type ReadinessField, addDays, localDateOf, mulberry32, startOfLocalDate } from '@ioc/shared';
import { DataSource } from 'typeorm';
import type { IngestSource } from '../auth/auth.types.js';
import { IngestKeysService } from '../auth/ingest-keys.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ConnectivityService } from '../connectivity/connectivity.service.js';
import { LinkRetention, daySummary } from '../connectivity/link-retention.js';
import type { Beat } from '../connectivity/link-state.js';
import { type HeartbeatRecord, type LinkDayRow, insertHeartbeats, linksOfAgent, saveLinkDays } from '../connectivity/link-tables.js';
import { type ReadinessRecord, countReadinessValues, insertReadinessValues } from '../readiness/readiness-values.js';
import { UnitsService } from '../units/units.service.js';
import { DemoFeedService } from './demo-feed.service.js';
import { DEMO_RELAY_COMMUNES } from './relay-exports.js';
import type { DemoSimulator, UnitProfile } from './simulator/index.js';

/** The demo's relays announce a heartbeat every 5 minutes (a real relay: every minute), to keep the demo's tables small. */
const BEAT_S = 300;
const BEAT_MS = BEAT_S * 1000;
/** Days of raw heartbeats written at the first start (the commune view's 7-day timeline); older days as daily summaries. */
const RAW_DAYS = 7;
const SUMMARY_DAYS = 31;
const AGENT = 'ioc-relay/demo';
/** Mountain provinces where non-remote communes also run a relay (a share of them), for contrast on the same map. */
const MOUNTAIN_PROVINCES = new Set(['04', '08', '11', '12', '14', '15', '44']);
/** Provinces with a working security operations centre (about 40% of localities). */
const SOC_SHARE = 0.4;

const SOURCES: Record<ReadinessField, string> = {
  itStaff: 'Sở Nội vụ — báo cáo biên chế quý',
  trainedStaff: 'Sở Nội vụ — báo cáo đào tạo kỹ năng số',
  digitalSignatures: 'Ban Cơ yếu Chính phủ — danh sách chứng thư số',
  scanners: 'Sở Khoa học và Công nghệ — kiểm kê thiết bị',
  kiosks: 'Sở Khoa học và Công nghệ — kiểm kê thiết bị',
  vneidLevel2Share: 'Công an tỉnh — số liệu định danh điện tử',
  socCovered: 'Sở Khoa học và Công nghệ — phạm vi giám sát SOC',
};

/** A seeded stream per (seed, key), the same on every start. */
export function rngOf(seed: number, key: string): () => number {
  let h = seed >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 2654435761) >>> 0;
  return mulberry32(h);
}
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * One commune's readiness, consistent with its simulated figures: a latent capacity from its
 * online, digitisation and e-result rates, lower for remote and struggling communes, drives
 * every field (with noise), so the province's scatter shows an association. Two versions:
 * the end of the quarter before last, and the last quarter's (a little better).
 */
export function demoReadiness(p: UnitProfile, seed: number, socProvince: boolean): { older: Record<ReadinessField, number>; latest: Record<ReadinessField, number> } {
  const r = rngOf(seed, `readiness:${p.code}`);
  const noise = () => r() * 2 - 1;
  const capacity = clamp(0.35 * p.onlineRate + 0.35 * p.digitizationRate + 0.3 * p.eResultShare + 0.12 * noise() - (p.remote ? 0.15 : 0) - (p.struggling ? 0.15 : 0), 0.02, 1);
  const officials = p.remote ? 6 + Math.floor(r() * 6) : 10 + Math.floor(r() * 15);
  const latest: Record<ReadinessField, number> = {
    itStaff: clamp(Math.round(capacity * 2.6 + 0.5 * noise()), 0, 4),
    trainedStaff: Math.round(officials * clamp(capacity + 0.15 * noise(), 0.05, 1)),
    digitalSignatures: Math.round(officials * clamp(0.9 * capacity + 0.1 * noise(), 0, 1)),
    scanners: clamp(Math.round(capacity * 3 + 0.7 * noise()), 0, 5),
    kiosks: capacity > 0.7 && r() > 0.4 ? 1 + (p.hub ? 1 : 0) : 0,
    vneidLevel2Share: Math.round(clamp(25 + 60 * capacity + 8 * noise(), 5, 95) * 10) / 10,
    socCovered: socProvince && r() < (p.remote ? 0.5 : 0.95) ? 1 : 0,
  };
  const older = { ...latest };
  older.trainedStaff = Math.max(0, latest.trainedStaff - Math.floor(r() * 3));
  older.digitalSignatures = Math.max(0, latest.digitalSignatures - Math.floor(r() * 3));
  older.vneidLevel2Share = Math.round(Math.max(0, latest.vneidLevel2Share - 3 - 4 * r()) * 10) / 10;
  return { older, latest };
}

/** Ends of the last two quarters before `today`, older first. */
export function quarterEnds(today: LocalDate): [LocalDate, LocalDate] {
  const y = Number(today.slice(0, 4));
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  const startOf = (k: number) => `${y + Math.floor(k / 4)}-${String((((k % 4) + 4) % 4) * 3 + 1).padStart(2, '0')}-01` as LocalDate;
  return [addDays(startOf(q - 1), -1), addDays(startOf(q), -1)];
}

/**
 * The demo's links and readiness (README "Readiness", "Demo"): remote communes of the
 * simulator, and a share of the others in mountain provinces, run a relay whose
 * heartbeats stop exactly during the simulator's outages of that commune (its events are
 * held back then), with slow round trips on weak links and a backlog reported on the
 * first heartbeat after an outage. Every commune gets a readiness profile consistent
 * with its figures, pushed as by its province's system. All of it follows DEMO_SEED.
 * The few communes that run a real relay (demo-relays.ts) get no simulated heartbeat.
 */
@Injectable()
export class DemoLinks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('DemoLinks');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopping = false;
  private relays: { code: string; provinceCode: string; profile: UnitProfile }[] = [];
  private readonly lastBeat = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly feed: DemoFeedService,
    private readonly units: UnitsService,
    private readonly keys: IngestKeysService,
    private readonly connectivity: ConnectivityService,
    private readonly retention: LinkRetention,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.demo.enabled) return;
    this.running = this.start().catch((e: unknown) => {
      if (!this.stopping) this.log.warn(`demo links stopped: ${(e as Error).message}`);
    });
  }

  /** Resolves once the first start's seeding is done (or found done). */
  async started(): Promise<void> {
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * The communes whose relay is simulated here. The communes that run a real relay in the
   * demo (DEMO_RELAY_COMMUNES, demo-relays.ts) are not among them: their heartbeats are the relay's own.
   */
  relayCommunes(sim: DemoSimulator): { code: string; provinceCode: string; profile: UnitProfile }[] {
    const seed = this.config.demo.seed;
    const real = new Set(DEMO_RELAY_COMMUNES);
    return this.units
      .allCommunes()
      .filter((c) => !real.has(c.code))
      .map((c) => ({ code: c.code, provinceCode: c.provinceCode, profile: sim.profile(c.code) }))
      .filter((c) => c.profile.remote || (MOUNTAIN_PROVINCES.has(c.provinceCode) && rngOf(seed, `relay:${c.code}`)() < 0.15));
  }

  private async start(): Promise<void> {
    const sim = this.feed.simulator();
    this.relays = this.relayCommunes(sim);
    await this.seedReadiness(sim);
    const sources = await this.sources();
    await this.seedLinks(sim, sources);
    if (this.stopping) return;
    this.timer = setInterval(() => {
      if (this.stopping) return;
      void this.beat(sim, sources, Date.now()).catch((e: unknown) => this.log.warn(`demo heartbeats failed: ${(e as Error).message}`));
    }, BEAT_MS);
    this.timer.unref();
  }

  private async sources(): Promise<Map<string, IngestSource>> {
    const out = new Map<string, IngestSource>();
    for (const p of this.units.listProvinces()) {
      const s = await this.keys.authenticate(this.feed.demoKey(p.code), { rateLimit: false }).catch(() => null);
      if (s) out.set(p.code, s);
    }
    return out;
  }

  /** Every commune's profile, two versions each, once (a restart finds it there). */
  private async seedReadiness(sim: DemoSimulator): Promise<void> {
    if ((await countReadinessValues(this.db)) > 0) return;
    const seed = this.config.demo.seed;
    const [older, latest] = quarterEnds(localDateOf(Date.now()));
    const soc = new Map(this.units.listProvinces().map((p) => [p.code, rngOf(seed, `soc:${p.code}`)() < SOC_SHARE]));
    const names = new Map(this.units.listProvinces().map((p) => [p.code, p.fullName]));
    const rows: ReadinessRecord[] = [];
    for (const c of this.units.allCommunes()) {
      const v = demoReadiness(sim.profile(c.code), seed, soc.get(c.provinceCode) ?? false);
      const by = `Nguồn dữ liệu mô phỏng — ${names.get(c.provinceCode) ?? c.provinceCode}`;
      for (const f of READINESS_FIELDS) {
        rows.push({ c: c.code, p: c.provinceCode, f, v: v.older[f], d: older, s: SOURCES[f], b: by });
        if (v.latest[f] !== v.older[f]) rows.push({ c: c.code, p: c.provinceCode, f, v: v.latest[f], d: latest, s: SOURCES[f], b: by });
      }
    }
    for (let i = 0; i < rows.length; i += 10_000) await insertReadinessValues(this.db, rows.slice(i, i + 10_000));
    this.log.log(`demo readiness: ${rows.length} values for ${this.units.allCommunes().length} communes`);
  }

  /** A relay's heartbeat at `at` (null: the link is down then). Weak links are slow, and report what waited after an outage. */
  private beatAt(c: { code: string; profile: UnitProfile }, at: number, windows: readonly { from: number; to: number }[]): (Beat & { backlog: number }) | null {
    const after = windows.find((w) => w.from <= at && at < w.to);
    if (after) return null;
    const r = rngOf(this.config.demo.seed, `beat:${c.code}:${Math.floor(at / BEAT_MS)}`);
    const base = c.profile.remote ? 300 + 900 * rngOf(this.config.demo.seed, `lat:${c.code}`)() : 60 + 150 * rngOf(this.config.demo.seed, `lat:${c.code}`)();
    const latencyMs = Math.round(base * (0.6 + 0.8 * r()) * (r() < (c.profile.remote ? 0.08 : 0.01) ? 3 : 1));
    // Just back from an outage: the events held during it wait, the oldest as old as the outage.
    const ended = windows.find((w) => w.to <= at && at - w.to < BEAT_MS);
    const waited = ended ? (ended.to - ended.from) / 1000 : null;
    const backlog = waited === null ? 0 : Math.max(1, Math.round((c.profile.weekdayVolume * 4 * waited) / (8 * 3600)));
    return { at, latencyMs, oldestBacklogSeconds: waited === null ? null : Math.round(waited), intervalSeconds: BEAT_S, backlog };
  }

  /** At the first start: 31 days of summaries and 7 days of raw heartbeats per relay, then the state now. */
  private async seedLinks(sim: DemoSimulator, sources: Map<string, IngestSource>): Promise<void> {
    if ((await linksOfAgent(this.db, AGENT)) > 0) return;
    const now = Date.now();
    const today = localDateOf(now);
    const rawFrom = startOfLocalDate(addDays(today, -(RAW_DAYS - 1)));
    const from = startOfLocalDate(addDays(today, -SUMMARY_DAYS));
    const calendar = this.config.alerts.calendar;
    const days: LinkDayRow[] = [];
    let raw: HeartbeatRecord[] = [];
    let beats = 0;
    const flush = async () => {
      if (raw.length === 0) return;
      await insertHeartbeats(this.db, raw, BEAT_S, AGENT);
      beats += raw.length;
      raw = [];
    };
    for (const c of this.relays) {
      if (this.stopping) return;
      const source = sources.get(c.provinceCode);
      if (!source) continue;
      const windows = sim.outageWindows(c.code, from - 2 * 86_400_000, now);
      const all: (Beat & { backlog: number })[] = [];
      for (let at = from - BEAT_MS; at <= now - BEAT_MS; at += BEAT_MS) {
        const b = this.beatAt(c, at, windows);
        if (b) all.push(b);
      }
      // Whole days before the raw ones: summaries, by the timeline's rules.
      let i = 0;
      for (let d = localDateOf(from); startOfLocalDate(d) < rawFrom; d = addDays(d, 1)) {
        const start = startOfLocalDate(d);
        const end = startOfLocalDate(addDays(d, 1));
        while (i < all.length && all[i]!.at < start) i++;
        const prior = i > 0 ? all[i - 1]! : null;
        let j = i;
        while (j < all.length && all[j]!.at < end) j++;
        const inDay = all.slice(i, j);
        const sum = daySummary(prior, inDay, all[j] ?? null, start, end, now, calendar);
        days.push({
          commune_code: c.code,
          day: d,
          province_code: c.provinceCode,
          heartbeats: inDay.length,
          up_minutes: sum.up,
          degraded_minutes: sum.degraded,
          down_minutes: sum.down,
          outage_working_minutes: sum.outageWorking,
          max_latency_ms: inDay.reduce((x, b) => Math.max(x, b.latencyMs ?? 0), 0) || null,
          max_backlog_events: inDay.reduce((x, b) => Math.max(x, b.backlog), 0),
        });
      }
      const recent = all.filter((b) => b.at >= rawFrom - BEAT_MS);
      // The last one goes through the service, which sets the link's state now.
      const last = recent.pop();
      for (const b of recent) raw.push({ c: c.code, t: b.at, l: b.latencyMs, b: b.backlog, o: b.oldestBacklogSeconds, k: source.keyId });
      if (raw.length >= 20_000) await flush();
      await flush();
      if (last) {
        await this.connectivity.heartbeat(
          source,
          { communeCode: c.code, latencyMs: last.latencyMs, backlogEvents: last.backlog, oldestBacklogSeconds: last.oldestBacklogSeconds, intervalSeconds: BEAT_S, agent: AGENT },
          last.at,
        );
        this.lastBeat.set(c.code, last.at);
      }
    }
    await flush();
    for (let k = 0; k < days.length; k += 10_000) await saveLinkDays(this.db, days.slice(k, k + 10_000), 'keep');
    // The raw days up to yesterday are summarised as retention does every hour.
    await this.retention.run(now);
    this.log.log(`demo links: ${this.relays.length} communes with a relay; ${beats} heartbeats over ${RAW_DAYS} days, ${days.length} older daily summaries`);
  }

  /** Every 5 minutes: each relay whose commune is not in an outage sends its heartbeat. */
  private async beat(sim: DemoSimulator, sources: Map<string, IngestSource>, now: number): Promise<void> {
    for (const c of this.relays) {
      if (this.stopping) return;
      const source = sources.get(c.provinceCode);
      if (!source) continue;
      const windows = sim.outageWindows(c.code, now - 3 * 86_400_000, now + 1);
      const b = this.beatAt(c, now, windows);
      if (!b) continue;
      // After a silence longer than one interval the relay reports what waited meanwhile.
      const prev = this.lastBeat.get(c.code);
      const silentMs = prev === undefined ? 0 : now - prev;
      const waited = b.oldestBacklogSeconds ?? (silentMs > 2 * BEAT_MS ? Math.round(silentMs / 1000) : null);
      const backlog = b.backlog || (waited === null ? 0 : Math.max(1, Math.round((c.profile.weekdayVolume * 4 * waited) / (8 * 3600))));
      await this.connectivity.heartbeat(source, { communeCode: c.code, latencyMs: b.latencyMs, backlogEvents: backlog, oldestBacklogSeconds: waited, intervalSeconds: BEAT_S, agent: AGENT }, now);
      this.lastBeat.set(c.code, now);
    }
  }
}
