import { Injectable, Logger } from '@nestjs/common';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditListResponse, DAY_MS, isLocalDate, startOfLocalDate } from '@ioc/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { badRequest } from '../common/app-error.js';
import { positive } from '../common/validation.js';
import type { AuditLogEntry } from './audit-log-entry.entity.js';
import { type AuditLogFilter, appendAuditEntry, auditLogPage } from './audit-log.repository.js';

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
    await appendAuditEntry(m, {
      action: r.action,
      outcome: r.outcome ?? 'success',
      actor: r.actor === null ? null : r.actor.slice(0, 100),
      target: r.target ?? null,
      ip: r.ip ?? null,
      details: r.details ?? {},
    });
    if (r.outcome === 'failure')
      this.logger.warn(
        `${r.action} refused for ${r.actor ?? 'unknown'}${r.ip ? ` from ${r.ip}` : ''}: ${typeof r.details?.reason === 'string' ? r.details.reason : JSON.stringify(r.details?.reason ?? '')}`,
      );
  }

  async list(q: AuditQuery): Promise<AuditListResponse> {
    const f: AuditLogFilter = {};
    if (q.action !== undefined) {
      const list = q.action.split(',');
      // A prefix such as "auth" selects every auth.* action.
      const bad = list.filter((a) => !AUDIT_ACTIONS.some((x) => x === a || x.startsWith(`${a}.`)));
      if (bad.length) throw badRequest(`action must be among ${AUDIT_ACTIONS.join(', ')} (or a prefix such as auth), got "${bad.join(',')}"`);
      f.actions = list;
    }
    if (q.outcome !== undefined) {
      if (q.outcome !== 'success' && q.outcome !== 'failure') throw badRequest(`outcome must be success or failure, got "${q.outcome}"`);
      f.outcome = q.outcome;
    }
    if (q.actor !== undefined) f.actor = q.actor;
    if (q.target !== undefined) f.target = q.target;
    for (const [name, v] of [
      ['from', q.from],
      ['to', q.to],
    ] as const) {
      if (v !== undefined && !isLocalDate(v)) throw badRequest(`${name} must be a date YYYY-MM-DD (Asia/Ho_Chi_Minh), got "${v}"`);
    }
    if (q.from) f.from = new Date(startOfLocalDate(q.from));
    if (q.to) f.before = new Date(startOfLocalDate(q.to) + DAY_MS);
    const page = positive(q.page, 'page', 1, 1_000_000);
    const pageSize = positive(q.pageSize, 'pageSize', 50, 500);
    const { total, rows } = await auditLogPage(this.db.manager, f, pageSize, (page - 1) * pageSize);
    return { total, page, pageSize, items: rows.map(entryOf) };
  }
}

/** An entry as GET /audit documents it (AuditEntry), field by field. */
function entryOf(r: AuditLogEntry): AuditEntry {
  return {
    id: String(r.id),
    at: r.at.toISOString(),
    action: r.action,
    outcome: r.outcome,
    actor: r.actor,
    target: r.target,
    ip: r.ip,
    details: r.details,
  };
}
