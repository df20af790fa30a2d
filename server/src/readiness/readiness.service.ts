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

/** The link measures of the readiness view cover this many closed days. */
export const LINK_SUMMARY_DAYS = 30;

interface ValueRow {
  commune_code: string;
  field: ReadinessField;
  value: number;
  as_of: string;
  source: string;
  recorded_at: Date;
  recorded_by: string;
  via: ReadinessVia;
}

const valueOf = (r: ValueRow): ReadinessValue => ({
  value: r.value,
  asOf: r.as_of,
  source: r.source,
  recordedAt: r.recorded_at.toISOString(),
  recordedBy: r.recorded_by,
  via: r.via,
});

const COLS = `commune_code, field, value, to_char(as_of, 'YYYY-MM-DD') AS as_of, source, recorded_at, recorded_by, via`;

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
    const rows: { commune_code: string; province_code: string; field: ReadinessField; value: number; as_of: string; source: string }[] = [];
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
      // Two writers of the same commune take turns, so "unchanged" is judged against the version written just before.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('readiness:' || c)) FROM unnest($1::text[]) AS c ORDER BY c`, [[...new Set(rows.map((r) => r.commune_code))].sort()]);
      const [{ n }] = (await m.query(
        `WITH x AS (SELECT * FROM json_to_recordset($1::json) AS x(commune_code text, province_code text, field text, value float8, as_of date, source text)),
              cur AS (SELECT DISTINCT ON (v.commune_code, v.field) v.commune_code, v.field, v.value, v.as_of, v.source
                        FROM readiness_value v JOIN (SELECT DISTINCT commune_code FROM x) c USING (commune_code)
                       ORDER BY v.commune_code, v.field, v.as_of DESC, v.id DESC),
              ins AS (INSERT INTO readiness_value (commune_code, province_code, field, value, as_of, source, recorded_by, via)
                      SELECT x.commune_code, x.province_code, x.field, x.value, x.as_of, x.source, $2, $3 FROM x
                       WHERE NOT EXISTS (SELECT 1 FROM cur WHERE cur.commune_code = x.commune_code AND cur.field = x.field
                                           AND cur.value = x.value AND cur.as_of = x.as_of AND cur.source = x.source)
                      RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [JSON.stringify(rows), by, via],
      )) as { n: number }[];
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
    const where = scope.kind === 'nation' ? ['TRUE', []] : scope.kind === 'province' ? ['province_code = $1', [scope.code]] : ['commune_code = $1', [scope.code]];
    const rows = (await this.db.query(
      `SELECT DISTINCT ON (commune_code, field) ${COLS} FROM readiness_value WHERE ${where[0] as string} ORDER BY commune_code, field, as_of DESC, id DESC`,
      where[1] as unknown[],
    )) as ValueRow[];
    const links = await this.links(scope, now);
    const current = new Map<string, Partial<Record<ReadinessField, ReadinessValue>>>();
    for (const r of rows) {
      let c = current.get(r.commune_code);
      if (!c) current.set(r.commune_code, (c = {}));
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
    const rows = (await this.db.query(`SELECT ${COLS} FROM readiness_value WHERE commune_code = $1 ORDER BY field, as_of DESC, id DESC`, [code])) as ValueRow[];
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
    const filter = scope.kind === 'nation' ? '' : scope.kind === 'province' ? 'AND province_code = $3' : 'AND commune_code = $3';
    const rows = (await this.db.query(
      `SELECT commune_code, count(*)::int AS days, sum(up_minutes)::float8 AS up, sum(up_minutes + degraded_minutes + down_minutes)::float8 AS total,
              sum(outage_working_minutes)::int AS outage
         FROM link_day WHERE day >= $1 AND day < $2 ${filter} GROUP BY commune_code`,
      scope.kind === 'nation' ? [from, today] : [from, today, scope.code],
    )) as { commune_code: string; days: number; up: number; total: number; outage: number }[];
    return new Map(
      rows.map((r) => [r.commune_code, { days: r.days, upShare: r.total > 0 ? Math.round((r.up / r.total) * 1000) / 10 : null, outageWorkingMinutes: r.outage }]),
    );
  }
}
