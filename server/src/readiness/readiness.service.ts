import { Injectable } from '@nestjs/common';
import {
  type CommuneReadiness,
  type LinkSummary,
  READINESS_FIELDS,
  type ReadinessDetail,
  type ReadinessField,
  type ReadinessListResponse,
  type ReadinessValue,
  type ReadinessVia,
  type ReadinessWriteResponse,
  type UnitRef,
  addDays,
  formatScope,
  localDateOf,
  readinessScore,
  within,
  readinessPushBodySchema,
  readinessUpdateBodySchema,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { badRequest, forbidden } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import { parseBody } from '../common/validation.js';
import { UnitsService } from '../units/units.service.js';
import { type NewReadinessValue, type ReadinessValueRow, currentReadinessValues, linkDaysSummaries, readinessHistory, recordReadinessValues } from './readiness-values.js';

/** The link measures of the readiness view cover this many closed days. */
export const LINK_SUMMARY_DAYS = 30;

const valueOf = (r: ReadinessValueRow): ReadinessValue => ({
  value: r.value,
  asOf: r.asOf,
  source: r.source,
  recordedAt: r.recordedAt.toISOString(),
  recordedBy: r.recordedBy,
  via: r.via,
});

/** The communes of a scope as the readiness queries filter them (null: every commune). */
const communesOf = (scope: UnitRef) => (scope.kind === 'nation' ? null : scope.kind === 'province' ? { provinceCode: scope.code } : { communeCode: scope.code });

/**
 * Readiness profiles: every value recorded is a version (nothing is overwritten); a
 * field's current value is the version with the latest date (`asOf`), the latest
 * recorded among equal dates. A value sent again with the same date and source as
 * the current version is not recorded twice.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly audit: AuditService,
  ) {}

  /** 400 unless `code` is a 5-digit commune code; 404 when no commune has it. */
  commune(code: string): UnitRef {
    if (!/^\d{5}$/.test(code)) throw badRequest(`communeCode must be a 5-digit commune code (2025 codes), got "${code.slice(0, 20)}"`);
    return this.units.unitRef(code);
  }

  communesIn(scope: UnitRef): string[] {
    if (scope.kind === 'commune') return [scope.code];
    return (scope.kind === 'province' ? this.units.communesOf(scope.code) : this.units.allCommunes()).map((c) => c.code);
  }

  /** An administrator records values for one commune. */
  async update(communeCode: string, body: unknown, by: string, ip: string | null = null): Promise<ReadinessWriteResponse> {
    const b = parseBody(readinessUpdateBodySchema, body ?? {});
    this.commune(communeCode);
    return this.record([{ communeCode, values: b.values }], by, 'admin', { actor: by, ip });
  }

  /** A province's system pushes values with its key: a province (or nation) key, for communes in its scope. */
  async push(source: { name: string; scope: UnitRef }, body: unknown): Promise<ReadinessWriteResponse> {
    if (source.scope.kind === 'commune') {
      throw forbidden(`The key "${source.name}" is for ${formatScope(source.scope)}: readiness is pushed by a province's key (the province certifies its communes' profiles).`);
    }
    const b = parseBody(readinessPushBodySchema, body ?? {});
    for (const c of b.communes) {
      if (!this.units.hasCommune(c.communeCode)) throw badRequest(`communeCode "${c.communeCode}" is not a commune code (2025 codes).`);
      const unit = this.units.unitRef(c.communeCode);
      if (!within(unit, source.scope)) {
        throw forbidden(`The key "${source.name}" (${formatScope(source.scope)}) may not record the readiness of ${this.units.scopeName(unit)}: a key records only for communes in its scope.`);
      }
    }
    return this.record(b.communes, source.name, 'api-key', { actor: `key:${source.name}`, ip: null });
  }

  private async record(
    communes: { communeCode: string; values: Partial<Record<ReadinessField, { value: number; asOf: string; source: string } | undefined>> }[],
    by: string,
    via: ReadinessVia,
    who: { actor: string; ip: string | null },
  ): Promise<ReadinessWriteResponse> {
    const today = localDateOf(Date.now());
    const rows: NewReadinessValue[] = [];
    for (const c of communes) {
      const commune = this.units.commune(c.communeCode);
      for (const field of READINESS_FIELDS) {
        const v = c.values[field];
        if (!v) continue;
        if (v.asOf > addDays(today, 1)) throw badRequest(`${c.communeCode}.${field}.asOf (${v.asOf}) is in the future: a value holds from a date already passed`);
        rows.push({ commune_code: commune.code, province_code: commune.provinceCode, field, value: v.value, as_of: v.asOf, source: v.source });
      }
    }
    return inTransaction(this.db, async (m) => {
      const n = await recordReadinessValues(m, rows, by, via);
      const codes = [...new Set(rows.map((r) => r.commune_code))];
      await this.audit.record(
        {
          action: 'readiness.record',
          actor: who.actor,
          target: codes.length === 1 ? `unit:${codes[0]}` : `units:${codes.length}`,
          ip: who.ip,
          details: { via, recorded: n, unchanged: rows.length - n, communes: codes.slice(0, 50), fields: [...new Set(rows.map((r) => r.field))] },
        },
        m,
      );
      return { recorded: n, unchanged: rows.length - n };
    });
  }

  async list(scope: UnitRef, now = Date.now()): Promise<ReadinessListResponse> {
    const codes = this.communesIn(scope);
    const rows = await currentReadinessValues(this.db, communesOf(scope));
    const links = await this.links(scope, now);
    const current = new Map<string, Partial<Record<ReadinessField, ReadinessValue>>>();
    for (const r of rows) {
      let c = current.get(r.communeCode);
      if (!c) current.set(r.communeCode, (c = {}));
      c[r.field] = valueOf(r);
    }
    return {
      scope: formatScope(scope),
      asOf: new Date(now).toISOString(),
      communes: codes.map((code) => this.profile(code, current.get(code) ?? {}, links.get(code) ?? null)),
    };
  }

  async detail(code: string, now = Date.now()): Promise<ReadinessDetail> {
    const unit = this.commune(code);
    const rows = await readinessHistory(this.db, code);
    const history: Partial<Record<ReadinessField, ReadinessValue[]>> = {};
    for (const r of rows) (history[r.field] ??= []).push(valueOf(r));
    const current = Object.fromEntries(Object.entries(history).map(([f, list]) => [f, list[0]!])) as Partial<Record<ReadinessField, ReadinessValue>>;
    const links = await this.links(unit, now);
    return { ...this.profile(code, current, links.get(code) ?? null), history };
  }

  private profile(code: string, current: Partial<Record<ReadinessField, ReadinessValue>>, link: LinkSummary | null): CommuneReadiness {
    const c = this.units.commune(code);
    return { communeCode: code, communeName: c.name, provinceCode: c.provinceCode, current, score: readinessScore(current), link };
  }

  /** Each commune's link over the last LINK_SUMMARY_DAYS closed days, from the daily summaries. */
  private async links(scope: UnitRef, now: number): Promise<Map<string, LinkSummary>> {
    const today = localDateOf(now);
    const from = addDays(today, -LINK_SUMMARY_DAYS);
    const rows = await linkDaysSummaries(this.db, from, today, communesOf(scope));
    return new Map(rows.map((r) => [r.communeCode, { days: r.days, upShare: r.total > 0 ? Math.round((r.up / r.total) * 1000) / 10 : null, outageWorkingMinutes: r.outage }]));
  }
}
