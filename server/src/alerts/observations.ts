import { Injectable } from '@nestjs/common';
import {
  HOUR_MS,
  type RuleDefinition,
  type RuleLevel,
  type WorkingCalendar,
  addDays,
  bucketStart,
  localDateOf,
  workingDaysBefore,
  workingMinutesBetween,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { type UnitFigures, KpiService } from '../kpi/kpi.service.js';

/** What a rule measured for one unit: the value, and the volume that decides whether it is data at all. */
export interface Observation {
  value: number | null;
  volume: number;
  details: Record<string, number | string | null>;
}
export type Observations = Map<string, Observation>;

/**
 * Measures every unit of a level for a rule in one go, from the rollups (and the
 * unit activity table for silence): a tick costs a handful of grouped queries,
 * whatever the number of units.
 */
@Injectable()
export class RuleObservations {
  constructor(
    private readonly kpi: KpiService,
    private readonly db: DataSource,
  ) {}

  /** A cache for one tick: rules sharing a query share its result. */
  session(now: number, calendar: WorkingCalendar) {
    const memo = new Map<string, Promise<Map<string, UnitFigures>>>();
    const figures = (level: RuleLevel, fromDaysAgo: number, toDaysAgo: number) => {
      const today = localDateOf(now);
      const key = `${level}|${fromDaysAgo}|${toDaysAgo}`;
      let r = memo.get(key);
      if (!r) {
        const period = this.kpi.periodOf(addDays(today, -fromDaysAgo), addDays(today, -toDaysAgo), now);
        memo.set(key, (r = this.kpi.unitFigures({ kind: 'nation' }, level, period).then((rows) => new Map(rows.map((u) => [u.unitCode, u])))));
      }
      return r;
    };

    const observe = async (rule: RuleDefinition): Promise<Observations> => {
      const out: Observations = new Map();
      switch (rule.kind) {
        case 'kpi': {
          const w = rule.windowDays ?? 7;
          for (const [code, u] of await figures(rule.level, w - 1, 0)) {
            const k = u.figures.kpis[rule.kpi!];
            const ratio = 'denominator' in k ? k : null;
            out.set(code, { value: k.value, volume: ratio ? ratio.denominator : u.figures.counts.resolved, details: { numerator: ratio?.numerator ?? null, denominator: ratio?.denominator ?? null, windowDays: w } });
          }
          return out;
        }
        case 'backlog':
          for (const [code, u] of await figures(rule.level, 0, 0)) {
            const c = u.figures.counts;
            out.set(code, { value: c.inProgressOverdue, volume: c.inProgress, details: { inProgress: c.inProgress, inProgressOverdue: c.inProgressOverdue } });
          }
          return out;
        case 'drop': {
          const [today, before] = await Promise.all([figures(rule.level, 0, 0), figures(rule.level, 28, 1)]);
          for (const [code, u] of today) {
            const t = u.figures.kpis.online;
            const b = before.get(code)?.figures.kpis.online;
            const value = t.value === null || !b || b.value === null ? null : Math.round((b.value - t.value) * 100) / 100;
            out.set(code, { value, volume: Math.min(t.denominator, b?.denominator ?? 0), details: { todayRate: t.value, baselineRate: b?.value ?? null, receivedToday: t.denominator } });
          }
          return out;
        }
        case 'surge':
          return this.surge(rule.level, now);
        case 'silence':
          return this.silence(rule.level, now, calendar);
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
  private async silence(level: RuleLevel, now: number, calendar: WorkingCalendar): Promise<Observations> {
    const today = localDateOf(now);
    const workingDays = workingDaysBefore(calendar, today, 28);
    const rows = (await this.db.query(
      `SELECT a.unit_code, a.last_ingested_at, coalesce(d.received, 0)::int AS received
         FROM unit_activity a
         LEFT JOIN (SELECT unit_code, sum(received) AS received FROM kpi_daily
                     WHERE bucket >= $1 AND bucket < $2 AND unit_code NOT LIKE 'P%' GROUP BY unit_code) d USING (unit_code)
        WHERE length(a.unit_code) = $3`,
      [new Date(Date.parse(`${addDays(today, -28)}T00:00:00+07:00`)), new Date(Date.parse(`${today}T00:00:00+07:00`)), level === 'province' ? 2 : 5],
    )) as { unit_code: string; last_ingested_at: Date; received: number }[];
    const out: Observations = new Map();
    for (const r of rows) {
      const perDay = workingDays === 0 ? 0 : r.received / workingDays;
      out.set(r.unit_code, {
        value: workingMinutesBetween(calendar, r.last_ingested_at.getTime(), now),
        volume: Math.round(perDay * 100) / 100,
        details: { lastEventAt: r.last_ingested_at.toISOString(), receivedPerWorkingDay: Math.round(perDay * 100) / 100 },
      });
    }
    return out;
  }
}
