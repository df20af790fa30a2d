import { Injectable } from '@nestjs/common';
import { type ChildrenData, type LiveData, type SummaryData, type Topic, formatScope, livePeriodRange } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { KpiService } from '../kpi/kpi.service.js';

export interface TopicFigures {
  from: string;
  to: string;
  data: LiveData;
}

/** The figures of a live topic, read from the rollups like the REST API's. */
@Injectable()
export class TopicData {
  constructor(
    private readonly kpi: KpiService,
    private readonly db: DataSource,
  ) {}

  async compute(topic: Topic, now: number): Promise<TopicFigures> {
    const { from, to } = livePeriodRange(topic.period, now);
    const scope = formatScope(topic.scope);
    if (topic.view === 'summary') {
      const [r, lastEventAt] = await Promise.all([this.kpi.kpis({ scope, from, to }, now), this.lastEventOfScope(topic)]);
      const data: SummaryData = { kpis: r.kpis, counts: r.counts, index: r.index, freshness: { lastEventAt } };
      return { from, to, data };
    }
    const [r, last] = await Promise.all([this.kpi.rankings({ scope, from, to, by: 'points' }, now), this.lastEventByChild(topic)]);
    const data: ChildrenData = {};
    for (const e of r.entries) {
      data[e.unitCode] = { unitCode: e.unitCode, unitName: e.unitName, provinceCode: e.provinceCode, kpis: e.kpis, counts: e.counts, index: e.index, lastEventAt: last.get(e.unitCode) ?? null };
    }
    return { from, to, data };
  }

  private async lastEventOfScope(topic: Topic): Promise<string | null> {
    const s = topic.scope;
    const [row] = (await this.db.query(
      `SELECT max(last_ingested_at) AS at FROM unit_activity
        WHERE ($1::text IS NULL OR province_code = $1) AND ($2::text IS NULL OR unit_code = $2)`,
      [s.kind === 'province' ? s.code : null, s.kind === 'commune' ? s.code : null],
    )) as { at: Date | null }[];
    return row?.at ? row.at.toISOString() : null;
  }

  /** Last event per child unit: per province for the nation, per commune for a province. */
  private async lastEventByChild(topic: Topic): Promise<Map<string, string>> {
    const s = topic.scope;
    const rows = (await (s.kind === 'province'
      ? this.db.query('SELECT unit_code AS code, last_ingested_at AS at FROM unit_activity WHERE province_code = $1', [s.code])
      : this.db.query('SELECT province_code AS code, max(last_ingested_at) AS at FROM unit_activity GROUP BY province_code'))) as { code: string; at: Date }[];
    return new Map(rows.map((r) => [r.code, r.at.toISOString()]));
  }
}
