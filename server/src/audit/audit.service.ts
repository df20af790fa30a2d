import { Injectable, Logger } from '@nestjs/common';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditListResponse, DAY_MS, isLocalDate, startOfLocalDate } from '@ioc/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { badRequest } from '../common/app-error.js';
import { positive } from '../common/validation.js';

export interface AuditRecord {
  action: AuditAction;
  outcome?: 'success' | 'failure';
  actor: string | null;
  target?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  action?: string;
  outcome?: string;
  actor?: string;
  target?: string;
  from?: string;
  to?: string;
  page?: string;
  pageSize?: string;
}

/**
 * The audit log: sign-ins (success and failure), account, key, rule and alert
 * changes. Written in the same transaction as the change when there is one, so
 * a change is never without its entry. Never holds a password, token or key.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(private readonly db: DataSource) {}

  async record(r: AuditRecord, m: EntityManager = this.db.manager): Promise<void> {
    await m.query('INSERT INTO audit_log (action, outcome, actor, target, ip, details) VALUES ($1, $2, $3, $4, $5, $6)', [
      r.action,
      r.outcome ?? 'success',
      r.actor === null ? null : r.actor.slice(0, 100),
      r.target ?? null,
      r.ip ?? null,
      JSON.stringify(r.details ?? {}),
    ]);
    if (r.outcome === 'failure') this.logger.warn(`${r.action} refused for ${r.actor ?? 'unknown'}${r.ip ? ` from ${r.ip}` : ''}: ${typeof r.details?.reason === 'string' ? r.details.reason : JSON.stringify(r.details?.reason ?? '')}`);
  }

  async list(q: AuditQuery): Promise<AuditListResponse> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => `$${args.push(v)}`;
    if (q.action !== undefined) {
      const list = q.action.split(',');
      // A prefix such as "auth" selects every auth.* action.
      const bad = list.filter((a) => !AUDIT_ACTIONS.some((x) => x === a || x.startsWith(`${a}.`)));
      if (bad.length) throw badRequest(`action must be among ${AUDIT_ACTIONS.join(', ')} (or a prefix such as auth), got "${bad.join(',')}"`);
      where.push(`(action = ANY(${arg(list)}) OR split_part(action, '.', 1) = ANY(${arg(list)}))`);
    }
    if (q.outcome !== undefined) {
      if (q.outcome !== 'success' && q.outcome !== 'failure') throw badRequest(`outcome must be success or failure, got "${q.outcome}"`);
      where.push(`outcome = ${arg(q.outcome)}`);
    }
    if (q.actor !== undefined) where.push(`lower(actor) = lower(${arg(q.actor)})`);
    if (q.target !== undefined) where.push(`target = ${arg(q.target)}`);
    for (const [name, v] of [['from', q.from], ['to', q.to]] as const) {
      if (v !== undefined && !isLocalDate(v)) throw badRequest(`${name} must be a date YYYY-MM-DD (Asia/Ho_Chi_Minh), got "${v}"`);
    }
    if (q.from) where.push(`at >= ${arg(new Date(startOfLocalDate(q.from)))}`);
    if (q.to) where.push(`at < ${arg(new Date(startOfLocalDate(q.to) + DAY_MS))}`);
    const page = positive(q.page, 'page', 1, 1_000_000);
    const pageSize = positive(q.pageSize, 'pageSize', 50, 500);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = (await this.db.query(`SELECT count(*)::int AS total FROM audit_log ${filter}`, args)) as { total: number }[];
    const rows = (await this.db.query(`SELECT * FROM audit_log ${filter} ORDER BY at DESC, id DESC LIMIT ${arg(pageSize)} OFFSET ${arg((page - 1) * pageSize)}`, args)) as (Omit<AuditEntry, 'at'> & { at: Date })[];
    const items: AuditEntry[] = rows.map((r) => ({ ...r, id: String(r.id), at: r.at.toISOString() }));
    return { total, page, pageSize, items };
  }
}
