import type { AuditAction } from '@ioc/shared';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One entry of the audit log: table `audit_log` (migration 1763971200000-auth). */
@Entity('audit_log')
@Check('audit_log_outcome_check', `outcome IN ('success', 'failure')`)
// Indexes (at DESC) and (action, at DESC): the migration's, which TypeORM leaves alone.
@Index('audit_log_at', { synchronize: false })
@Index('audit_log_action', { synchronize: false })
export class AuditLogEntry {
  /** bigserial: read as a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'audit_log_pkey' })
  id!: string;

  @Column('timestamptz', { default: () => 'now()' })
  at!: Date;

  @Column('text')
  action!: AuditAction;

  @Column('text')
  outcome!: 'success' | 'failure';

  @Column('text', { nullable: true })
  actor!: string | null;

  @Column('text', { nullable: true })
  target!: string | null;

  @Column('text', { nullable: true })
  ip!: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  details!: Record<string, unknown>;
}
