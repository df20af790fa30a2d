import { Injectable } from '@nestjs/common';
import {
  DEFAULT_RULES,
  DEFERRED_FIELDS,
  FLOW_FIELDS,
  HEARTBEAT_SOURCE_DAYS,
  HOUR_MS,
  type KpiSet,
  type PeriodCounters,
  type RuleDefinition,
  type RuleLevel,
  type WorkingCalendar,
  addDays,
  bucketStart,
  computeKpis,
  localDateOf,
  nextBucket,
  resolvePeriod,
  startOfLocalDate,
  workingDaysBefore,
  workingMinutesTo,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { decompose } from '../kpi/kpi-query.repository.js';
import { type RunningStockRead, RunningStocks } from '../projection/running-stocks.js';
import { RollupCache } from '../kpi/rollup-cache.js';
import { UnitsService } from '../units/units.service.js';
import {
  BUCKET_COLUMNS,
  type CounterRow,
  bucketCounters,
  counterOf,
  cohortDeferredCounters,
  freshDeferredCounters,
  hourReceived,
  hoursReceived,
  lastDeliveries,
  lastHeartbeats,
} from './observation-queries.js';

/** What a rule measured for one unit: the value, and the volume that decides whether it is data at all. */
export interface Observation {
  value: number | null;
  volume: number;
  details: Record<string, number | string | null>;
}
export type Observations = Map<string, Observation>;

/**
 * What a rule measured for every unit of its level, by the unit's position in
 * `RuleObservations.unitsOf(level)`.
 */
export interface Measure {
  /** The value; null when the unit was measured with no value, undefined when it was not measured at all. */
  value: (number | null | undefined)[];
  volume: Float64Array;
  /** What an alert keeps of the measurement (numerator, denominator, baseline…): built only when asked. */
  details(i: number): Record<string, number | string | null>;
}

/** The units a level's rules are evaluated for, in evaluation order. */
export interface LevelUnits {
  codes: readonly string[];
  provinceCodes: readonly string[];
}

/** Counters of every unit of a level, `width` per unit at `unit * width`, and which units had a row at all. */
interface LevelRows {
  present: Uint8Array;
  v: Float64Array;
  width: number;
}
type ByLevel<T> = Record<RuleLevel, T>;
/** A rollup bucket: a local day or month, by its start. */
interface Bucket {
  grain: 'day' | 'month';
  start: number;
}
/** How kpi_deferred names a grain. */
const grainCode = (grain: Bucket['grain']) => (grain === 'day' ? 'd' : 'm');

/** A rollup bucket's row: the flow counters, then the in-progress delta (the carried-over stock at a window's start). */
const FLOW_WIDTH = BUCKET_COLUMNS.length;
const IP_DELTA = FLOW_FIELDS.length;
const RECEIVED = FLOW_FIELDS.indexOf('received');
const RECEIVED_ONLINE = FLOW_FIELDS.indexOf('receivedOnline');
const DEFERRED_WIDTH = DEFERRED_FIELDS.length;
const iso = (ms: number) => new Date(ms).toISOString();

/** The running stocks of a level's units, by position. */
interface LevelStocks {
  has: Uint8Array;
  ip: Float64Array;
  od: Float64Array;
  odDayStart: Float64Array;
  ipDayStart: Float64Array;
}

/**
 * Measures every unit of a level for a rule in one go, into arrays by unit position:
 * a tick reads each thing once for all its rules. The running stocks and unit activity
 * are read every tick; rollup rows (per day, month, hour, and deferred attributes per
 * cohort) come from a cache that the rollups' change marks keep exact (RollupCache),
 * with what past buckets add up to per window: past days are read again only when a
 * late event changes them, today's rows when an event for today is folded.
 * The figures are those the KPI queries give: a rolling window is split into months
 * and days as the KPI queries split it, its stock at the end is the running stock now,
 * and at the start the running stock at the start of today less the daily in-progress
 * deltas since.
 */
@Injectable()
export class RuleObservations {
  private readonly rollups = new RollupCache();
  private levels: ByLevel<LevelUnits> | null = null;
  /** Rollup unit code (a commune, or `P<province>` for a province's total row) → its level and position. */
  private slots = new Map<string, { level: RuleLevel; i: number }>();

  constructor(
    private readonly db: DataSource,
    private readonly running: RunningStocks,
    private readonly units: UnitsService,
  ) {}

  unitsOf(level: RuleLevel): LevelUnits {
    if (!this.levels) {
      const communes = this.units.allCommunes();
      const provinces = this.units.listProvinces();
      this.levels = {
        commune: { codes: communes.map((c) => c.code), provinceCodes: communes.map((c) => c.provinceCode) },
        province: { codes: provinces.map((p) => p.code), provinceCodes: provinces.map((p) => p.code) },
      };
      this.slots = new Map<string, { level: RuleLevel; i: number }>();
      communes.forEach((c, i) => this.slots.set(c.code, { level: 'commune', i }));
      provinces.forEach((p, i) => this.slots.set(`P${p.code}`, { level: 'province', i }));
    }
    return this.levels[level];
  }

  /** How many rollup reads are kept (for tests). */
  get cachedReads(): number {
    return this.rollups.size;
  }

  /**
   * One tick's measurements: rules reading the same window, stock or flows share one read.
   * Call `done` after the tick: cached reads no rule used are dropped.
   */
  session(now: number, calendar: WorkingCalendar, rules: readonly RuleDefinition[] = DEFAULT_RULES) {
    const size = { commune: this.unitsOf('commune').codes.length, province: this.unitsOf('province').codes.length };
    const today = bucketStart(now, 'day');
    const todayDate = localDateOf(now);
    const month = bucketStart(now, 'month');
    const memo = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
      let r = memo.get(key) as Promise<T> | undefined;
      if (!r) memo.set(key, (r = read()));
      return r;
    };
    // Nothing is taken from the cache before it has heard of the rollup changes since the last tick.
    const refreshed = this.rollups.refresh(this.db);
    const cached = <T>(key: string, from: number, to: number, read: () => Promise<T>) => refreshed.then(() => this.rollups.get(key, from, to, read));

    const windowStart = (days: number) => {
      const r = resolvePeriod(addDays(todayDate, -(days - 1)), todayDate, now);
      if (!r.ok) throw new Error(r.reason);
      return r.period.start;
    };
    const earliest = Math.min(today, ...rules.filter((r) => r.kind === 'kpi').map((r) => windowStart(r.windowDays ?? 7)));

    const stocks = () => once('running', async () => this.levelStocks(await this.running.read(now), size));
    /**
     * The buckets a period [start, end) is summed from, as the KPI queries split it into months and
     * days: those before today (kept from tick to tick) and those that still move (today, this month).
     */
    const bucketsOf = (start: number, end: number, live: boolean) => {
      const { months, days } = decompose(start, end, live);
      const all = [...months.map((m) => ({ grain: 'month' as const, start: m })), ...days.map((d) => ({ grain: 'day' as const, start: d }))];
      const isPast = (b: Bucket) => nextBucket(b.start, b.grain) <= today;
      return { all, past: all.filter(isPast), live: all.filter((b) => !isPast(b)) };
    };
    /** A rollup table's rows of one bucket. */
    const bucket = ({ grain, start }: Bucket): Promise<ByLevel<LevelRows>> => {
      const read = async () => this.place(await bucketCounters(this.db, grain, start), FLOW_WIDTH, size);
      const end = nextBucket(start, grain);
      return cached(`${grain}|${start}`, start, end, read);
    };
    /** Deferred attributes of a past cohort achieved before today. */
    const pastDeferred = ({ grain, start }: Bucket) =>
      cached(`cohort|${grain}|${start}|${today}`, start, today, async () => this.place(await cohortDeferredCounters(this.db, grainCode(grain), start, today), DEFERRED_WIDTH, size));
    /** Deferred attributes achieved from today's start to now (any cohort since the earliest window), and those of today's and this month's cohorts. */
    const freshDeferred = () =>
      cached(`deferred-today|${today}|${Math.min(earliest, month)}`, Math.min(earliest, month), Infinity, async () =>
        this.placeGrouped(await freshDeferredCounters(this.db, now, Math.min(earliest, month), today, month), DEFERRED_WIDTH, size),
      );

    /** Flow counters of [start, end) for a level; `present`: some bucket has a row. What past buckets add up to is kept. */
    const flows = (level: RuleLevel, start: number, end: number, live: boolean) =>
      once(`flows|${level}|${start}|${end}|${live}`, async () => {
        const buckets = bucketsOf(start, end, live);
        // Keyed by the past buckets themselves (a window ending now has the same ones all day long).
        const pastEnd = buckets.past.length > 0 ? nextBucket(buckets.past.at(-1)!.start, buckets.past.at(-1)!.grain) : start;
        const parts = await Promise.all([
          cached(`past-flows|${level}|${buckets.past.map((b) => `${b.grain}${b.start}`).join()}`, start, pastEnd, async () =>
            sumRows(
              (await Promise.all(buckets.past.map(bucket))).map((p) => p[level]),
              size[level],
              FLOW_WIDTH,
            ),
          ),
          ...buckets.live.map((b) => bucket(b).then((p) => p[level])),
        ]);
        return sumRows(parts, size[level], FLOW_WIDTH);
      });

    /** Every unit's KPIs over a rolling window of `days` days ending now. */
    const windowKpis = (level: RuleLevel, days: number) =>
      once(`window|${level}|${days}`, async () => {
        const n = size[level];
        const start = windowStart(days);
        const cohorts = bucketsOf(start, now, true);
        const [sums, running, deferredToday, deferredPast, ipSince] = await Promise.all([
          flows(level, start, now, true),
          stocks(),
          freshDeferred(),
          cached(`past-deferred|${level}|${start}|${today}`, start, today, async () =>
            sumRows(
              (await Promise.all(cohorts.past.map(pastDeferred))).map((p) => p[level]),
              n,
              DEFERRED_WIDTH,
            ),
          ),
          // The stock at the window's start is the stock at the start of today less the in-progress deltas of the days between.
          cached(`ip-since|${level}|${start}|${today}`, start, today, async () => {
            const since: Bucket[] = [];
            for (let d = start; d < today; d = nextBucket(d, 'day')) since.push({ grain: 'day', start: d });
            const rows = (await Promise.all(since.map(bucket))).map((p) => p[level]);
            const out = new Float64Array(n);
            for (const r of rows) for (let i = 0; i < n; i++) out[i]! += r.v[i * FLOW_WIDTH + IP_DELTA]!;
            return out;
          }),
        ]);
        const deferred = sumRows(
          [deferredPast, ...cohorts.all.map((c) => deferredToday.get(`${grainCode(c.grain)}${c.start}`)?.[level]).filter((r): r is LevelRows => r !== undefined)],
          n,
          DEFERRED_WIDTH,
        );
        const s = running[level];
        const out = new Array<KpiSet>(n);
        for (let i = 0; i < n; i++) {
          const p = {} as PeriodCounters;
          const at = i * FLOW_WIDTH;
          for (let k = 0; k < FLOW_FIELDS.length; k++) p[FLOW_FIELDS[k]!] = sums.v[at + k]!;
          for (let j = 0; j < DEFERRED_WIDTH; j++) p[DEFERRED_FIELDS[j]!] += deferred.v[i * DEFERRED_WIDTH + j]!;
          // Units with no receipt yet have no running stock: none in progress, none carried over.
          p.inProgress = s.has[i] ? s.ip[i]! : 0;
          p.inProgressOverdue = s.has[i] ? s.od[i]! : 0;
          p.carriedOver = s.has[i] ? s.ipDayStart[i]! - ipSince[i]! : 0;
          out[i] = computeKpis(p).kpis;
        }
        return out;
      });

    const measure = (rule: RuleDefinition): Promise<Measure> => {
      const level = rule.level;
      const n = size[level];
      switch (rule.kind) {
        case 'kpi': {
          const w = rule.windowDays ?? 7;
          return windowKpis(level, w).then((kpis) => {
            const value = new Array<number | null>(n);
            const volume = new Float64Array(n);
            for (let i = 0; i < n; i++) {
              const k = kpis[i]![rule.kpi!];
              value[i] = k.value;
              volume[i] = 'denominator' in k ? k.denominator : kpis[i]!.satisfaction.resolved;
            }
            return {
              value,
              volume,
              details: (i) => {
                const k = kpis[i]![rule.kpi!];
                const ratio = 'denominator' in k ? k : null;
                return { numerator: ratio?.numerator ?? null, denominator: ratio?.denominator ?? null, windowDays: w };
              },
            };
          });
        }
        case 'backlog':
        case 'growth':
          return stocks().then(({ [level]: s }): Measure => {
            const value = new Array<number | undefined>(n);
            const volume = new Float64Array(n);
            const growth = rule.kind === 'growth';
            for (let i = 0; i < n; i++) {
              if (!s.has[i]) continue;
              // The overdue stock at the start of the day is kept with the running stock (0 for a unit with no receipt before it).
              value[i] = growth ? s.od[i]! - s.odDayStart[i]! : s.od[i]!;
              volume[i] = s.ip[i]!;
            }
            return {
              value,
              volume,
              details: (i): Record<string, number> => (growth ? { inProgressOverdue: s.od[i]!, overdueAtStartOfDay: s.odDayStart[i]! } : { inProgress: s.ip[i]!, inProgressOverdue: s.od[i]! }),
            };
          });
        case 'drop':
          return once(`drop|${level}`, () => this.drop(flows(level, today, now, true), flows(level, startOfLocalDate(addDays(todayDate, -28)), today, false), n));
        case 'surge':
          return once(`surge|${level}`, () => this.surge(level, now, size, cached));
        case 'silence':
          // The same measurement for every silence rule of a level (working minutes per unit are not free).
          return once(`silence|${level}`, async () => this.silence(level, now, calendar, await flows(level, startOfLocalDate(addDays(todayDate, -28)), today, false)));
        case 'heartbeat':
          return once(`heartbeat|${level}`, () => this.heartbeat(level, now, calendar));
      }
    };

    /** A rule's measurements keyed by unit code, units not measured left out. */
    const observe = async (rule: RuleDefinition): Promise<Observations> => {
      const m = await measure(rule);
      const out: Observations = new Map();
      this.unitsOf(rule.level).codes.forEach((code, i) => {
        const value = m.value[i];
        if (value !== undefined) out.set(code, { value, volume: m.volume[i]!, details: m.details(i) });
      });
      return out;
    };

    return { measure, observe, done: () => this.rollups.sweep() };
  }

  /** Points the online filing rate of today is below its rate over the 4 weeks before; units with a row today. */
  private async drop(todayFlows: Promise<LevelRows>, beforeFlows: Promise<LevelRows>, n: number): Promise<Measure> {
    const [t, b] = await Promise.all([todayFlows, beforeFlows]);
    const rate = (rows: LevelRows, i: number) => {
      const received = rows.v[i * FLOW_WIDTH + RECEIVED]!;
      return received ? (rows.v[i * FLOW_WIDTH + RECEIVED_ONLINE]! * 100) / received : null;
    };
    const value = new Array<number | null | undefined>(n);
    const volume = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (!t.present[i]) continue;
      const todayRate = rate(t, i);
      const baseRate = rate(b, i);
      value[i] = todayRate === null || baseRate === null ? null : Math.round((baseRate - todayRate) * 100) / 100;
      volume[i] = Math.min(t.v[i * FLOW_WIDTH + RECEIVED]!, b.v[i * FLOW_WIDTH + RECEIVED]!);
    }
    return {
      value,
      volume,
      details: (i) => ({ todayRate: round2(rate(t, i)), baselineRate: round2(rate(b, i)), receivedToday: t.v[i * FLOW_WIDTH + RECEIVED]! }),
    };
  }

  /** Received this hour against the average of the same hour of the week over the 4 weeks before; units with a row in any of those hours. */
  private async surge(level: RuleLevel, now: number, size: ByLevel<number>, cached: <T>(key: string, from: number, to: number, read: () => Promise<T>) => Promise<T>): Promise<Measure> {
    const hour = bucketStart(now, 'hour');
    const weeksBefore = [1, 2, 3, 4].map((w) => hour - w * 7 * 24 * HOUR_MS);
    // The four earlier hours are read once an hour, in one query; a change to any day from the first to the last reads them again.
    const firstDay = bucketStart(weeksBefore[3]!, 'day');
    const lastDayEnd = nextBucket(bucketStart(weeksBefore[0]!, 'day'), 'day');
    const [current, before] = await Promise.all([
      cached(`hour|${hour}`, bucketStart(hour, 'day'), nextBucket(bucketStart(hour, 'day'), 'day'), async () => this.place(await hourReceived(this.db, hour), 1, size)),
      cached(`hours|${hour}`, firstDay, lastDayEnd, async () => this.place(await hoursReceived(this.db, weeksBefore), 1, size)),
    ]);
    const n = size[level];
    const base = before[level];
    const cur = current[level];
    const value = new Array<number | undefined>(n);
    const volume = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (!cur.present[i] && !base.present[i]) continue;
      const avg = base.v[i]! / 4;
      value[i] = Math.round((cur.v[i]! / Math.max(avg, 1)) * 100) / 100;
      volume[i] = cur.v[i]!;
    }
    return { value, volume, details: (i) => ({ receivedThisHour: cur.v[i]!, hourOfWeekAverage: base.v[i]! / 4 }) };
  }

  /** Working minutes since each unit last delivered; only units that normally report (received per working day, 4 weeks). */
  private async silence(level: RuleLevel, now: number, calendar: WorkingCalendar, lastFourWeeks: LevelRows): Promise<Measure> {
    const workingDays = workingDaysBefore(calendar, localDateOf(now), 28);
    const minutesSince = workingMinutesTo(calendar, now);
    const rows = await lastDeliveries(this.db, level === 'province' ? 2 : 5);
    const n = this.unitsOf(level).codes.length;
    const value = new Array<number | undefined>(n);
    const volume = new Float64Array(n);
    const lastAt = new Float64Array(n);
    for (const [code, at] of rows) {
      const slot = this.slots.get(level === 'province' ? `P${code}` : code);
      if (slot?.level !== level) continue;
      const i = slot.i;
      const received = lastFourWeeks.v[i * FLOW_WIDTH + RECEIVED]!;
      lastAt[i] = at;
      value[i] = minutesSince(at);
      volume[i] = workingDays === 0 ? 0 : Math.round((received / workingDays) * 100) / 100;
    }
    return { value, volume, details: (i) => ({ lastEventAt: iso(lastAt[i]!), receivedPerWorkingDay: volume[i]! }) };
  }

  /**
   * Working minutes since each commune's last heartbeat, for communes with a heartbeat source
   * (heard within HEARTBEAT_SOURCE_DAYS): the others are not measured, so a commune without a
   * relay never fires it (the data-silence rule speaks for those). Volume 1 marks a source.
   */
  private async heartbeat(level: RuleLevel, now: number, calendar: WorkingCalendar): Promise<Measure> {
    const n = this.unitsOf(level).codes.length;
    const value = new Array<number | undefined>(n);
    const volume = new Float64Array(n);
    const lastAt = new Float64Array(n);
    const backlog = new Float64Array(n);
    if (level !== 'commune') return { value, volume, details: () => ({}) };
    const minutesSince = workingMinutesTo(calendar, now);
    const rows = await lastHeartbeats(this.db, now - HEARTBEAT_SOURCE_DAYS * 86_400_000);
    for (const [code, at, events] of rows) {
      const slot = this.slots.get(code);
      if (slot?.level !== 'commune') continue;
      const i = slot.i;
      const heard = Math.min(at, now);
      lastAt[i] = heard;
      backlog[i] = Number(events);
      value[i] = Math.round(minutesSince(heard) * 100) / 100;
      volume[i] = 1;
    }
    return { value, volume, details: (i) => ({ lastHeartbeatAt: iso(lastAt[i]!), backlogEvents: backlog[i]! }) };
  }

  private levelStocks(read: RunningStockRead, size: ByLevel<number>): ByLevel<LevelStocks> {
    const out = {} as ByLevel<LevelStocks>;
    for (const level of ['commune', 'province'] as const) {
      const n = size[level];
      const s: LevelStocks = { has: new Uint8Array(n), ip: new Float64Array(n), od: new Float64Array(n), ipDayStart: new Float64Array(n), odDayStart: new Float64Array(n) };
      const from = level === 'province' ? read.province : read.unit;
      this.unitsOf(level).codes.forEach((code, i) => {
        const r = from.get(code);
        if (!r) return;
        s.has[i] = 1;
        s.ip[i] = r.ip;
        s.od[i] = r.od;
        s.ipDayStart[i] = r.ipDayStart;
        s.odDayStart[i] = r.odDayStart;
      });
      out[level] = s;
    }
    return out;
  }

  /** Rows of one group, placed by level and position; other units' rows are left out. */
  private place(rows: readonly CounterRow[], width: number, size: ByLevel<number>): ByLevel<LevelRows> {
    return this.placeGrouped(rows, width, size).get('') ?? { commune: emptyRows(size.commune, width), province: emptyRows(size.province, width) };
  }

  /** Rows of `width` counters, per group and placed by level and position; other units' rows are left out. */
  private placeGrouped(rows: readonly CounterRow[], width: number, size: ByLevel<number>): Map<string, ByLevel<LevelRows>> {
    const out = new Map<string, ByLevel<LevelRows>>();
    for (const r of rows) {
      const slot = this.slots.get(r[1]);
      if (!slot) continue;
      const g = r[0];
      let group = out.get(g);
      if (!group) out.set(g, (group = { commune: emptyRows(size.commune, width), province: emptyRows(size.province, width) }));
      const into = group[slot.level];
      into.present[slot.i] = 1;
      for (let k = 0; k < width; k++) into.v[slot.i * width + k]! += counterOf(r, k);
    }
    return out;
  }
}

function emptyRows(n: number, width: number): LevelRows {
  return { present: new Uint8Array(n), v: new Float64Array(n * width), width };
}

/** The sum of some rows of one level; a unit is present when any of them has it. */
function sumRows(parts: readonly LevelRows[], n: number, width: number): LevelRows {
  const out = emptyRows(n, width);
  for (const p of parts) {
    for (let i = 0; i < n; i++) out.present[i]! |= p.present[i]!;
    for (let k = 0; k < n * width; k++) out.v[k]! += p.v[k]!;
  }
  return out;
}

function round2(x: number | null): number | null {
  return x === null ? null : Math.round(x * 100) / 100;
}
