import { Injectable } from '@nestjs/common';
import {
  type IndexV2Extra,
  MAX_REPORTED_VALUES_PER_REQUEST,
  type Period,
  type ReportedBy,
  type ReportedSubIndicatorId,
  type ReportedValueInput,
  type ReportedValueResult,
  type ReportedValueRow,
  type ReportedValuesResponse,
  type Scope,
  countsFromReported,
  describeReportedIssues,
  localDateOf,
  reportedValueSchema,
  sumIndexV2Counts,
  within,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import type { IngestSource } from '../auth/auth.types.js';
import { AppError, ErrorCode, badRequest } from '../common/app-error.js';
import type { GroupBy } from '../units/group-by.js';
import { UnitsService } from '../units/units.service.js';
import { monthsReportedBy, reportedSumsByMonth, reportedValuesOf, upsertReportedValues } from './reported-values.repository.js';

/**
 * Reported indicator values: stored per unit, month and sub-indicator by a
 * province- or nation-scoped source, and summed into the index of any scope.
 */
@Injectable()
export class ReportedValuesService {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
  ) {}

  static valuesOf(body: unknown): unknown[] {
    if (body === null || typeof body !== 'object' || Array.isArray(body) || !('values' in body)) {
      throw badRequest('the body must be {"values": [...]}: one object per unit, month and reported sub-indicator');
    }
    const values = (body as { values: unknown }).values;
    if (!Array.isArray(values)) throw badRequest('values must be an array');
    if (values.length === 0) throw badRequest('values is empty: send at least one value');
    if (values.length > MAX_REPORTED_VALUES_PER_REQUEST) {
      throw new AppError(ErrorCode.PayloadTooLarge, `A request may hold at most ${MAX_REPORTED_VALUES_PER_REQUEST} values; this one has ${values.length}. Split it into smaller requests.`);
    }
    const extra = Object.keys(body).filter((k) => k !== 'values');
    if (extra.length > 0) throw badRequest(`Unknown field(s) in the body: ${extra.join(', ')}. The body is {"values": [...]}.`);
    return values;
  }

  async report(values: unknown[], source: IngestSource, now = Date.now()): Promise<ReportedValuesResponse> {
    // Only sources that keep a province's catalogue report it: a commune's own system cannot.
    if (source.scope.kind === 'commune') {
      return {
        accepted: 0,
        rejected: values.length,
        results: values.map((_, index) => ({
          index,
          status: 'rejected',
          reason: `this key (${source.name}) is scoped to a commune; reported indicator values come from a province- or nation-scoped key`,
        })),
      };
    }
    const thisMonth = localDateOf(now).slice(0, 7);
    const results: ReportedValueResult[] = [];
    const good: { index: number; v: ReportedValueInput; province: string }[] = [];
    values.forEach((raw, index) => {
      const parsed = reportedValueSchema.safeParse(raw);
      if (!parsed.success) {
        results[index] = { index, status: 'rejected', reason: describeReportedIssues(parsed.error.issues, raw) };
        return;
      }
      const v = parsed.data;
      const known = v.unitCode.length === 2 ? this.units.hasProvince(v.unitCode) : this.units.hasCommune(v.unitCode);
      if (!known) {
        results[index] = { index, status: 'rejected', reason: `${v.unitCode} is not a known ${v.unitCode.length === 2 ? 'province' : 'commune'} code` };
        return;
      }
      const ref = this.units.unitRef(v.unitCode);
      if (!within(ref, source.scope)) {
        results[index] = { index, status: 'rejected', reason: `this key (${source.name}) may only report for ${this.units.scopeName(source.scope)}; ${this.units.scopeName(ref)} is outside it` };
        return;
      }
      if (v.month > thisMonth) {
        results[index] = { index, status: 'rejected', reason: `month ${v.month} has not begun yet (this month is ${thisMonth})` };
        return;
      }
      good.push({ index, v, province: this.units.provinceOfUnit(v.unitCode)! });
    });
    if (good.length > 0) {
      // The last value of a request wins for a repeated unit, month and sub-indicator.
      const byKey = new Map<string, (typeof good)[number]>();
      for (const g of good) byKey.set(`${g.v.unitCode}|${g.v.month}|${g.v.subIndicator}`, g);
      const rows = [...byKey.values()].sort((a, b) => (`${a.v.unitCode}|${a.v.month}|${a.v.subIndicator}` < `${b.v.unitCode}|${b.v.month}|${b.v.subIndicator}` ? -1 : 1));
      const stored = await upsertReportedValues(
        this.db,
        rows.map((g) => ({ ...g.v, provinceCode: g.province })),
        source,
      );
      const replaced = new Map(stored.map((r) => [`${r.unitCode}|${r.month}|${r.subIndicator}`, r.replaced]));
      for (const g of good) {
        const key = `${g.v.unitCode}|${g.v.month}|${g.v.subIndicator}`;
        // A value repeated in the request was replaced by the later one.
        results[g.index] = { index: g.index, status: 'accepted', replaced: byKey.get(key) !== g || (replaced.get(key) ?? false) };
      }
    }
    const accepted = results.filter((r) => r.status === 'accepted').length;
    return { accepted, rejected: results.length - accepted, results };
  }

  /** The values a period's index of `scope` sums, listed with who reported them. */
  async list(scope: Scope, period: Pick<Period, 'from' | 'to'>): Promise<ReportedValueRow[]> {
    return (await reportedValuesOf(this.db, scope, period)).map((r) => ({
      unitCode: r.unitCode,
      unitName: this.units.unitName(r.unitCode),
      month: r.month,
      subIndicator: r.subIndicator,
      numerator: r.numerator,
      denominator: r.denominator,
      reportedBy: r.reportedBy,
      reportedAt: r.reportedAt.toISOString(),
    }));
  }

  /**
   * The counts reported values add to the index of a scope in each month a period touches
   * (keyed YYYY-MM), summed in the database: what the points of a series read.
   */
  async countsByMonth(scope: Scope, period: Pick<Period, 'from' | 'to'>): Promise<Map<string, IndexV2Extra>> {
    const rows = await reportedSumsByMonth(this.db, scope, period);
    const byMonth = new Map<string, { id: ReportedSubIndicatorId; numerator: number; denominator: number }[]>();
    for (const r of rows) {
      let list = byMonth.get(r.month);
      if (!list) byMonth.set(r.month, (list = []));
      list.push({ id: r.subIndicator, numerator: r.numerator, denominator: r.denominator });
    }
    return new Map([...byMonth].map(([m, list]) => [m, countsFromReported(list)]));
  }

  /**
   * The counts reported values add to the index of a scope and period, grouped like the
   * rollup queries ('*', per unit or per province), and (ungrouped) who reported what.
   */
  async extras(scope: Scope, period: Pick<Period, 'from' | 'to'>, groupBy: GroupBy): Promise<{ counts: Map<string, IndexV2Extra>; reported: Map<ReportedSubIndicatorId, ReportedBy[]> }> {
    const rows = await reportedValuesOf(this.db, scope, period);
    const grouped = new Map<string, { id: ReportedSubIndicatorId; numerator: number; denominator: number }[]>();
    const reported = new Map<ReportedSubIndicatorId, ReportedBy[]>();
    for (const r of rows) {
      const key = groupBy === 'none' ? '*' : groupBy === 'province' ? r.provinceCode : r.unitCode;
      let list = grouped.get(key);
      if (!list) grouped.set(key, (list = []));
      list.push({ id: r.subIndicator, numerator: r.numerator, denominator: r.denominator });
      let by = reported.get(r.subIndicator);
      if (!by) reported.set(r.subIndicator, (by = []));
      by.push({ unitCode: r.unitCode, month: r.month, numerator: r.numerator, denominator: r.denominator, reportedBy: r.reportedBy, reportedAt: r.reportedAt.toISOString() });
    }
    const counts = new Map<string, IndexV2Extra>();
    for (const [k, list] of grouped) counts.set(k, sumIndexV2Counts([countsFromReported(list)]));
    return { counts, reported };
  }

  /** The months (YYYY-MM) for which a unit has reported any value. */
  monthsReported(unitCode: string): Promise<Set<string>> {
    return monthsReportedBy(this.db, unitCode);
  }
}
