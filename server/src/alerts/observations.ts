import { Injectable } from '@nestjs/common';
import {
  DEFAULT_RULES,
  HOUR_MS,
  type PeriodCounters,
  type RuleDefinition,
  type RuleLevel,
  type Scope,
  type WorkingCalendar,
  addDays,
  bucketStart,
  localDateOf,
  workingDaysBefore,
  workingMinutesBetween,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { KpiQueryRepository, type PastReadCache, type Stock, type StockMemo, stockMemoKey } from '../kpi/kpi-query.repository.js';
import { KpiService } from '../kpi/kpi.service.js';
import { RunningStocks } from '../kpi/running-stocks.js';

/** What a rule measured for one unit: the value, and the volume that decides whether it is data at all. */
export interface Observation {
  value: number | null;
  volume: number;
  details: Record<string, number | string | null>;
}
export type Observations = Map<string, Observation>;

/** How long what past days contribute to a rolling window is reused before it is read again. */
export const PAST_READ_TTL_MS = 10 * 60_000;

/**
 * Reads of past days kept for a while, in evaluation time: a late event for an earlier day
 * counts in alerts within ten minutes.
 */
class TtlCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();
  constructor(private readonly ttlMs: number) {}

  get<T>(key: string, read: () => Promise<T>, now: number): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs && now >= hit.at) return hit.value as Promise<T>;
    for (const [k, e] of this.entries) if (now - e.at >= this.ttlMs || now < e.at) this.entries.delete(k);
    const value = read();
    this.entries.set(key, { at: now, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

/**
 * Measures every unit of a level for a rule in one go, from the rollups, the
 * running stocks (in progress and overdue now and at the start of the day) and
 * the unit activity table for silence: a tick costs a handful of grouped
 * queries, whatever the number of units.
 */
@Injectable()
export class RuleObservations {
  private readonly past = new TtlCache(PAST_READ_TTL_MS);

  constructor(
    private readonly kpi: KpiService,
    private readonly repo: KpiQueryRepository,
    private readonly db: DataSource,
    private readonly running: RunningStocks,
  ) {}

  /**
   * One tick's measurements: rules reading the same period, stock or flows share one query.
   * `rules` are those the tick will observe: the starts of their windows are read with the running stocks.
   */
  session(now: number, calendar: WorkingCalendar, rules: readonly RuleDefinition[] = DEFAULT_RULES) {
    const today = localDateOf(now);
    const stocks: StockMemo = new Map();
    const memo = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
      let r = memo.get(key) as Promise<T> | undefined;
      if (!r) memo.set(key, (r = read()));
      return r;
    };
    const nation: Scope = { kind: 'nation' };
    const past: PastReadCache = { get: (key, read) => this.past.get(key, read, now) };
    const groupOf = (level: RuleLevel): 'province' | 'unit' => (level === 'province' ? 'province' : 'unit');
    const windowOf = (days: number) => this.kpi.periodOf(addDays(today, -(days - 1)), today, now);
    const windowStarts = [...new Set(rules.filter((r) => r.kind === 'kpi').map((r) => windowOf(r.windowDays ?? 7).start))];
    /** Every unit's stocks now, at the start of today and at the rules' window starts: one small row per unit (advanced to now on the way). */
    const read = () => once('running', () => this.running.read(now, windowStarts));
    const running = (level: RuleLevel) => read().then((r) => r[groupOf(level)]);
    /** Full figures of every unit over the last `days` days. */
    const figures = (level: RuleLevel, days: number) =>
      once(`figures|${level}|${days}`, async () => {
        const period = windowOf(days);
        // The stocks at the period's end (now) and start come with the running stocks: the period reads them from the memo.
        const key = stockMemoKey(nation, period.end, period.live, groupOf(level));
        if (period.live && period.end === now && !stocks.has(key)) stocks.set(key, running(level).then(liveStocks));
        const startKey = stockMemoKey(nation, period.start, false, groupOf(level));
        if (windowStarts.includes(period.start) && !stocks.has(startKey)) stocks.set(startKey, read().then((r) => liveStocks(r.before.get(period.start)![groupOf(level)])));
        return new Map((await this.kpi.unitFigures(nation, level, period, stocks, past)).map((u) => [u.unitCode, u]));
      });
    /** Received and received online only, of [today - fromDaysAgo, today - toDaysAgo]. */
    const flows = (level: RuleLevel, fromDaysAgo: number, toDaysAgo: number) =>
      once(`flows|${level}|${fromDaysAgo}|${toDaysAgo}`, () => {
        const p = this.kpi.periodOf(addDays(today, -fromDaysAgo), addDays(today, -toDaysAgo), now);
        const read = () => this.repo.flowsOf(nation, p.start, p.end, p.live, groupOf(level), ['received', 'receivedOnline']);
        // Days before today: reused for a while.
        return toDaysAgo > 0 ? past.get(`received|${level}|${p.start}|${p.end}`, read) : read();
      });
    const codeOf = (level: RuleLevel, k: string) => (level === 'province' ? k.slice(-2) : k);

    const observe = async (rule: RuleDefinition): Promise<Observations> => {
      const out: Observations = new Map();
      switch (rule.kind) {
        case 'kpi': {
          const w = rule.windowDays ?? 7;
          for (const [code, u] of await figures(rule.level, w)) {
            const k = u.figures.kpis[rule.kpi!];
            const ratio = 'denominator' in k ? k : null;
            out.set(code, { value: k.value, volume: ratio ? ratio.denominator : u.figures.counts.resolved, details: { numerator: ratio?.numerator ?? null, denominator: ratio?.denominator ?? null, windowDays: w } });
          }
          return out;
        }
        case 'backlog': {
          for (const [k, s] of await running(rule.level)) out.set(codeOf(rule.level, k), { value: s.od, volume: s.ip, details: { inProgress: s.ip, inProgressOverdue: s.od } });
          return out;
        }
        case 'growth': {
          // The overdue stock at the start of the day is kept with the running stock (0 for a unit with no receipt before it).
          for (const [k, s] of await running(rule.level)) {
            const before = s.odDayStart;
            out.set(codeOf(rule.level, k), { value: s.od - before, volume: s.ip, details: { inProgressOverdue: s.od, overdueAtStartOfDay: before } });
          }
          return out;
        }
        case 'drop': {
          const [t, before] = await Promise.all([flows(rule.level, 0, 0), flows(rule.level, 28, 1)]);
          for (const [k, f] of t) {
            const b = before.get(k);
            const rate = (x: Partial<PeriodCounters> | undefined) => (x && x.received ? ((x.receivedOnline ?? 0) * 100) / x.received : null);
            const todayRate = rate(f);
            const baseRate = rate(b);
            const value = todayRate === null || baseRate === null ? null : Math.round((baseRate - todayRate) * 100) / 100;
            out.set(codeOf(rule.level, k), {
              value,
              volume: Math.min(f.received ?? 0, b?.received ?? 0),
              details: { todayRate: round2(todayRate), baselineRate: round2(baseRate), receivedToday: f.received ?? 0 },
            });
          }
          return out;
        }
        case 'surge':
          return once(`surge|${rule.level}`, () => this.surge(rule.level, now));
        case 'silence':
          // The same measurement for every silence rule of a level (working minutes per unit are not free).
          return once(`silence|${rule.level}`, async () => this.silence(rule.level, now, calendar, await flows(rule.level, 28, 1)));
      }
    };
    return { observe };
  }

  /** Received this hour against the average of the same hour of the week over the 4 weeks before. */
  private async surge(level: RuleLevel, now: number): Promise<Observations> {
    const hour = bucketStart(now, 'hour');
    const past = [1, 2, 3, 4].map((w) => new Date(hour - w * 7 * 24 * HOUR_MS));
    const rows = (await this.db.query(
      `SELECT unit_code,
              coalesce(sum(received) FILTER (WHERE bucket = $1), 0)::int AS now,
              coalesce(sum(received) FILTER (WHERE bucket = ANY($2::timestamptz[])), 0)::float / 4 AS base
         FROM kpi_hourly
        WHERE (bucket = $1 OR bucket = ANY($2::timestamptz[])) AND (unit_code LIKE 'P%') = $3
        GROUP BY unit_code`,
      [new Date(hour), past, level === 'province'],
    )) as { unit_code: string; now: number; base: number }[];
    const out: Observations = new Map();
    for (const r of rows) {
      const code = level === 'province' ? r.unit_code.slice(1) : r.unit_code;
      out.set(code, { value: Math.round((r.now / Math.max(r.base, 1)) * 100) / 100, volume: r.now, details: { receivedThisHour: r.now, hourOfWeekAverage: r.base } });
    }
    return out;
  }

  /** Working minutes since each unit last delivered; only units that normally report (received per working day, 4 weeks). */
  private async silence(level: RuleLevel, now: number, calendar: WorkingCalendar, lastFourWeeks: Map<string, Partial<PeriodCounters>>): Promise<Observations> {
    const workingDays = workingDaysBefore(calendar, localDateOf(now), 28);
    const rows = (await this.db.query('SELECT unit_code, last_ingested_at FROM unit_activity WHERE length(unit_code) = $1', [level === 'province' ? 2 : 5])) as {
      unit_code: string;
      last_ingested_at: Date;
    }[];
    const out: Observations = new Map();
    for (const r of rows) {
      const received = lastFourWeeks.get(r.unit_code)?.received ?? 0;
      const perDay = workingDays === 0 ? 0 : Math.round((received / workingDays) * 100) / 100;
      out.set(r.unit_code, {
        value: workingMinutesBetween(calendar, r.last_ingested_at.getTime(), now),
        volume: perDay,
        details: { lastEventAt: r.last_ingested_at.toISOString(), receivedPerWorkingDay: perDay },
      });
    }
    return out;
  }
}

/** Stocks as the KPI periods read them. */
function liveStocks(m: ReadonlyMap<string, Stock>): Map<string, Stock> {
  return new Map([...m].map(([k, s]) => [k, { ip: s.ip, od: s.od }]));
}

function round2(x: number | null): number | null {
  return x === null ? null : Math.round(x * 100) / 100;
}
