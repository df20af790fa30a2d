import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { historyLoading } from '../projection/history-loads.js';
import { readProjectionMark } from '../ingest/projection-state.js';
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
  bucketStart,
  hourlyKeptFrom,
  computeIndexPoints,
  feedbackCountsByBucket,
  indexV2CountsOf,
  indexV2SummaryOfPeriod,
  indexV2TotalsOf,
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
import { feeProcedureCounts, feeProcedureSeries } from './fee-procedures.js';
import { feedbackFactsOf, feedbackIndexCounts } from '../feedback/feedback-counts.js';
import { ReportedValuesService } from './reported-values.service.js';
import { RollupCache } from './rollup-cache.js';

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

/** A unit's period counters and the kpi-v1 figures from them. */
interface UnitCounters {
  unit: Omit<UnitFigures, 'figures'>;
  counters: PeriodCounters;
  figures: Figures;
}

export interface KpiQuery {
  scope?: string;
  from?: string;
  to?: string;
}

/** Kept rollup reads beyond which the ones no ranking used lately are dropped (each holds a ranking's counters). */
const PAST_READS_KEPT = 16;

@Injectable()
export class KpiService {
  /**
   * Rollup reads of past periods (rankings over months or days gone by), kept while no change
   * touches their days: the rollup tables mark each local day they change (RollupCache), so a
   * late event for a past day makes exactly the reads covering it be read again.
   */
  private readonly pastReads = new RollupCache();
  private readonly pastReadCache: PastReadCache = {
    get: (key, read, days) => this.pastReads.get(key, days?.from ?? 0, days?.to ?? Number.POSITIVE_INFINITY, read),
  };

  constructor(
    private readonly repo: KpiQueryRepository,
    private readonly units: UnitsService,
    private readonly db: DataSource,
    private readonly reported: ReportedValuesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    const [grouped, reported, syncTracked, feedback, fee] = await Promise.all([
      this.repo.period(scope, period.start, period.end, period.live, 'none'),
      this.reported.extras(scope, period, 'none'),
      this.repo.syncTracked(scope, period.start, period.end, period.live, 'none'),
      feedbackIndexCounts(this.db, scope, period.start, period.end, 'none'),
      feeProcedureCounts(this.db, scope, period.start, period.end, period.live, 'none'),
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
      // Reported values, feedback (5.2, 5.3) and distinct fee-bearing procedures (3.5b) fill distinct count fields.
      indexV2: indexV2View(indexV2CountsOf(counters, { ...reported.counts.get('*'), ...feedback.get('*'), ...fee.get('*') }), reported.reported),
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
    const hourlyFrom = hourlyKeptFrom(now, this.config.hourlyRetentionDays);
    if (granularity === 'hour' && period.start < hourlyFrom) {
      throw badRequest(`hour-by-hour figures are kept for ${this.config.hourlyRetentionDays} days before today (from ${localDateOf(hourlyFrom)}); ask for granularity=day for earlier periods`);
    }
    const [projection, loading, buckets, reportedByMonth, feedbackFacts] = await Promise.all([
      this.projection(),
      this.loadingOf(period),
      this.repo.series(scope, granularity, period.start, period.end, period.live),
      // Reported sub-indicators are per month: each point reads its month's values.
      this.reported.countsByMonth(scope, period),
      // 5.2 and 5.3 of each point, from the scope's feedback records read once.
      feedbackFactsOf(this.db, scope, bucketStart(period.start, granularity), period.end),
    ]);
    const [feedback, fee] = [
      feedbackCountsByBucket(feedbackFacts, buckets),
      await feeProcedureSeries(
        this.db,
        scope,
        granularity,
        buckets.map((b) => b.start),
        period.end,
      ),
    ];
    return {
      scope: formatScope(scope),
      granularity,
      from: period.from,
      to: period.to,
      asOf: new Date(period.end).toISOString(),
      kpiVersion: KPI_VERSION,
      projection,
      loading,
      points: buckets.map((b, i) => ({
        start: new Date(b.start).toISOString(),
        label: granularity === 'hour' ? `${localDateTimeOf(b.start).slice(0, 13)}:00` : granularity === 'day' ? localDateOf(b.start) : localDateOf(b.start).slice(0, 7),
        asOf: new Date(b.end).toISOString(),
        ...this.figures(b.counters),
        indexV2: indexV2TotalsOf(indexV2SummaryOfPeriod(b.counters, reportedByMonth.get(localDateOf(b.start).slice(0, 7)), feedback[i], fee[i])),
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
    // A past period's rollup reads are kept (and, for the index, what a live period's past days add up to):
    // after the projection mark, learn which days changed since.
    const past = period.live && by !== 'index' ? undefined : await this.refreshPastReads();
    // The kpi-v2 index of every unit only when ranking by it: the other rankings read what kpi-v1 reads.
    const units = await this.unitFigures(scope, level, period, undefined, past, by === 'index');
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

  private async refreshPastReads(): Promise<PastReadCache> {
    if (this.pastReads.size > PAST_READS_KEPT) this.pastReads.sweep();
    await this.pastReads.refresh(this.db);
    return this.pastReadCache;
  }

  /**
   * Figures of every unit one level below `scope` (its provinces or communes) over a
   * resolved period, from one grouped query.
   */
  async unitFigures(scope: Scope, level: RankLevel, period: Period, memo?: StockMemo, past?: PastReadCache, withIndexV2 = false): Promise<UnitFigures[]> {
    const groupBy = level === 'province' ? 'province' : 'unit';
    const counters = withIndexV2 ? 'v2' : 'v1';
    const read = async (): Promise<UnitCounters[]> => {
      const grouped = await this.repo.period(scope, period.start, period.end, period.live, groupBy, memo, past, counters);
      return this.unitsBelow(scope, level).map((unit) => {
        const p = grouped.get(unit.unitCode) ?? zeroPeriod();
        return { unit, counters: p, figures: this.figures(p) };
      });
    };
    // The kpi-v2 index (rankings): 1.4's denominator and the reported values join the rollup counters, read alongside.
    const [rows, reported, syncTracked, feedback, fee] = await Promise.all([
      // A past period's kpi-v1 figures are kept with its rollup reads (they depend on every day up to its end).
      past !== undefined && !period.live ? past.get(`figures|${formatScope(scope)}|${level}|${counters}|${period.start}|${period.end}`, read, { from: 0, to: period.end }) : read(),
      withIndexV2 ? this.reported.extras(scope, period, groupBy) : null,
      withIndexV2 ? this.repo.syncTracked(scope, period.start, period.end, period.live, groupBy) : null,
      withIndexV2 ? feedbackIndexCounts(this.db, scope, period.start, period.end, groupBy) : null,
      withIndexV2 ? feeProcedureCounts(this.db, scope, period.start, period.end, period.live, groupBy, past) : null,
    ]);
    if (!withIndexV2) return rows.map((r) => ({ ...r.unit, figures: r.figures }));
    // 1.4's denominator goes into copies: what is kept is never changed.
    const grouped = new Map(rows.map((r) => [r.unit.unitCode, { ...r.counters }]));
    syncTracked?.(grouped);
    const extras = reported?.counts;
    return rows.map((r) => ({
      ...r.unit,
      figures: { ...r.figures, indexV2: indexV2SummaryOfPeriod(grouped.get(r.unit.unitCode)!, extras?.get(r.unit.unitCode), feedback?.get(r.unit.unitCode), fee?.get(r.unit.unitCode)) },
    }));
  }

  /** The units one level below `scope`, as a ranking lists them. */
  private unitsBelow(scope: Scope, level: RankLevel): UnitCounters['unit'][] {
    return level === 'province'
      ? this.units.listProvinces().map((p) => ({ unitCode: p.code, unitName: p.name, unitType: p.type, provinceCode: p.code }))
      : (scope.kind === 'province' ? this.units.communesOf(scope.code) : this.units.allCommunes()).map((c) => ({
          unitCode: c.code,
          unitName: c.name,
          unitType: c.type,
          provinceCode: c.provinceCode,
        }));
  }

  figures(p: PeriodCounters): Figures {
    const { kpis, counts } = computeKpis(p);
    return { kpis, counts, index: computeIndexPoints(p) };
  }
}
