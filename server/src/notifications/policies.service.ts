import { Injectable } from '@nestjs/common';
import {
  type EscalationPolicy,
  type NotificationChannel,
  type NotificationContact,
  type NotificationGroup,
  type NotificationSubscription,
  type RecipientRef,
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
import { type Account, userRef } from '../auth/users.repository.js';
import { AuditService } from '../audit/audit.service.js';
import { UnitsService } from '../units/units.service.js';
import { channelById, channelExists, channelNameTaken, deleteChannel, insertChannel, listChannels, updateChannel } from './channels.repository.js';
import { activePeople, setEmail } from './contacts.repository.js';
import { dropChannelFromPolicy, escalationPolicyRow, saveEscalationPolicy } from './escalations.js';
import { deleteGroup, groupExists, groupMembers, groupNameTaken, insertGroup, listGroups, renameGroup, setGroupMembers } from './groups.repository.js';
import type { NotificationChannel as ChannelRow, NotificationSubscription as SubscriptionRow } from './notification.entities.js';
import { deleteSubscription, insertSubscription, listSubscriptions, subscriptionById, updateSubscription } from './subscriptions.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An account as a recipient is checked against. */
export type UserRef = Account & { active: boolean };

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
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function subscriptionOf(r: SubscriptionRow): NotificationSubscription {
  return {
    id: String(r.id),
    name: r.name,
    channelId: String(r.channelId),
    recipient: r.userId ? { kind: 'user', userId: r.userId } : { kind: 'group', groupId: String(r.groupId) },
    scope: r.scope,
    minSeverity: r.minSeverity,
    ruleId: r.ruleId,
    quietHours: r.quietStart && r.quietEnd ? { start: r.quietStart, end: r.quietEnd } : null,
    notifyResolved: r.notifyResolved,
    enabled: r.enabled,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
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
    return (await listChannels(this.db.manager)).map(channelOf);
  }

  async channelRow(channelId: string, m: EntityManager = this.db.manager): Promise<ChannelRow> {
    const row = await channelById(m, checkId(channelId, 'channel'));
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
      throw badRequest("url and secret are for webhook channels; an email channel sends through the server's SMTP_URL");
    }
    const config = b.kind === 'email' ? { from: b.from ?? null } : { url: b.url };
    const row = await inTransaction(this.db, async (m) => {
      await this.uniqueName(m, 'channel', b.name, null);
      const r = await insertChannel(m, { name: b.name, kind: b.kind, enabled: b.enabled ?? true, config, secret: b.secret ?? null, createdBy: p.username });
      await this.audit.record({ action: 'notification.channel_create', actor: p.username, target: `channel:${r.id}`, ip: client.ip, details: { name: b.name, kind: b.kind } }, m);
      return r;
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
      if (b.name !== undefined) await this.uniqueName(m, 'channel', b.name, cur.id);
      const config = { ...cur.config, ...(b.from !== undefined ? { from: b.from } : {}), ...(b.url !== undefined ? { url: b.url } : {}) };
      const r = await updateChannel(m, cur.id, { name: b.name ?? cur.name, enabled: b.enabled ?? cur.enabled, config, secret: b.secret ?? cur.secret });
      // Which fields changed, never their secret values.
      const changed = Object.keys(b);
      await this.audit.record(
        { action: 'notification.channel_update', actor: p.username, target: `channel:${cur.id}`, ip: client.ip, details: { changed, ...(b.enabled !== undefined ? { enabled: b.enabled } : {}) } },
        m,
      );
      return r;
    });
    return channelOf(row);
  }

  async deleteChannel(channelId: string, p: AuthedPrincipal, client: Client): Promise<void> {
    await inTransaction(this.db, async (m) => {
      const cur = await this.channelRow(channelId, m);
      await deleteChannel(m, cur.id);
      await dropChannelFromPolicy(m, cur.id);
      await this.audit.record({ action: 'notification.channel_delete', actor: p.username, target: `channel:${cur.id}`, ip: client.ip, details: { name: cur.name, kind: cur.kind } }, m);
    });
  }

  // Contacts: the email address of each account.

  async contacts(): Promise<NotificationContact[]> {
    const rows = await activePeople(this.db);
    return rows.map((r) => ({ userId: r.id, username: r.username, displayName: r.displayName, role: r.role, scope: r.scope, email: r.email }));
  }

  async setContact(userId: string, body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationContact> {
    const b = parseBody(contactBodySchema, body);
    const user = await this.user(userId, 'user');
    await inTransaction(this.db, async (m) => {
      await setEmail(m, user.id, b.email);
      await this.audit.record({ action: 'notification.contact_set', actor: p.username, target: `user:${user.id}`, ip: client.ip, details: { email: b.email } }, m);
    });
    return { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, scope: user.scope, email: b.email };
  }

  // Groups

  async groups(): Promise<NotificationGroup[]> {
    const groups = await listGroups(this.db.manager);
    const members = await groupMembers(this.db);
    return groups.map((g) => ({
      id: String(g.id),
      name: g.name,
      members: members.filter((x) => String(x.groupId) === String(g.id)).map((x) => ({ userId: x.userId, username: x.username, displayName: x.displayName })),
    }));
  }

  async createGroup(body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationGroup> {
    const b = parseBody(groupCreateBodySchema, body);
    for (const u of b.members) await this.user(u, 'members');
    const groupId = await inTransaction(this.db, async (m) => {
      await this.uniqueName(m, 'group', b.name, null);
      const id = await insertGroup(m, b.name);
      await setGroupMembers(m, id, b.members);
      await this.audit.record({ action: 'notification.group_create', actor: p.username, target: `group:${id}`, ip: client.ip, details: { name: b.name, members: b.members.length } }, m);
      return String(id);
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
        await this.uniqueName(m, 'group', b.name, groupId);
        await renameGroup(m, groupId, b.name);
      }
      if (b.members) await setGroupMembers(m, groupId, b.members);
      await this.audit.record({ action: 'notification.group_update', actor: p.username, target: `group:${groupId}`, ip: client.ip, details: { changed: Object.keys(b) } }, m);
    });
    return this.group(groupId);
  }

  async deleteGroup(groupId: string, p: AuthedPrincipal, client: Client): Promise<void> {
    const g = await this.group(groupId);
    await inTransaction(this.db, async (m) => {
      await deleteGroup(m, g.id);
      await this.audit.record({ action: 'notification.group_delete', actor: p.username, target: `group:${g.id}`, ip: client.ip, details: { name: g.name } }, m);
    });
  }

  private async group(groupId: string): Promise<NotificationGroup> {
    checkId(groupId, 'group');
    const g = (await this.groups()).find((x) => x.id === groupId);
    if (!g) throw notFound(`no notification group ${groupId}`);
    return g;
  }

  // Subscriptions

  async subscriptions(): Promise<NotificationSubscription[]> {
    return (await listSubscriptions(this.db.manager)).map(subscriptionOf);
  }

  async createSubscription(body: unknown, p: AuthedPrincipal, client: Client): Promise<NotificationSubscription> {
    const b = parseBody(subscriptionCreateBodySchema, body);
    const scope = await this.checkSubscription(b.channelId, b.recipient, b.scope, b.quietHours ?? null);
    const row = await inTransaction(this.db, async (m) => {
      const r = await insertSubscription(m, {
        name: b.name ?? `${scope} ≥ ${b.minSeverity ?? 'warning'}`,
        channelId: b.channelId,
        userId: b.recipient.kind === 'user' ? b.recipient.userId : null,
        groupId: b.recipient.kind === 'group' ? b.recipient.groupId : null,
        scope,
        minSeverity: b.minSeverity ?? 'warning',
        ruleId: b.ruleId ?? null,
        quietStart: b.quietHours?.start ?? null,
        quietEnd: b.quietHours?.end ?? null,
        notifyResolved: b.notifyResolved ?? true,
        enabled: b.enabled ?? true,
        createdBy: p.username,
      });
      await this.audit.record(
        { action: 'notification.subscription_create', actor: p.username, target: `subscription:${r.id}`, ip: client.ip, details: { ...subscriptionOf(r), createdAt: undefined, updatedAt: undefined } },
        m,
      );
      return r;
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
      const r = await updateSubscription(m, cur.id, {
        name: next.name,
        channelId: next.channelId,
        userId: next.recipient.kind === 'user' ? next.recipient.userId : null,
        groupId: next.recipient.kind === 'group' ? next.recipient.groupId : null,
        scope,
        minSeverity: next.minSeverity,
        ruleId: next.ruleId,
        quietStart: next.quietHours?.start ?? null,
        quietEnd: next.quietHours?.end ?? null,
        notifyResolved: next.notifyResolved,
        enabled: next.enabled,
      });
      await this.audit.record({ action: 'notification.subscription_update', actor: p.username, target: `subscription:${cur.id}`, ip: client.ip, details: { set: b } }, m);
      return r;
    });
    return subscriptionOf(row);
  }

  async deleteSubscription(subId: string, p: AuthedPrincipal, client: Client): Promise<void> {
    const cur = await this.subscriptionRow(subId);
    await inTransaction(this.db, async (m) => {
      await deleteSubscription(m, cur.id);
      await this.audit.record({ action: 'notification.subscription_delete', actor: p.username, target: `subscription:${cur.id}`, ip: client.ip, details: { name: cur.name } }, m);
    });
  }

  private async subscriptionRow(subId: string): Promise<SubscriptionRow> {
    const row = await subscriptionById(this.db.manager, checkId(subId, 'subscription'));
    if (!row) throw notFound(`no notification subscription ${subId}`);
    return row;
  }

  /** The channel, the recipient and the scope must exist, and one person must be allowed to read the alerts subscribed to. */
  private async checkSubscription(channelId: string, r: RecipientRef, scopeText: string, quiet: { start: string; end: string } | null): Promise<string> {
    if (!(await channelExists(this.db.manager, channelId))) throw badRequest(`channelId: no notification channel ${channelId}`);
    const unit = this.units.refOf(scopeText, 'scope');
    if (quiet && quiet.start === quiet.end) throw badRequest('quietHours: start and end are the same time; give a range such as 22:00–06:30, or null for none');
    if (r.kind === 'user') {
      const u = await this.user(r.userId, 'recipient.userId');
      const ref = this.units.refOf(u.scope);
      if (!can({ role: u.role, scope: ref }, 'alerts', unit)) {
        throw badRequest(`scope: ${u.username} (${u.role}, ${u.scope}) may not read the alerts of ${this.units.scopeName(unit)}; subscribe them to their own scope or a unit within it`);
      }
    } else {
      if (!(await groupExists(this.db.manager, r.groupId))) throw badRequest(`recipient.groupId: no notification group ${r.groupId}`);
    }
    return formatScope(unit as UnitRef);
  }

  async user(userId: string, field: string): Promise<UserRef> {
    if (!UUID.test(userId)) throw badRequest(`${field}: "${userId}" is not an account id (UUID)`);
    const u = await userRef(this.db.manager, userId);
    if (!u) throw field === 'user' ? notFound(`no account ${userId}`) : badRequest(`${field}: no account ${userId}`);
    return u;
  }

  // Escalation

  async escalationPolicy(m: EntityManager = this.db.manager): Promise<EscalationPolicy> {
    const r = await escalationPolicyRow(m);
    return {
      afterMinutes: Object.fromEntries(SEVERITIES.map((s) => [s, r?.afterMinutes[s] ?? null])) as Record<Severity, number | null>,
      channelIds: (r?.channelIds ?? []).map(String),
      updatedBy: r?.updatedBy ?? null,
      updatedAt: r?.updatedAt?.toISOString() ?? null,
    };
  }

  async setEscalationPolicy(body: unknown, p: AuthedPrincipal, client: Client): Promise<EscalationPolicy> {
    const b = parseBody(escalationPolicyBodySchema, body);
    if (b.afterMinutes === undefined && b.channelIds === undefined) throw badRequest('nothing to change: send afterMinutes ({critical: 30, …}) or channelIds');
    for (const c of b.channelIds ?? []) {
      if (!(await channelExists(this.db.manager, c))) throw badRequest(`channelIds: no notification channel ${c}`);
    }
    await inTransaction(this.db, async (m) => {
      const cur = await this.escalationPolicy(m);
      const after = { ...cur.afterMinutes, ...Object.fromEntries(Object.entries(b.afterMinutes ?? {}).filter(([, v]) => v !== undefined)) };
      const channels = b.channelIds ? [...new Set(b.channelIds)] : cur.channelIds;
      await saveEscalationPolicy(m, { afterMinutes: after, channelIds: channels, updatedBy: p.username });
      await this.audit.record({ action: 'notification.escalation_policy', actor: p.username, target: 'escalation-policy', ip: client.ip, details: { afterMinutes: after, channelIds: channels } }, m);
    });
    return this.escalationPolicy();
  }

  private async uniqueName(m: EntityManager, what: 'channel' | 'group', value: string, except: string | null): Promise<void> {
    const taken = what === 'channel' ? await channelNameTaken(m, value, except) : await groupNameTaken(m, value, except);
    if (taken) throw conflict(`name: "${value}" is already used by another ${what}`);
  }
}
