import type { DeliveryStatus, MessageKind, NotificationRecipient, Severity, WebhookPayload } from '@ioc/shared';
import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../auth/user.entity.js';

/*
 * The notification tables as migrations 1765008000000-notifications and
 * 1765872000000-assignment-notices made them (they own the schema; these map it).
 * Ids of bigserial columns are read as strings. Names of channels and groups are
 * unique whatever their case (indexes on lower(name)), so they are compared with lower().
 * notification_escalation, keyed by an alert, is read and written by escalations.ts.
 */

/** Where messages go: an email sender, or a webhook with the secret its requests are signed with. */
@Entity('notification_channel')
@Check('notification_channel_kind_check', `kind IN ('email', 'webhook')`)
export class NotificationChannel {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'notification_channel_pkey' })
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: 'email' | 'webhook';

  @Column('boolean', { default: true })
  enabled!: boolean;

  /** `{from}` of an email channel, `{url}` of a webhook. */
  @Column('jsonb', { default: () => "'{}'" })
  config!: { from?: string | null; url?: string };

  @Column('text', { nullable: true })
  secret!: string | null;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity('notification_group')
export class NotificationGroup {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'notification_group_pkey' })
  id!: string;

  @Column('text')
  name!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}

@Entity('notification_group_member')
export class NotificationGroupMember {
  @PrimaryColumn('bigint', { name: 'group_id', primaryKeyConstraintName: 'notification_group_member_pkey' })
  @ForeignKey(() => NotificationGroup, { name: 'notification_group_member_group_id_fkey', onDelete: 'CASCADE' })
  groupId!: string;

  @PrimaryColumn('uuid', { name: 'user_id', primaryKeyConstraintName: 'notification_group_member_pkey' })
  @ForeignKey(() => User, { name: 'notification_group_member_user_id_fkey', onDelete: 'CASCADE' })
  userId!: string;
}

/** An account's email address. */
@Entity('notification_contact')
export class NotificationContact {
  @PrimaryColumn('uuid', { name: 'user_id', primaryKeyConstraintName: 'notification_contact_pkey' })
  @ForeignKey(() => User, { name: 'notification_contact_user_id_fkey', onDelete: 'CASCADE' })
  userId!: string;

  @Column('text')
  email!: string;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}

/** Who hears of which alerts on which channel: one account or one group. */
@Entity('notification_subscription')
@Check('notification_subscription_min_severity_check', `min_severity IN ('critical', 'major', 'minor', 'warning')`)
@Check('notification_subscription_check', '(user_id IS NULL) <> (group_id IS NULL)')
@Check('notification_subscription_check1', '(quiet_start IS NULL) = (quiet_end IS NULL)')
export class NotificationSubscription {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'notification_subscription_pkey' })
  id!: string;

  @Column('text')
  name!: string;

  @Column('bigint', { name: 'channel_id' })
  @ForeignKey(() => NotificationChannel, { name: 'notification_subscription_channel_id_fkey', onDelete: 'CASCADE' })
  channelId!: string;

  @Column('uuid', { name: 'user_id', nullable: true })
  @ForeignKey(() => User, { name: 'notification_subscription_user_id_fkey', onDelete: 'CASCADE' })
  userId!: string | null;

  @Column('bigint', { name: 'group_id', nullable: true })
  @ForeignKey(() => NotificationGroup, { name: 'notification_subscription_group_id_fkey', onDelete: 'CASCADE' })
  groupId!: string | null;

  @Column('text')
  scope!: string;

  @Column('text', { name: 'min_severity' })
  minSeverity!: Severity;

  @Column('text', { name: 'rule_id', nullable: true })
  ruleId!: string | null;

  /** Quiet hours, HH:MM local, both or neither. */
  @Column('text', { name: 'quiet_start', nullable: true })
  quietStart!: string | null;

  @Column('text', { name: 'quiet_end', nullable: true })
  quietEnd!: string | null;

  @Column('boolean', { name: 'notify_resolved', default: true })
  notifyResolved!: boolean;

  @Column('boolean', { default: true })
  enabled!: boolean;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}

/** The escalation policy: one row (id 1). */
@Entity('notification_escalation_policy')
@Check('notification_escalation_policy_id_check', 'id = 1')
export class EscalationPolicyRow {
  @PrimaryColumn('int', { primaryKeyConstraintName: 'notification_escalation_policy_pkey' })
  id!: number;

  /** Working minutes before an unacknowledged alert escalates, per severity (null: never). */
  @Column('jsonb', { name: 'after_minutes' })
  afterMinutes!: Record<Severity, number | null>;

  @Column('bigint', { name: 'channel_ids', array: true, default: () => "'{}'" })
  channelIds!: string[];

  @Column('text', { name: 'updated_by', nullable: true })
  updatedBy!: string | null;

  @Column('timestamptz', { name: 'updated_at', nullable: true })
  updatedAt!: Date | null;
}

/** A message to one channel, and its delivery state: a row of `notification`. */
@Entity('notification')
@Unique('notification_delivery_id_key', ['deliveryId'])
@Check('notification_kind_check', `kind IN ('fired', 'raised', 'resolved', 'escalation', 'assigned', 'test')`)
@Check('notification_status_check', `status IN ('queued', 'sent', 'failed', 'dead_letter')`)
// Indexes (created_at DESC, id DESC), (next_attempt_at) of queued rows and GIN (province_codes): the migration's, which TypeORM leaves alone.
@Index('notification_created', { synchronize: false })
@Index('notification_due', { synchronize: false })
@Index('notification_provinces', { synchronize: false })
export class Notification {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'notification_pkey' })
  id!: string;

  /** The id receivers see (webhook header, mail header), the same on every attempt. */
  @Column('uuid', { name: 'delivery_id' })
  deliveryId!: string;

  @Column('text')
  kind!: MessageKind;

  /** Null once the channel is deleted. */
  @Column('bigint', { name: 'channel_id', nullable: true })
  @ForeignKey(() => NotificationChannel, { name: 'notification_channel_id_fkey', onDelete: 'SET NULL' })
  channelId!: string | null;

  @Column('text', { name: 'channel_name' })
  channelName!: string;

  @Column('text', { name: 'channel_kind' })
  channelKind!: 'email' | 'webhook';

  @Column('text', { name: 'rule_id', nullable: true })
  ruleId!: string | null;

  @Column('timestamptz', { name: 'tick_at', nullable: true })
  tickAt!: Date | null;

  @Column('bigint', { name: 'alert_ids', array: true, default: () => "'{}'" })
  alertIds!: string[];

  @Column('text', { name: 'province_codes', array: true, default: () => "'{}'" })
  provinceCodes!: string[];

  @Column('jsonb')
  recipients!: NotificationRecipient[];

  @Column('text')
  subject!: string;

  /** Rendered when queued, so every attempt sends the same. */
  @Column('jsonb')
  body!: { text: string; payload: WebhookPayload };

  @Column('text')
  status!: DeliveryStatus;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  /** Quiet hours: not sent before. */
  @Column('timestamptz', { name: 'held_until', nullable: true })
  heldUntil!: Date | null;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt!: Date | null;
}

/** One attempt to deliver a message. */
@Entity('notification_attempt')
// Index (notification_id, id): the migration's, which TypeORM leaves alone.
@Index('notification_attempt_of', { synchronize: false })
export class NotificationAttempt {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'notification_attempt_pkey' })
  id!: string;

  @Column('bigint', { name: 'notification_id' })
  @ForeignKey(() => Notification, { name: 'notification_attempt_notification_id_fkey', onDelete: 'CASCADE' })
  notificationId!: string;

  @Column('timestamptz')
  at!: Date;

  @Column('boolean')
  ok!: boolean;

  @Column('text', { nullable: true })
  detail!: string | null;
}

/** How far the alert trail has been turned into messages: one row (id 1). */
@Entity('notification_cursor')
@Check('notification_cursor_id_check', 'id = 1')
export class NotificationCursor {
  @PrimaryColumn('int', { primaryKeyConstraintName: 'notification_cursor_pkey' })
  id!: number;

  @Column('bigint', { name: 'alert_event_id' })
  alertEventId!: string;

  /** The demo's channel, contacts and subscription were set up (once per database). */
  @Column('boolean', { name: 'demo_seeded', default: false })
  demoSeeded!: boolean;
}
