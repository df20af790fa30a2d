import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { historyLoading } from '../projection/history-loads.js';
import { readProjectionMark } from '../projection/projection-state.js';
import {
  type HistoryLoading,
  type ProjectionMark,
  DAY_MS,
  type Grain,
  type IndexPoints,
  KPI_IDS,
  type KpiCounts,
  type KpiSet,
  KPI_VERSION,
  type KpiId,
  type KpiResponse,
  type Period,
  type PeriodCounters,
  type RankBy,
  type RankLevel,
  type RankingEntry,
  type RankingResponse,
  type Scope,
  type SeriesResponse,
  type UnitRef,
  type UnitType,
  type IndexV2Summary,
  commonIndexPoints,
  computeIndexPoints,
  indexV2CountsOf,
  indexV2SummaryOfPeriod,
  indexV2View,
  pmaxOf,
  computeKpis,
  formatScope,
  isLocalDate,
  localDateOf,
  localDateTimeOf,
  parseScope,
  rankEntries,
  resolvePeriod,
  startOfLocalDate,
  zeroPeriod,
} from '@ioc/shared';
import { badRequest } from '../common/app-error.js';
import { UnitsService } from '../units/units.service.js';
import { KpiQueryRepository, type PastReadCache, type StockMemo } from './kpi-query.repository.js';
import { ReportedValuesService } from './reported-values.service.js';

const SERIES_LIMIT_DAYS: Record<Grain, number> = { hour: 31, day: 1096, month: 1096 };

export interface Figures {
  kpis: KpiSet;
  counts: KpiCounts;
  index: IndexPoints;
  indexV2?: IndexV2Summary;
}
export interface UnitFigures {
  unitCode: string;
  unitName: string;
  unitType: UnitType;
  provinceCode: string;
  figures: Figures;
}

export interface KpiQuery {
  scope?: string;
  from?: string;
  to?: string;
}

@Injectable()
export class KpiService {
  constructor(
    private readonly repo: KpiQueryRepository,
    private readonly units: UnitsService,
    private readonly db: DataSource,
    private readonly reported: ReportedValuesService,
  ) {}

  /** Read before the figures, so they count at least up to it. */
  private projection(): Promise<ProjectionMark> {
    return readProjectionMark(this.db);
  }

  /** Whether history of some of the period's days is still loading. */
  loadingOf(period: Pick<Period, 'from' | 'to'>): Promise<HistoryLoading | null> {
    return historyLoading(this.db, period.from, period.to);
  }

  scopeOf(raw: string | undefined): Scope {
    const s = raw ?? 'nation';
    const scope = parseScope(s);
    if (!scope) throw badRequest(`scope must be nation, province:<2-digit code> or commune:<5-digit code>, got "${s}"`);
    if (scope.kind === 'province') this.units.province(scope.code);
    if (scope.kind === 'commune') this.units.commune(scope.code);
    return scope;
  }

  periodOf(from: string | undefined, to: string | undefined, now: number): Period {
    const r = resolvePeriod(from, to, now);
    if (!r.ok) throw badRequest(r.reason);
    return r.period;
  }

  async kpis(q: KpiQuery, now = Date.now()): Promise<KpiResponse> {
    const scope = this.scopeOf(q.scope);
    const period = this.periodOf(q.from, q.to, now);
    const [projection, loading] = await Promise.all([this.projection(), this.loadingOf(period)]);
    const [grouped, reported, syncTracked] = await Promise.all([
      this.repo.period(scope, period.start, period.end, period.live, 'none'),
      this.reported.extras(scope, period, 'none'),
      this.repo.syncTracked(scope, period.start, period.end, period.live, 'none'),
    ]);
    syncTracked(grouped);
    const counters = grouped.get('*') ?? zeroPeriod();
    return {
      scope: formatScope(scope),
      from: period.from,
      to: period.to,
      asOf: new Date(period.end).toISOString(),
      kpiVersion: KPI_VERSION,
      projection,
      loading,
      ...this.figures(counters),
      indexV2: indexV2View(indexV2CountsOf(counters, reported.counts.get('*')), reported.reported),
    };
  }

  async series(q: KpiQuery & { granularity?: string }, now = Date.now()): Promise<SeriesResponse> {
    const scope = this.scopeOf(q.scope);
    const granularity = (q.granularity ?? 'day') as Grain;
    if (!['hour', 'day', 'month'].includes(granularity)) throw badRequest(`granularity must be hour, day or month, got "${q.granularity}"`);
    let { from, to } = q;
    if (granularity === 'month') {
      // Month points cover whole calendar months.
      const today = localDateOf(now);
      const f = from ?? today;
      // An invalid date is left as given, for periodOf to refuse (not cut to a month that looks valid).
      from = isLocalDate(f) ? `${f.slice(0, 7)}-01` : f;
      const t = to ?? today;
      // The month's last day, by calendar arithmetic: past 9999-12 there is no next month to step back from.
      to = isLocalDate(t) ? `${t.slice(0, 8)}${String(new Date(Date.UTC(Number(t.slice(0, 4)), Number(t.slice(5, 7)), 0)).getUTCDate()).padStart(2, '0')}` : t;
    }
    const period = this.periodOf(from, to, now);
    const spanDays = Math.round((startOfLocalDate(period.to) - period.start) / DAY_MS) + 1;
    if (spanDays > SERIES_LIMIT_DAYS[granularity]) {
      throw badRequest(`a ${granularity} series may span at most ${SERIES_LIMIT_DAYS[granularity]} days; this one spans ${spanDays}`);
    }
    const [projection, loading] = await Promise.all([this.projection(), this.loadingOf(period)]);
    const buckets = await this.repo.series(scope, granularity, period.start, period.end, period.live);
    return {
      scope: formatScope(scope),
      granularity,
      from: period.from,
      to: period.to,
      asOf: new Date(period.end).toISOString(),
      kpiVersion: KPI_VERSION,
      projection,
      loading,
      points: buckets.map((b) => ({
        start: new Date(b.start).toISOString(),
        label: granularity === 'hour' ? `${localDateTimeOf(b.start).slice(0, 13)}:00` : granularity === 'day' ? localDateOf(b.start) : localDateOf(b.start).slice(0, 7),
        asOf: new Date(b.end).toISOString(),
        ...this.figures(b.counters),
      })),
    };
  }

  /**
   * What a ranking ranks: its scope and level (400 when they make no ranking). Only
   * what is needed to know which units are ranked, so access can be checked
   * (rankedUnits) before anything else is validated or computed.
   */
  rankingTarget(q: { scope?: string; level?: string }): { scope: Scope; level: RankLevel } {
    const scope = this.scopeOf(q.scope);
    if (scope.kind === 'commune') throw badRequest('a commune has no units below it to rank; use scope=nation or scope=province:<code>');
    const level = (q.level ?? (scope.kind === 'nation' ? 'province' : 'commune')) as RankLevel;
    if (level !== 'province' && level !== 'commune') throw badRequest(`level must be province or commune, got "${q.level}"`);
    if (scope.kind === 'province' && level === 'province') throw badRequest('within a province, rank its communes: level=commune');
    return { scope, level };
  }

  /** The units a ranking of `scope` at `level` lists, from the reference data (no query). */
  rankedUnits(scope: Scope, level: RankLevel): UnitRef[] {
    if (level === 'province') return this.units.listProvinces().map((p) => ({ kind: 'province', code: p.code }));
    return (scope.kind === 'province' ? this.units.communesOf(scope.code) : this.units.allCommunes()).map((c) => ({ kind: 'commune', code: c.code, provinceCode: c.provinceCode }));
  }

  async rankings(q: KpiQuery & { by?: string; level?: string }, now = Date.now()): Promise<RankingResponse> {
    const { scope, level } = this.rankingTarget(q);
    const by = (q.by ?? 'points') as RankBy;
    if (by !== 'points' && by !== 'index' && !KPI_IDS.includes(by as KpiId)) throw badRequest(`by must be points or one of index, ${KPI_IDS.join(', ')}, got "${q.by}"`);
    const period = this.periodOf(q.from, q.to, now);
    const [projection, loading] = await Promise.all([this.projection(), this.loadingOf(period)]);
    // The kpi-v2 index of every unit only when ranking by it: the other rankings read what kpi-v1 reads.
    const units = await this.unitFigures(scope, level, period, undefined, undefined, by === 'index');
    // kpi-v2: points earned over the sub-indicators every unit with data has.
    const common = by === 'index' ? commonIndexPoints(units.map((u) => u.figures.indexV2!)) : { common: [], values: [] };
    const entries: RankingEntry[] = units.map(({ figures: f, ...u }, i) => {
      const value = by === 'index' ? common.values[i]! : by === 'points' ? f.index.score : f.kpis[by].value;
      return { rank: null, unitCode: u.unitCode, unitName: u.unitName, unitType: u.unitType, provinceCode: u.provinceCode, value, received: f.counts.received, ...f };
    });
    rankEntries(entries);
    return {
      scope: formatScope(scope),
      level,
      by,
      from: period.from,
      to: period.to,
      asOf: new Date(period.end).toISOString(),
      kpiVersion: KPI_VERSION,
      projection,
      loading,
      ...(by === 'index' ? { commonSubIndicators: common.common, commonPmax: pmaxOf(common.common) } : {}),
      entries,
    };
  }

  /**
   * Figures of every unit one level below `scope` (its provinces or communes) over a
   * resolved period, from one grouped query.
   */
  async unitFigures(scope: Scope, level: RankLevel, period: Period, memo?: StockMemo, past?: PastReadCache, withIndexV2 = false): Promise<UnitFigures[]> {
    const groupBy = level === 'province' ? 'province' : 'unit';
    // The kpi-v2 index (rankings): 1.4's denominator and the reported values join the rollup counters, read alongside.
    const [grouped, reported, syncTracked] = await Promise.all([
      this.repo.period(scope, period.start, period.end, period.live, groupBy, memo, past, withIndexV2 ? 'v2' : 'v1'),
      withIndexV2 ? this.reported.extras(scope, period, groupBy) : null,
      withIndexV2 ? this.repo.syncTracked(scope, period.start, period.end, period.live, groupBy) : null,
    ]);
    syncTracked?.(grouped);
    const extras = reported?.counts;
    const units =
      level === 'province'
        ? this.units.listProvinces().map((p) => ({ unitCode: p.code, unitName: p.name, unitType: p.type, provinceCode: p.code }))
        : (scope.kind === 'province' ? this.units.communesOf(scope.code) : this.units.allCommunes()).map((c) => ({
            unitCode: c.code,
            unitName: c.name,
            unitType: c.type,
            provinceCode: c.provinceCode,
          }));
    return units.map((u) => {
      const p = grouped.get(u.unitCode) ?? zeroPeriod();
      const figures: Figures = this.figures(p);
      if (extras) figures.indexV2 = indexV2SummaryOfPeriod(p, extras.get(u.unitCode));
      return { ...u, figures };
    });
  }

  figures(p: PeriodCounters): Figures {
    const { kpis, counts } = computeKpis(p);
    return { kpis, counts, index: computeIndexPoints(p) };
  }
}
