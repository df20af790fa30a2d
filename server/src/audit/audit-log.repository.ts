import type { EntityManager } from 'typeorm';
import type { Queryable } from '../database/queryable.js';
import { AuditLogEntry } from './audit-log-entry.entity.js';

/** What an entry says; `at` and `id` are the database's. */
export type AuditLogFields = Pick<AuditLogEntry, 'action' | 'outcome' | 'actor' | 'target' | 'ip' | 'details'>;

/** Which entries a page of the log holds: every condition given must hold. */
export interface AuditLogFilter {
  /** Actions, or prefixes such as `auth` (every `auth.*`). */
  actions?: string[];
  outcome?: 'success' | 'failure';
  /** Username, whatever its case. */
  actor?: string;
  target?: string;
  from?: Date;
  /** Exclusive. */
  before?: Date;
}

const entries = (m: EntityManager) => m.getRepository(AuditLogEntry);

/**
 * Appends an entry on `q`: the transaction of the change it records, the DataSource,
 * or a pg client of what runs outside the server.
 */
export async function appendAuditEntry(q: Queryable, e: AuditLogFields): Promise<void> {
  await q.query('INSERT INTO audit_log (action, outcome, actor, target, ip, details) VALUES ($1, $2, $3, $4, $5, $6)', [e.action, e.outcome, e.actor, e.target, e.ip, JSON.stringify(e.details)]);
}

/** A page of the entries that match `f`, newest first, and how many match in all. */
export async function auditLogPage(m: EntityManager, f: AuditLogFilter, limit: number, offset: number): Promise<{ total: number; rows: AuditLogEntry[] }> {
  const q = entries(m).createQueryBuilder('e');
  if (f.actions !== undefined) q.andWhere(`(e.action = ANY(:actions) OR split_part(e.action, '.', 1) = ANY(:actions))`, { actions: f.actions });
  if (f.outcome !== undefined) q.andWhere('e.outcome = :outcome', { outcome: f.outcome });
  if (f.actor !== undefined) q.andWhere('lower(e.actor) = lower(:actor)', { actor: f.actor });
  if (f.target !== undefined) q.andWhere('e.target = :target', { target: f.target });
  if (f.from !== undefined) q.andWhere('e.at >= :from', { from: f.from });
  if (f.before !== undefined) q.andWhere('e.at < :before', { before: f.before });
  const total = await q.getCount();
  const rows = await q.orderBy('e.at', 'DESC').addOrderBy('e.id', 'DESC').limit(limit).offset(offset).getMany();
  return { total, rows };
}
