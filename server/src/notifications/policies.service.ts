import { Injectable } from '@nestjs/common';
import {
  type EscalationPolicy,
  type NotificationChannel,
  type NotificationContact,
  type NotificationGroup,
  type NotificationSubscription,
  type RecipientRef,
  type Role,
  SEVERITIES,
  type Severity,
  type UnitRef,
  can,
  formatScope,
  channelCreateBodySchema,
  channelUpdateBodySchema,
  contactBodySchema,
  escalationPolicyBodySchema,
  groupCreateBodySchema,
  groupUpdateBodySchema,
  subscriptionCreateBodySchema,
  subscriptionUpdateBodySchema,
} from '@ioc/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { badRequest, conflict, notFound } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import { parseBody } from '../common/validation.js';
import type { AuthedPrincipal, Client } from '../auth/auth.types.js';
import { AuditService } from '../audit/audit.service.js';
import { UnitsService } from '../units/units.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ChannelRow {
  id: string;
  name: string;
  kind: 'email' | 'webhook';
  enabled: boolean;
  config: { from?: string | null; url?: string };
  secret: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

interface SubscriptionRow {
  id: string;
  name: string;
  channel_id: string;
  user_id: string | null;
  group_id: string | null;
  scope: string;
  min_severity: Severity;
  rule_id: string | null;
  quiet_start: string | null;
  quiet_end: string | null;
  notify_resolved: boolean;
  enabled: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface UserRef {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  scope: string;
  active: boolean;
}

/** The password in a URL is a credential: it never goes back out. */
export function maskUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export function channelOf(r: ChannelRow): NotificationChannel {
  return {
    id: String(r.id),
    name: r.name,
    kind: r.kind,
    enabled: r.enabled,
    from: r.kind === 'email' ? (r.config.from ?? null) : null,
    url: r.kind === 'webhook' && r.config.url ? maskUrl(r.config.url) : null,
    hasSecret: r.secret !== null,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function subscriptionOf(r: SubscriptionRow): NotificationSubscription {
  return {
    id: String(r.id),
    name: r.name,
    channelId: String(r.channel_id),
    recipient: r.user_id ? { kind: 'user', userId: r.user_id } : { kind: 'group', groupId: String(r.group_id) },
    scope: r.scope,
    minSeverity: r.min_severity,
    ruleId: r.rule_id,
    quietHours: r.quiet_start && r.quiet_end ? { start: r.quiet_start, end: r.quiet_end } : null,
    notifyResolved: r.notify_resolved,
    enabled: r.enabled,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const checkId = (v: string, what: string) => {
  if (!/^\d{1,18}$/.test(v)) throw badRequest(`${what} id must be a number, got "${v}"`);
  return v;
};

/**
 * What administrators configure: channels, contacts, groups, subscriptions and the
 * escalation policy. Every change lands in the audit log in its own transaction.
 */
@Injectable()
export class NotificationPolicies {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly audit: AuditService,
  ) {}

  // Channels

  async channels(): Promise<NotificationChannel[]> {
    const rows = (await this.db.query('SELECT * FROM notification_channel ORDER BY id')) as ChannelRow[];
    return rows.map(channelOf);
  }

  async channelRow(channelId: string, m: EntityManager = this.db.manager): Promise<ChannelRow> {
    const [row] = (await m.query('SELECT * FROM notification_channel WHERE id = $1', [checkId(channelId, 'channel')])) as ChannelRow[];
    if (!row) throw notFound(`no notification channel ${channelId}`);
    return row;
  }

  async createChannel(body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationChannel> {
    const b = parseBody(channelCreateBodySchema, body);
    if (b.kind === 'webhook') {
      if (!b.url) throw badRequest('url: a webhook channel needs the address to post to');
      if (!b.secret) throw badRequest('secret: a webhook channel needs a secret of 16+ characters to sign its requests with (e.g. openssl rand -hex 32)');
      if (b.from !== undefined) throw badRequest('from: only an email channel has a sender');
    } else if (b.url !== undefined || b.secret !== undefined) {
      throw badRequest('url and secret are for webhook channels; an email channel sends through the server\'s SMTP_URL');
    }
    const config = b.kind === 'email' ? { from: b.from ?? null } : { url: b.url };
    const row = await inTransaction(this.db, async (m) => {
      await this.uniqueName(m, 'notification_channel', b.name, null);
      const [r] = (await m.query(`INSERT INTO notification_channel (name, kind, enabled, config, secret, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`, [
        b.name,
        b.kind,
        b.enabled ?? true,
        JSON.stringify(config),
        b.secret ?? null,
        p.username,
      ])) as ChannelRow[];
      await this.audit.record({ action: 'notification.channel_create', actor: p.username, target: `channel:${r!.id}`, ip: client.ip, details: { name: b.name, kind: b.kind } }, m);
      return r!;
    });
    return channelOf(row);
  }

  async updateChannel(channelId: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationChannel> {
    const b = parseBody(channelUpdateBodySchema, body);
    if (Object.keys(b).length === 0) throw badRequest('nothing to change: send name, enabled, from (email), url or secret (webhook)');
    const row = await inTransaction(this.db, async (m) => {
      const cur = await this.channelRow(channelId, m);
      if (cur.kind === 'email' && (b.url !== undefined || b.secret !== undefined)) throw badRequest('url and secret are for webhook channels');
      if (cur.kind === 'webhook' && b.from !== undefined) throw badRequest('from: only an email channel has a sender');
      if (b.name !== undefined) await this.uniqueName(m, 'notification_channel', b.name, cur.id);
      const config = { ...cur.config, ...(b.from !== undefined ? { from: b.from } : {}), ...(b.url !== undefined ? { url: b.url } : {}) };
      const [r] = (await m.query(
        `WITH u AS (UPDATE notification_channel SET name = $2, enabled = $3, config = $4, secret = $5, updated_at = now() WHERE id = $1 RETURNING *) SELECT * FROM u`,
        [cur.id, b.name ?? cur.name, b.enabled ?? cur.enabled, JSON.stringify(config), b.secret ?? cur.secret],
      )) as ChannelRow[];
      // Which fields changed, never their secret values.
      const changed = Object.keys(b);
      await this.audit.record({ action: 'notification.channel_update', actor: p.username, target: `channel:${cur.id}`, ip: client.ip, details: { changed, ...(b.enabled !== undefined ? { enabled: b.enabled } : {}) } }, m);
      return r!;
    });
    return channelOf(row);
  }

  async deleteChannel(channelId: string, p: AuthedPrincipal, client: Client): Promise<void> {
    await inTransaction(this.db, async (m) => {
      const cur = await this.channelRow(channelId, m);
      await m.query('DELETE FROM notification_channel WHERE id = $1', [cur.id]);
      await m.query('UPDATE notification_escalation_policy SET channel_ids = array_remove(channel_ids, $1::bigint)', [cur.id]);
      await this.audit.record({ action: 'notification.channel_delete', actor: p.username, target: `channel:${cur.id}`, ip: client.ip, details: { name: cur.name, kind: cur.kind } }, m);
    });
  }

  // Contacts: the email address of each account.

  async contacts(): Promise<NotificationContact[]> {
    const rows = (await this.db.query(
      `SELECT u.id, u.username, u.display_name, u.role, u.scope, c.email FROM app_user u LEFT JOIN notification_contact c ON c.user_id = u.id
        WHERE u.active ORDER BY u.role, u.scope, u.username`,
    )) as (UserRef & { email: string | null })[];
    return rows.map((r) => ({ userId: r.id, username: r.username, displayName: r.display_name, role: r.role, scope: r.scope, email: r.email }));
  }

  async setContact(userId: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationContact> {
    const b = parseBody(contactBodySchema, body);
    const user = await this.user(userId, 'user');
    await inTransaction(this.db, async (m) => {
      if (b.email === null) await m.query('DELETE FROM notification_contact WHERE user_id = $1', [user.id]);
      else {
        await m.query(
          `INSERT INTO notification_contact (user_id, email) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = now()`,
          [user.id, b.email],
        );
      }
      await this.audit.record({ action: 'notification.contact_set', actor: p.username, target: `user:${user.id}`, ip: client.ip, details: { email: b.email } }, m);
    });
    return { userId: user.id, username: user.username, displayName: user.display_name, role: user.role, scope: user.scope, email: b.email };
  }

  // Groups

  async groups(): Promise<NotificationGroup[]> {
    const groups = (await this.db.query('SELECT id, name FROM notification_group ORDER BY id')) as { id: string; name: string }[];
    const members = (await this.db.query(
      `SELECT m.group_id, u.id, u.username, u.display_name FROM notification_group_member m JOIN app_user u ON u.id = m.user_id ORDER BY u.username`,
    )) as { group_id: string; id: string; username: string; display_name: string }[];
    return groups.map((g) => ({
      id: String(g.id),
      name: g.name,
      members: members.filter((x) => String(x.group_id) === String(g.id)).map((x) => ({ userId: x.id, username: x.username, displayName: x.display_name })),
    }));
  }

  async createGroup(body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationGroup> {
    const b = parseBody(groupCreateBodySchema, body);
    for (const u of b.members) await this.user(u, 'members');
    const groupId = await inTransaction(this.db, async (m) => {
      await this.uniqueName(m, 'notification_group', b.name, null);
      const [g] = (await m.query('INSERT INTO notification_group (name) VALUES ($1) RETURNING id', [b.name])) as { id: string }[];
      await this.setMembers(m, g!.id, b.members);
      await this.audit.record({ action: 'notification.group_create', actor: p.username, target: `group:${g!.id}`, ip: client.ip, details: { name: b.name, members: b.members.length } }, m);
      return String(g!.id);
    });
    return this.group(groupId);
  }

  async updateGroup(groupId: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationGroup> {
    const b = parseBody(groupUpdateBodySchema, body);
    if (Object.keys(b).length === 0) throw badRequest('nothing to change: send name or members');
    await this.group(groupId);
    for (const u of b.members ?? []) await this.user(u, 'members');
    await inTransaction(this.db, async (m) => {
      if (b.name !== undefined) {
        await this.uniqueName(m, 'notification_group', b.name, groupId);
        await m.query('UPDATE notification_group SET name = $2 WHERE id = $1', [groupId, b.name]);
      }
      if (b.members) await this.setMembers(m, groupId, b.members);
      await this.audit.record({ action: 'notification.group_update', actor: p.username, target: `group:${groupId}`, ip: client.ip, details: { changed: Object.keys(b) } }, m);
    });
    return this.group(groupId);
  }

  async deleteGroup(groupId: string, p: AuthedPrincipal, client: Client): Promise<void> {
    const g = await this.group(groupId);
    await inTransaction(this.db, async (m) => {
      await m.query('DELETE FROM notification_group WHERE id = $1', [g.id]);
      await this.audit.record({ action: 'notification.group_delete', actor: p.username, target: `group:${g.id}`, ip: client.ip, details: { name: g.name } }, m);
    });
  }

  private async group(groupId: string): Promise<NotificationGroup> {
    checkId(groupId, 'group');
    const g = (await this.groups()).find((x) => x.id === groupId);
    if (!g) throw notFound(`no notification group ${groupId}`);
    return g;
  }

  private async setMembers(m: EntityManager, groupId: string, members: string[]): Promise<void> {
    await m.query('DELETE FROM notification_group_member WHERE group_id = $1', [groupId]);
    if (members.length) await m.query('INSERT INTO notification_group_member (group_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [groupId, [...new Set(members)]]);
  }

  // Subscriptions

  async subscriptions(): Promise<NotificationSubscription[]> {
    const rows = (await this.db.query('SELECT * FROM notification_subscription ORDER BY id')) as SubscriptionRow[];
    return rows.map(subscriptionOf);
  }

  async createSubscription(body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationSubscription> {
    const b = parseBody(subscriptionCreateBodySchema, body);
    const scope = await this.checkSubscription(b.channelId, b.recipient, b.scope, b.quietHours ?? null);
    const row = await inTransaction(this.db, async (m) => {
      const [r] = (await m.query(
        `INSERT INTO notification_subscription (name, channel_id, user_id, group_id, scope, min_severity, rule_id, quiet_start, quiet_end, notify_resolved, enabled, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
        [
          b.name ?? `${scope} ≥ ${b.minSeverity ?? 'warning'}`,
          b.channelId,
          b.recipient.kind === 'user' ? b.recipient.userId : null,
          b.recipient.kind === 'group' ? b.recipient.groupId : null,
          scope,
          b.minSeverity ?? 'warning',
          b.ruleId ?? null,
          b.quietHours?.start ?? null,
          b.quietHours?.end ?? null,
          b.notifyResolved ?? true,
          b.enabled ?? true,
          p.username,
        ],
      )) as SubscriptionRow[];
      await this.audit.record({ action: 'notification.subscription_create', actor: p.username, target: `subscription:${r!.id}`, ip: client.ip, details: { ...subscriptionOf(r!), createdAt: undefined, updatedAt: undefined } }, m);
      return r!;
    });
    return subscriptionOf(row);
  }

  async updateSubscription(subId: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationSubscription> {
    const b = parseBody(subscriptionUpdateBodySchema, body);
    if (Object.keys(b).length === 0) throw badRequest('nothing to change: send any field of a subscription');
    const cur = subscriptionOf(await this.subscriptionRow(subId));
    const next = { ...cur, ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) } as NotificationSubscription;
    const scope = await this.checkSubscription(next.channelId, next.recipient, next.scope, next.quietHours);
    const row = await inTransaction(this.db, async (m) => {
      const [r] = (await m.query(
        `WITH u AS (
           UPDATE notification_subscription SET name = $2, channel_id = $3, user_id = $4, group_id = $5, scope = $6, min_severity = $7, rule_id = $8,
                  quiet_start = $9, quiet_end = $10, notify_resolved = $11, enabled = $12, updated_at = now()
            WHERE id = $1 RETURNING *)
         SELECT * FROM u`,
        [
          cur.id,
          next.name,
          next.channelId,
          next.recipient.kind === 'user' ? next.recipient.userId : null,
          next.recipient.kind === 'group' ? next.recipient.groupId : null,
          scope,
          next.minSeverity,
          next.ruleId,
          next.quietHours?.start ?? null,
          next.quietHours?.end ?? null,
          next.notifyResolved,
          next.enabled,
        ],
      )) as SubscriptionRow[];
      await this.audit.record({ action: 'notification.subscription_update', actor: p.username, target: `subscription:${cur.id}`, ip: client.ip, details: { set: b } }, m);
      return r!;
    });
    return subscriptionOf(row);
  }

  async deleteSubscription(subId: string, p: AuthedPrincipal, client: Client): Promise<void> {
    const cur = await this.subscriptionRow(subId);
    await inTransaction(this.db, async (m) => {
      await m.query('DELETE FROM notification_subscription WHERE id = $1', [cur.id]);
      await this.audit.record({ action: 'notification.subscription_delete', actor: p.username, target: `subscription:${cur.id}`, ip: client.ip, details: { name: cur.name } }, m);
    });
  }

  private async subscriptionRow(subId: string): Promise<SubscriptionRow> {
    const [row] = (await this.db.query('SELECT * FROM notification_subscription WHERE id = $1', [checkId(subId, 'subscription')])) as SubscriptionRow[];
    if (!row) throw notFound(`no notification subscription ${subId}`);
    return row;
  }

  /** The channel, the recipient and the scope must exist, and one person must be allowed to read the alerts subscribed to. */
  private async checkSubscription(channelId: string, r: RecipientRef, scopeText: string, quiet: { start: string; end: string } | null): Promise<string> {
    const [ch] = (await this.db.query('SELECT id FROM notification_channel WHERE id = $1', [channelId])) as unknown[];
    if (!ch) throw badRequest(`channelId: no notification channel ${channelId}`);
    const unit = this.units.refOf(scopeText, 'scope');
    if (quiet && quiet.start === quiet.end) throw badRequest('quietHours: start and end are the same time; give a range such as 22:00–06:30, or null for none');
    if (r.kind === 'user') {
      const u = await this.user(r.userId, 'recipient.userId');
      const ref = this.units.refOf(u.scope);
      if (!can({ role: u.role, scope: ref }, 'alerts', unit)) {
        throw badRequest(`scope: ${u.username} (${u.role}, ${u.scope}) may not read the alerts of ${this.units.scopeName(unit)}; subscribe them to their own scope or a unit within it`);
      }
    } else {
      const [g] = (await this.db.query('SELECT id FROM notification_group WHERE id = $1', [r.groupId])) as unknown[];
      if (!g) throw badRequest(`recipient.groupId: no notification group ${r.groupId}`);
    }
    return formatScope(unit as UnitRef);
  }

  async user(userId: string, field: string): Promise<UserRef> {
    if (!UUID.test(userId)) throw badRequest(`${field}: "${userId}" is not an account id (UUID)`);
    const [u] = (await this.db.query('SELECT id, username, display_name, role, scope, active FROM app_user WHERE id = $1', [userId])) as UserRef[];
    if (!u) throw (field === 'user' ? notFound(`no account ${userId}`) : badRequest(`${field}: no account ${userId}`));
    return u;
  }

  // Escalation

  async escalationPolicy(m: EntityManager = this.db.manager): Promise<EscalationPolicy> {
    const [r] = (await m.query('SELECT * FROM notification_escalation_policy WHERE id = 1')) as {
      after_minutes: Record<Severity, number | null>;
      channel_ids: string[];
      updated_by: string | null;
      updated_at: Date | null;
    }[];
    return {
      afterMinutes: Object.fromEntries(SEVERITIES.map((s) => [s, r?.after_minutes[s] ?? null])) as Record<Severity, number | null>,
      channelIds: (r?.channel_ids ?? []).map(String),
      updatedBy: r?.updated_by ?? null,
      updatedAt: r?.updated_at?.toISOString() ?? null,
    };
  }

  async setEscalationPolicy(body: unknown, p: AuthedPrincipal, client: Client): Promise<EscalationPolicy> {
    const b = parseBody(escalationPolicyBodySchema, body);
    if (b.afterMinutes === undefined && b.channelIds === undefined) throw badRequest('nothing to change: send afterMinutes ({critical: 30, …}) or channelIds');
    for (const c of b.channelIds ?? []) {
      const [ch] = (await this.db.query('SELECT id FROM notification_channel WHERE id = $1', [c])) as unknown[];
      if (!ch) throw badRequest(`channelIds: no notification channel ${c}`);
    }
    await inTransaction(this.db, async (m) => {
      const cur = await this.escalationPolicy(m);
      const after = { ...cur.afterMinutes, ...Object.fromEntries(Object.entries(b.afterMinutes ?? {}).filter(([, v]) => v !== undefined)) };
      const channels = b.channelIds ? [...new Set(b.channelIds)] : cur.channelIds;
      await m.query(
        `INSERT INTO notification_escalation_policy (id, after_minutes, channel_ids, updated_by, updated_at) VALUES (1, $1, $2, $3, now())
         ON CONFLICT (id) DO UPDATE SET after_minutes = excluded.after_minutes, channel_ids = excluded.channel_ids, updated_by = excluded.updated_by, updated_at = now()`,
        [JSON.stringify(after), channels, p.username],
      );
      await this.audit.record({ action: 'notification.escalation_policy', actor: p.username, target: 'escalation-policy', ip: client.ip, details: { afterMinutes: after, channelIds: channels } }, m);
    });
    return this.escalationPolicy();
  }

  private async uniqueName(m: EntityManager, table: 'notification_channel' | 'notification_group', value: string, except: string | null): Promise<void> {
    const [dup] = (await m.query(`SELECT id FROM ${table} WHERE lower(name) = lower($1) AND ($2::bigint IS NULL OR id <> $2)`, [value, except])) as unknown[];
    if (dup) throw conflict(`name: "${value}" is already used by another ${table === 'notification_channel' ? 'channel' : 'group'}`);
  }
}

