import type { Role } from '@ioc/shared';
import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An account: table `app_user` as migrations 1763971200000-auth made it (they own
 * the schema; this maps it). Usernames are unique whatever their case (index
 * app_user_username on lower(username)), so they are looked up with lower().
 */
@Entity('app_user')
@Check('app_user_role_check', `role IN ('admin', 'leader', 'operator', 'commune_chair')`)
export class User {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'app_user_pkey' })
  id!: string;

  @Column('text')
  username!: string;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  @Column('text')
  role!: Role;

  /** `nation`, `province:<code>` or `commune:<code>`. */
  @Column('text')
  scope!: string;

  /** argon2id. */
  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Column('boolean', { default: true })
  active!: boolean;

  /** One of the demo accounts (demo mode). */
  @Column('boolean', { default: false })
  demo!: boolean;

  /** Wrong passwords since the last sign-in or lockout. */
  @Column('int', { name: 'failed_attempts', default: 0 })
  failedAttempts!: number;

  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil!: Date | null;

  @Column('timestamptz', { name: 'last_sign_in_at', nullable: true })
  lastSignInAt!: Date | null;

  @Column('timestamptz', { name: 'password_changed_at', default: () => 'now()' })
  passwordChangedAt!: Date;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
