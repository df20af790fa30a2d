import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DAY_MS, type DossierEvent, type FeedbackEvent, type HealthResponse, type IngestEvent, bucketStart, eventUnitCode, localDateOf } from '@ioc/shared';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AuthService } from '../auth/auth.service.js';
import type { IngestSource } from '../auth/auth.types.js';
import { IngestKeysService, registerIngestKey } from '../auth/ingest-keys.service.js';
import { ChangeFeed } from '../ingest/change-feed.js';
import { IngestService } from '../ingest/ingest.service.js';
import { type ImportSource, runImport } from '../import/importer.js';
import { beginHistoryLoad, finishHistoryLoad, reportHistoryLoad } from '../projection/history-loads.js';
import { UnitsService } from '../units/units.service.js';
import { HistoryDays, type HistoryDaysInput } from './history-days.js';
import { DEMO_RELAY_COMMUNES, demoRelayRoot, relayFolders, writeExport } from './relay-exports.js';
import { ReportedValuesService } from '../kpi/reported-values.service.js';
import { DEMO_REPORTING_PROVINCES, DemoSimulator, type Delivery, type FeedbackDelivery, demoReportedValues } from './simulator/index.js';
import { databaseUrlOf } from '../database/data-source.js';
import { DUPLICATE_LAG_MS } from './simulator/delivery.js';
import { type DemoState, loadDemoState, saveDemoState } from './demo-state.js';

const TICK_MS = 2000;
/** The demo's history in history_load. */
const DEMO_HISTORY_LOAD = 'demo-history';
/** The demo's history is the export of all 34 provinces' one-stop systems, imported for the nation. */
const DEMO_HISTORY_SOURCE: ImportSource = { keyId: null, name: 'Lịch sử mô phỏng (34 tỉnh, thành phố)', scope: { kind: 'nation' } };
// Internal batches may be larger than the HTTP limit: fewer, fuller transactions.
const CHUNK = 20_000;

/**
 * Drives all 3,321 communes through the real ingest service, live every two
 * seconds from the first start on, while the history (today before the first
 * start, then day by day into the past) is imported in the background through
 * the bulk import of dossier records. A later start first catches up, as
 * events, the time the server was off.
 * With DEMO_SPEED = N the live simulation runs N times faster than the clock:
 * simulated instants are mapped back onto real time, so nothing lies in the future.
 */
@Injectable()
export class DemoFeedService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DemoFeed');
  private phase: HealthResponse['demoFeed']['phase'] = 'off';
  /** Ids of the events delivered in the last DUPLICATE_LAG_MS before the live start (their resends are dropped). */
  private beforeLive: Set<string> | null = null;
  private historyProgress: number | null = null;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private sim: DemoSimulator | null = null;
  /** The history's day generator while the history loads (stopped on shutdown). */
  private historyDays: HistoryDays | null = null;
  /** The month the reporting provinces last reported up to (YYYY-MM). */
  private reportedMonth: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly ingest: IngestService,
    private readonly units: UnitsService,
    private readonly auth: AuthService,
    private readonly keys: IngestKeysService,
    private readonly changes: ChangeFeed,
    private readonly reported: ReportedValuesService,
  ) {}

  /**
   * The demo feed is 34 provincial source systems, each with its own ingest key scoped
   * to its province, checked like any other source's. Keys are derived from the server's
   * secret, so they stay the same across restarts; a revoked one stays revoked.
   */
  demoKey(provinceCode: string): string {
    return `ioc_demo${provinceCode}_${this.auth.derive(`demo-ingest:${provinceCode}`).slice(0, 32)}`;
  }

  private async registerKeys(): Promise<void> {
    for (const p of this.units.listProvinces()) {
      await registerIngestKey(this.db, this.demoKey(p.code), `province:${p.code}`, `Nguồn dữ liệu mô phỏng — ${p.fullName}`);
    }
  }

  /** The sources of the provinces whose key is still valid (a revoked province goes silent). */
  private async sources(): Promise<Map<string, IngestSource>> {
    const out = new Map<string, IngestSource>();
    for (const p of this.units.listProvinces()) {
      const source = await this.keys.authenticate(this.demoKey(p.code), { rateLimit: false }).catch(() => null);
      if (source) out.set(p.code, source);
    }
    return out;
  }

  status(): HealthResponse['demoFeed'] {
    return { enabled: this.config.demo.enabled, phase: this.phase, historyProgress: this.historyProgress, speed: this.config.demo.speed };
  }

  onApplicationBootstrap(): void {
    if (!this.config.demo.enabled) return;
    this.running = this.run().catch((e: unknown) => {
      if (!this.stopping) this.logger.error(`demo feed stopped: ${(e as Error).stack ?? String(e)}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    // A history day being generated is dropped: it is generated again at the next start.
    await this.historyDays?.close();
    await this.running;
  }

  /** The demo's simulator, built once (the demo's links and readiness read its units' profiles). */
  simulator(): DemoSimulator {
    const input = this.simulatorInput();
    this.sim ??= new DemoSimulator(input.units, input.provinces, input.options);
    return this.sim;
  }

  /** What the simulator is built from: the history's worker builds its own from the same. */
  private simulatorInput(): HistoryDaysInput {
    return {
      units: this.units.allCommunes().map((c) => ({ code: c.code, name: c.name, type: c.type, provinceCode: c.provinceCode, areaKm2: c.areaKm2 })),
      provinces: this.units.listProvinces().map((p) => ({ code: p.code, name: p.name, population: p.population })),
      options: { seed: this.config.demo.seed, relayed: this.relayedCommunes() },
    };
  }

  /** The communes whose one-stop system exports to a real relay (demo-relays.ts) instead of sending. */
  private relayedCommunes(): string[] {
    return this.config.demo.enabled ? DEMO_RELAY_COMMUNES.filter((c) => this.units.hasCommune(c)) : [];
  }

  /**
   * Writes the events of the communes that run a real relay as export files into the folder
   * their relay watches (it forwards them over its weak link), and answers the others, to be sent.
   */
  async exportRelayed(events: DossierEvent[]): Promise<DossierEvent[]> {
    const relayed = new Set(this.relayedCommunes());
    if (relayed.size === 0) return events;
    const rest: DossierEvent[] = [];
    const byCommune = new Map<string, DossierEvent[]>();
    for (const e of events) {
      const code = eventUnitCode(e);
      if (!relayed.has(code)) {
        rest.push(e);
        continue;
      }
      let list = byCommune.get(code);
      if (!list) byCommune.set(code, (list = []));
      list.push(e);
    }
    const root = demoRelayRoot(this.config, databaseUrlOf(this.db));
    for (const [code, list] of byCommune) {
      try {
        await writeExport(relayFolders(root, code), list);
      } catch (e) {
        // A folder that cannot be written to (a full disk): the events are sent directly, so none is lost.
        this.logger.warn(`demo relay export of ${code} failed (${(e as Error).message}): its ${list.length} events are sent directly`);
        rest.push(...list);
      }
    }
    return rest;
  }

  private async run(): Promise<void> {
    this.phase = 'catch-up';
    await this.registerKeys();
    const now = Date.now();
    let state = await loadDemoState(this.db);
    if (!state) {
      // The live feed starts now; today so far and the days before it are history, imported in bulk (today first),
      // so the first start takes as long at 11 p.m. as at 1 a.m.
      const days = this.config.demo.backfillDays;
      state = { liveFrom: now, deliveredUntil: now, simUntil: now, historyFrom: now, historyTarget: days > 0 ? bucketStart(now - days * DAY_MS, 'day') : now };
      this.logger.log(days > 0 ? `demo feed: live from now; today so far and ${days} days before it load in the background` : 'demo feed: live from now, no history (DEMO_BACKFILL_DAYS=0)');
    } else {
      // DEMO_BACKFILL_DAYS raised since the last start: the missing days are added; lowered: nothing loaded is reloaded.
      const wanted = bucketStart(now - this.config.demo.backfillDays * DAY_MS, 'day');
      if (wanted < state.historyTarget) {
        this.logger.log(`demo feed: DEMO_BACKFILL_DAYS is now ${this.config.demo.backfillDays}: ${Math.round((state.historyTarget - wanted) / DAY_MS)} more days of history follow in the background`);
        state.historyTarget = wanted;
        await saveDemoState(this.db, state);
      }
    }
    // Until the history is in and folded, answers for its days say they are incomplete: marked before anything is sent.
    if (state.historyFrom > state.historyTarget) {
      await beginHistoryLoad(this.db, DEMO_HISTORY_LOAD, localDateOf(state.historyTarget), localDateOf(Date.now()));
    }
    const t0 = Date.now();
    const sent = await this.advance(state, Date.now(), 1);
    if (sent > 0) this.logger.log(`demo feed: caught up to now (${sent} events in ${((Date.now() - t0) / 1000).toFixed(1)} s); live from here`);
    this.phase = 'live';
    await this.reportIndicators(state.historyTarget).catch((e: unknown) => this.logger.warn(`demo indicator reports failed: ${(e as Error).message}`));
    this.scheduleTick(state);
    await this.backfillHistory(state);
  }

  private scheduleTick(state: DemoState): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.advance(state, Date.now(), this.config.demo.speed)
        // A new month: the reporting provinces send it.
        .then(() => (this.reportedMonth !== null && localDateOf(Date.now()).slice(0, 7) !== this.reportedMonth ? this.reportIndicators(state.historyTarget) : undefined))
        .catch((e: unknown) => this.logger.warn(`demo tick failed: ${(e as Error).message}`))
        .finally(() => this.scheduleTick(state));
    }, TICK_MS);
  }

  /**
   * A few provinces report their catalogue sub-indicators of the national index every month
   * (from the first month of the history to the current one); the others never do. A month
   * already reported is not sent again, so who reported it and when stay as they were.
   */
  private async reportIndicators(since: number): Promise<void> {
    const sources = await this.sources();
    const current = localDateOf(Date.now()).slice(0, 7);
    this.reportedMonth = current;
    for (const provinceCode of DEMO_REPORTING_PROVINCES) {
      const source = sources.get(provinceCode);
      if (!source || !this.units.hasProvince(provinceCode)) continue;
      const done = await this.reported.monthsReported(provinceCode);
      const communes = this.units.communesOf(provinceCode).map((c) => c.code);
      for (let month = localDateOf(since).slice(0, 7); month <= current; month = nextMonth(month)) {
        if (done.has(month)) continue;
        const values = demoReportedValues(this.config.demo.seed, provinceCode, month, communes);
        for (let i = 0; i < values.length; i += 1000) await this.reported.report(values.slice(i, i + 1000), source);
      }
    }
  }

  /** Sends the deliveries between the last real instant sent and `until`; catching up runs at 1×, live at DEMO_SPEED. */
  private async advance(state: DemoState, until: number, speed: number): Promise<number> {
    let sent = 0;
    // Hour-sized steps keep memory flat when catching up a long gap.
    while (state.deliveredUntil < until && !this.stopping) {
      const realTo = Math.min(until, state.deliveredUntil + 3_600_000 / speed);
      const simFrom = state.simUntil;
      const simTo = simFrom + (realTo - state.deliveredUntil) * speed;
      const map = (t: number) => state.deliveredUntil + (t - simFrom) / speed;
      const deliveries = this.withoutResends(state, this.simulator().deliveries(simFrom, simTo), simFrom);
      const identity = speed === 1 && simFrom === state.deliveredUntil;
      const events = identity ? deliveries.map((d) => d.event) : deliveries.map((d) => remap(d, map));
      // Citizen feedback goes to the ingest endpoint directly: the relays export dossier events.
      const feedback = this.simulator()
        .feedbackDeliveries(simFrom, simTo)
        .map((d) => (identity ? d.event : remapFeedback(d, map)));
      sent += await this.send([...(await this.exportRelayed(events)), ...feedback]);
      state.deliveredUntil = realTo;
      state.simUntil = simTo;
      await saveDemoState(this.db, state);
    }
    return sent;
  }

  /**
   * Drops the resends (a source sends some events twice, up to DUPLICATE_LAG_MS apart) of events
   * delivered before the live start: the history's records hold those already, so a resent receipt
   * would be a second receipt of a recorded dossier.
   */
  private withoutResends(state: DemoState, deliveries: Delivery[], simFrom: number): Delivery[] {
    if (simFrom >= state.liveFrom + DUPLICATE_LAG_MS) return deliveries;
    this.beforeLive ??= new Set(
      this.simulator()
        .deliveries(state.liveFrom - DUPLICATE_LAG_MS, state.liveFrom)
        .map((d) => d.event.eventId),
    );
    const before = this.beforeLive;
    return deliveries.filter((d) => !before.has(d.event.eventId));
  }

  /**
   * The history goes in as a one-stop system's export would: day by day into the
   * past, each receipt day's dossiers as dossier records (what was delivered before
   * the live feed started; the rest came live as events) through the bulk import.
   * A day interrupted midway is imported again on the next start: its records are
   * duplicates by their ids, so nothing counts twice.
   */
  private async backfillHistory(state: DemoState): Promise<void> {
    const total = state.historyFrom - state.historyTarget;
    if (total <= 0) return;
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'history [{bar}] {percentage}% | {value}/{total} days | {records} dossiers', hideCursor: true }, cliProgress.Presets.shades_classic)
      : null;
    const days = Math.ceil(total / DAY_MS);
    this.historyProgress = 0;
    bar?.start(days, 0, { records: 0 });
    const t0 = Date.now();
    let records = 0;
    let lastLogged = -1;
    const client = new pg.Client({ connectionString: databaseUrlOf(this.db), application_name: 'ioc-demo-history' });
    client.on('error', () => undefined);
    await client.connect();
    const generator = (this.historyDays = new HistoryDays(this.simulatorInput()));
    // Receipt day by receipt day into the past, the first one (today) up to the live start.
    // The worker generates the day before while this one is imported.
    const dayFrom = (until: number) => Math.max(state.historyTarget, bucketStart(until - 1, 'day'));
    const generate = (from: number) => {
      const p = generator.day(from, state.liveFrom);
      p.catch(() => undefined);
      return { from, day: p };
    };
    let ahead = generate(dayFrom(state.historyFrom));
    try {
      while (state.historyFrom > state.historyTarget && !this.stopping) {
        const from = ahead.from;
        const day = await ahead.day;
        if (from > state.historyTarget) ahead = generate(dayFrom(from));
        if (this.stopping) break;
        const r = await runImport(client, day.lines, {
          format: 'ndjson',
          source: DEMO_HISTORY_SOURCE,
          units: this.units,
          // Ctrl-C stops at the next chunk; the day is imported again on the next start (its records are then duplicates).
          shouldStop: () => this.stopping,
          onCommitted: () => this.changes.appended(),
          onErrors: (errors) => this.logger.warn(`demo history: ${errors.length} records refused, e.g. line ${errors[0]!.line}: ${errors[0]!.reason}`),
        });
        if (day.strays.length > 0) await this.send(day.strays);
        // Feedback of the day (dossier records hold no feedback): sent as events.
        if (day.feedback.length > 0) await this.send(day.feedback);
        if (this.stopping || r.stopped) break;
        records += r.imported;
        state.historyFrom = from;
        await saveDemoState(this.db, state);
        const done = (total - (state.historyFrom - state.historyTarget)) / total;
        this.historyProgress = done >= 1 ? null : done;
        await reportHistoryLoad(this.db, DEMO_HISTORY_LOAD, done);
        bar?.update(Math.round(done * days), { records });
        const decile = Math.floor(done * 10);
        if (!bar && decile !== lastLogged) {
          lastLogged = decile;
          this.logger.log(`history ${Math.round(done * 100)}% (${records} dossiers)`);
        }
      }
    } finally {
      this.historyDays = null;
      await generator.close();
      await client.end().catch(() => undefined);
    }
    bar?.stop();
    if (this.stopping) return;
    await finishHistoryLoad(this.db, DEMO_HISTORY_LOAD);
    this.logger.log(`history imported: ${days} days, ${records} dossiers in ${Math.round((Date.now() - t0) / 1000)} s`);
  }

  private async send(events: IngestEvent[]): Promise<number> {
    let accepted = 0;
    const sources = await this.sources();
    for (let i = 0; i < events.length && !this.stopping; i += CHUNK) {
      // Each province's system sends its own batch; batches sent together share a commit.
      const byProvince = new Map<string, IngestEvent[]>();
      for (const e of events.slice(i, i + CHUNK)) {
        const province = this.units.provinceOfUnit(eventUnitCode(e))!;
        let list = byProvince.get(province);
        if (!list) byProvince.set(province, (list = []));
        list.push(e);
      }
      const results = await Promise.all(
        [...byProvince].flatMap(([province, list]) => {
          const source = sources.get(province);
          return source ? [this.ingest.ingest(list, source)] : [];
        }),
      );
      for (const r of results) {
        accepted += r.accepted;
        if (r.rejected > 0) {
          const first = r.results.find((x) => x.status === 'rejected');
          this.logger.warn(`demo feed: ${r.rejected} events rejected, e.g. ${first?.eventId}: ${first?.reason}`);
        }
      }
      // Let HTTP requests and live ticks in between chunks.
      await new Promise((res) => setImmediate(res));
    }
    return accepted;
  }
}

/** Maps a simulated delivery's instants onto real time. */
function remap(d: Delivery, map: (t: number) => number): DossierEvent {
  const e = { ...d.event, occurredAt: toIso7(map(Date.parse(d.event.occurredAt))) } as DossierEvent;
  if (e.type === 'received') e.dueAt = toIso7(Math.max(map(Date.parse(e.dueAt)), Date.parse(e.occurredAt)));
  return e;
}

function remapFeedback(d: FeedbackDelivery, map: (t: number) => number): FeedbackEvent {
  const e = { ...d.event, occurredAt: toIso7(map(Date.parse(d.event.occurredAt))) };
  if (e.type === 'feedback_received') e.dueAt = toIso7(Math.max(map(Date.parse(e.dueAt)), Date.parse(e.occurredAt)));
  return e;
}

/** ISO instant in local time with the +07:00 offset, as commune systems send it. */
function toIso7(ms: number): string {
  return `${new Date(ms + 7 * 3_600_000).toISOString().slice(0, 23)}+07:00`;
}

/** The month after `month` (YYYY-MM). */
function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
