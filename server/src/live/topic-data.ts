import { Injectable } from '@nestjs/common';
import {
  type AlertsData,
  type HistoryLoading,
  type ProjectionMark,
  type ChildrenData,
  type LiveData,
  type LivePeriod,
  type Period,
  type RankLevel,
  type Scope,
  type Topic,
  formatScope,
  livePeriodRange,
  topicKey,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { KpiQueryRepository } from '../kpi/kpi-query.repository.js';
import { type UnitFigures, KpiService } from '../kpi/kpi.service.js';
import { AlertsService } from '../alerts/alerts.service.js';
import { UnitsService } from '../units/units.service.js';
import { readProjectionMark } from '../ingest/projection-state.js';

export interface TopicFigures {
  from: string;
  to: string;
  /** Up to which point of the event log the figures count (read before them). */
  projection: ProjectionMark;
  /** History still loading on the topic's days. */
  loading: HistoryLoading | null;
  data: LiveData;
}

/** When each unit last delivered an event, and the latest per province and nation. */
interface Freshness {
  unit: Map<string, string>;
  province: Map<string, string>;
  nation: string | null;
}

const CONCURRENT_QUERIES = 3;

/**
 * The figures of live topics, read from the rollups with the REST API's code.
 * Topics computed together share queries: the summaries of several provinces (or
 * of several communes of one province) come from one grouped query, which is also
 * the query of the table of units below the scope.
 */
@Injectable()
export class TopicData {
  constructor(
    private readonly kpi: KpiService,
    private readonly units: UnitsService,
    private readonly alerts: AlertsService,
    private readonly rollups: KpiQueryRepository,
    private readonly db: DataSource,
  ) {}

  async compute(topic: Topic, now: number): Promise<TopicFigures> {
    const r = (await this.computeMany([topic], now)).get(topicKey(topic))!;
    if (r instanceof Error) throw r;
    return r;
  }

  /** Figures of each topic, or the error that prevented reading them. */
  async computeMany(topics: readonly Topic[], now: number): Promise<Map<string, TopicFigures | Error>> {
    const out = new Map<string, TopicFigures | Error>();
    let fresh: Freshness;
    let projection: ProjectionMark;
    try {
      projection = await readProjectionMark(this.db);
      fresh = await this.freshness();
    } catch (e) {
      for (const t of topics) out.set(topicKey(t), e as Error);
      return out;
    }
    const loads = new Map<string, Promise<HistoryLoading | null>>();
    const loadingOf = (from: string, to: string) => {
      let l = loads.get(`${from}|${to}`);
      if (!l) loads.set(`${from}|${to}`, (l = this.kpi.loadingOf({ from, to })));
      return l;
    };
    const periods = new Map<LivePeriod, Period>();
    const periodOf = (p: LivePeriod) => {
      let r = periods.get(p);
      if (!r) {
        const { from, to } = livePeriodRange(p, now);
        periods.set(p, (r = this.kpi.periodOf(from, to, now)));
      }
      return r;
    };
    // One grouped query per (scope, level, period), shared by every topic that needs it.
    const grouped = new Map<string, Promise<Map<string, UnitFigures>>>();
    const unitsOf = (scope: Scope, level: RankLevel, p: LivePeriod) => {
      const key = `${formatScope(scope)}|${level}|${p}`;
      let r = grouped.get(key);
      if (!r) grouped.set(key, (r = this.kpi.unitFigures(scope, level, periodOf(p)).then((rows) => new Map(rows.map((u) => [u.unitCode, u])))));
      return r;
    };
    // Summaries that can come from their parent's grouped query: worth it from two on.
    const siblings = new Map<string, number>();
    const parentOf = (s: Scope): Scope | null => (s.kind === 'province' ? { kind: 'nation' } : s.kind === 'commune' ? { kind: 'province', code: this.units.provinceOfUnit(s.code)! } : null);
    const parentKey = (t: Topic) => {
      const p = parentOf(t.scope);
      return p ? `${formatScope(p)}|${t.period}` : null;
    };
    for (const t of topics) {
      const k = t.view === 'summary' ? parentKey(t) : null;
      if (k) siblings.set(k, (siblings.get(k) ?? 0) + 1);
    }

    const jobs = topics.map((t) => async () => {
      const { from, to } = livePeriodRange(t.period, now);
      const s = t.scope;
      if (t.view === 'alerts') {
        const data: AlertsData = {};
        for (const a of await this.alerts.open(s)) data[a.id] = a;
        return { from, to, projection, loading: await loadingOf(from, to), data };
      }
      if (t.view === 'children') {
        const level: RankLevel = s.kind === 'nation' ? 'province' : 'commune';
        const rows = await unitsOf(s, level, t.period);
        const data: ChildrenData = {};
        for (const u of rows.values()) {
          const lastEventAt = (level === 'province' ? fresh.province : fresh.unit).get(u.unitCode) ?? null;
          data[u.unitCode] = { unitCode: u.unitCode, unitName: u.unitName, unitType: u.unitType, provinceCode: u.provinceCode, ...u.figures, lastEventAt };
        }
        return { from, to, projection, loading: await loadingOf(from, to), data };
      }
      const lastEventAt = s.kind === 'nation' ? fresh.nation : s.kind === 'province' ? (fresh.province.get(s.code) ?? null) : (fresh.unit.get(s.code) ?? null);
      const pk = parentKey(t);
      const parent = parentOf(s);
      if (parent && s.kind !== 'nation' && (siblings.get(pk!) ?? 0) >= 2) {
        const u = (await unitsOf(parent, s.kind, t.period)).get(s.code);
        if (u) {
          // Ranking rows carry the kpi-v1 figures the summary needs; a province's or commune's index v2 is read on request (GET /kpis), alone or not.
          const { kpis, counts, index } = u.figures;
          return { from, to, projection, loading: await loadingOf(from, to), data: { kpis, counts, index, freshness: { lastEventAt } } };
        }
      }
      const r = await this.kpi.kpis({ scope: formatScope(s), from, to }, now);
      return {
        from,
        to,
        projection,
        loading: await loadingOf(from, to),
        data: { kpis: r.kpis, counts: r.counts, index: r.index, ...(r.indexV2 && s.kind === 'nation' ? { indexV2: r.indexV2 } : {}), freshness: { lastEventAt } },
      };
    });

    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const i = next++;
        const key = topicKey(topics[i]!);
        try {
          out.set(key, await jobs[i]!());
        } catch (e) {
          out.set(key, e as Error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_QUERIES, jobs.length) }, worker));
    return out;
  }

  private async freshness(): Promise<Freshness> {
    const f: Freshness = { unit: new Map(), province: new Map(), nation: null };
    for (const r of await this.rollups.lastIngested()) {
      const at = r.at.toISOString();
      f.unit.set(r.unit, at);
      const p = f.province.get(r.province);
      if (!p || at > p) f.province.set(r.province, at);
      if (!f.nation || at > f.nation) f.nation = at;
    }
    return f;
  }
}
