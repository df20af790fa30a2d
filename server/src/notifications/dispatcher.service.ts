import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  type MessageKind,
  type NotificationRecipient,
  SEVERITY_VI,
  type Severity,
  type UnitRef,
  type WebhookAlert,
  can,
  quietHoursEnd,
  severityRank,
  within,
  workingMinutesBetween,
} from '@ioc/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { inTransaction } from '../common/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { ChangeFeed } from '../ingest/change-feed.js';
import { UnitsService } from '../units/units.service.js';
import { type AlertTransition, advanceDispatchCursor, dispatchCursor, transitionsAfter } from './alert-trail.js';
import { type ChannelRef, enabledChannels, firstEmailChannel } from './channels.repository.js';
import { type Person, activeLeaders, activePerson } from './contacts.repository.js';
import { queueMessage } from './deliveries.repository.js';
import { DeliveryWorker } from './delivery.service.js';
import { escalatedToLastLevel, openEscalations, startEscalations, stopEscalation } from './escalations.js';
import { type RenderedMessage, renderAlerts, ruleUnit } from './messages.js';
import { NotificationPolicies } from './policies.service.js';
import { activeSubscriptions, channelsSubscribedBy, subscriptionRecipients } from './subscriptions.repository.js';

/** Transitions read per pass: a backlog after a long stop is worked off over several passes. */
const BATCH = 20_000;

interface Item {
  alertId: string;
  unit: UnitRef;
  /** Severity the message reports, and for `raised` the one before. */
  severity: Severity;
  before: Severity | null;
  alert: WebhookAlert;
}

interface Bucket {
  kind: Exclude<MessageKind, 'test'>;
  ruleId: string;
  at: number;
  channelId: string;
  channelName: string;
  channelKind: 'email' | 'webhook';
  holdUntil: number | null;
  items: Item[];
  people: Map<string, Person>;
  waitedMinutes?: number;
  assignment?: { by: string; note: string | null };
}

export interface DispatchResult {
  transitions: number;
  messages: number;
  escalated: number;
  stopped: number;
}

const KIND: Record<string, Exclude<MessageKind, 'test' | 'escalation'> | undefined> = { fired: 'fired', escalated: 'raised', cleared: 'resolved' };

/**
 * Turns the alert engine's transitions into messages. It reads them from the alert trail
 * (alert_event rows the engine writes, actor 'system') after a cursor, so the engine itself
 * is not touched and no transition is lost across restarts: the engine's evaluations run
 * one at a time under an advisory lock, so their event ids grow in commit order and a
 * cursor is safe. Transitions of one rule in one tick become one message per channel
 * (and per set of alerts a recipient may read). Also runs the escalation of alerts
 * nobody acknowledged, and then the delivery of due messages.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Notifications');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private again = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly policies: NotificationPolicies,
    private readonly audit: AuditService,
    private readonly worker: DeliveryWorker,
    private readonly changes: ChangeFeed,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.notifications.pollMs;
    if (every <= 0) return;
    this.timer = setInterval(() => this.kick(), every);
    this.timer.unref();
    // The engine announces the units whose alerts changed after each evaluation (and the
    // alert API after an acknowledgement): look at once rather than at the next poll.
    this.unsubscribe = this.changes.subscribe(() => this.kick());
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.running;
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.tick()
      .catch((e: unknown) => this.log.warn(`notification pass failed: ${(e as Error).message}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** One pass at `now`: new transitions into messages, escalations, then every due message sent. */
  async tick(now = Date.now()): Promise<DispatchResult & { sent: number; failed: number }> {
    const d = await this.dispatch(now);
    const e = await this.escalate(now);
    const w = await this.worker.deliverDue(now);
    return { ...d, escalated: e.escalated, stopped: e.stopped, messages: d.messages + e.messages, sent: w.sent, failed: w.failed };
  }

  /** Reads the transitions after the cursor and queues their messages, in one transaction. */
  async dispatch(now = Date.now()): Promise<DispatchResult> {
    return inTransaction(this.db, async (m) => {
      const cursor = await dispatchCursor(m);
      // Another process holds the cursor: it is dispatching these very transitions.
      if (cursor === null) return { transitions: 0, messages: 0, escalated: 0, stopped: 0 };
      const events = await transitionsAfter(m, cursor, BATCH);
      if (events.length === 0) return { transitions: 0, messages: 0, escalated: 0, stopped: 0 };
      const groups = new Map<string, { kind: Exclude<MessageKind, 'test' | 'escalation'>; ruleId: string; at: number; items: Item[] }>();
      const fired: { alertId: string; startedAt: Date }[] = [];
      const assigned: AlertTransition[] = [];
      for (const e of events) {
        if (e.action === 'assigned') {
          assigned.push(e);
          continue;
        }
        const kind = KIND[e.action];
        if (!kind) continue;
        if (kind === 'fired') fired.push({ alertId: e.alertId, startedAt: e.at });
        const severity = (kind === 'resolved' ? (e.fromState?.severity ?? e.toState?.severity) : e.toState?.severity) ?? 'warning';
        const item = this.item(e, severity, kind === 'raised' ? (e.fromState?.severity ?? null) : null);
        if (!item) continue;
        const key = `${e.ruleId}|${e.at.getTime()}|${kind}`;
        const g = groups.get(key) ?? { kind, ruleId: e.ruleId, at: e.at.getTime(), items: [] };
        g.items.push(item);
        groups.set(key, g);
      }
      const subs = await activeSubscriptions(m);
      const people = subs.length
        ? await subscriptionRecipients(
            m,
            subs.map((s) => s.id),
          )
        : new Map<string, Person[]>();
      const buckets = new Map<string, Bucket>();
      for (const g of groups.values()) {
        for (const s of subs) {
          if (s.ruleId !== null && s.ruleId !== g.ruleId) continue;
          if (g.kind === 'resolved' && !s.notifyResolved) continue;
          const scope = this.units.refOf(s.scope);
          const min = severityRank(s.minSeverity);
          const matching = g.items.filter((x) => within(x.unit, scope) && severityRank(x.severity) >= min && (g.kind !== 'raised' || severityRank(x.before) < min));
          if (matching.length === 0) continue;
          const hold = s.quietStart && s.quietEnd ? quietHoursEnd(g.at, { start: s.quietStart, end: s.quietEnd }) : null;
          for (const person of people.get(s.id) ?? []) {
            const ref = this.units.refOf(person.scope);
            // Each person gets only the alerts their role and scope let them read.
            const visible = matching.filter((x) => can({ role: person.role, scope: ref }, 'alerts', x.unit));
            if (visible.length === 0) continue;
            const key = `${g.kind}|${g.ruleId}|${g.at}|${s.channelId}|${hold ?? ''}|${visible.map((x) => x.alertId).join(',')}`;
            const b = buckets.get(key) ?? {
              kind: g.kind,
              ruleId: g.ruleId,
              at: g.at,
              channelId: s.channelId,
              channelName: s.channelName,
              channelKind: s.channelKind,
              holdUntil: hold,
              items: visible,
              people: new Map<string, Person>(),
            };
            b.people.set(person.id, person);
            buckets.set(key, b);
          }
        }
      }
      for (const b of buckets.values()) await this.queue(m, b, now);
      const told = await this.tellAssignees(m, assigned, now);
      // Escalation is tracked only while the policy has somewhere to send it.
      if (fired.length && (await this.policies.escalationPolicy(m)).channelIds.length > 0) await startEscalations(m, fired);
      await advanceDispatchCursor(m, events[events.length - 1]!.eventId);
      return { transitions: events.length, messages: buckets.size + told, escalated: 0, stopped: 0 };
    });
  }

  /**
   * Alerts still active and unacknowledged after their severity's working minutes go to
   * the next level: the leaders of the alert's province (the nation's leaders when the
   * province has none). An acknowledgement, or the alert clearing, stops it. Each step is
   * written to the audit log.
   */
  async escalate(now = Date.now()): Promise<{ escalated: number; stopped: number; messages: number }> {
    return inTransaction(this.db, async (m) => {
      const policy = await this.policies.escalationPolicy(m);
      const open = await openEscalations(m);
      let stopped = 0;
      const due: (typeof open)[number][] = [];
      const waited = new Map<string, number>();
      for (const a of open) {
        const reason = a.acknowledgedAt ? 'acknowledged' : a.status === 'cleared' ? 'cleared' : null;
        if (reason) {
          stopped++;
          await stopEscalation(m, a.alertId, new Date(now), reason);
          await this.audit.record(
            {
              action: 'notification.escalation_stop',
              actor: 'system',
              target: `alert:${a.alertId}`,
              details: { reason, level: 0, rule: a.ruleId, unit: a.unitCode, ...(a.acknowledgedBy ? { acknowledgedBy: a.acknowledgedBy } : {}) },
            },
            m,
          );
          continue;
        }
        const after = policy.afterMinutes[a.severity];
        if (after === null || policy.channelIds.length === 0) continue;
        const minutes = workingMinutesBetween(this.config.alerts.calendar, a.firedAt.getTime(), now);
        if (minutes < after) continue;
        waited.set(a.alertId, minutes);
        due.push(a);
      }
      if (due.length === 0) return { escalated: 0, stopped, messages: 0 };
      const leaders = await activeLeaders(m);
      const channels = await enabledChannels(m, policy.channelIds);
      // Alerts of one rule and province escalating together make one message.
      const byGroup = new Map<string, (typeof due)[number][]>();
      for (const a of due) byGroup.set(`${a.ruleId}|${a.provinceCode}`, [...(byGroup.get(`${a.ruleId}|${a.provinceCode}`) ?? []), a]);
      let messages = 0;
      for (const list of byGroup.values()) {
        const province = list[0]!.provinceCode;
        const own = leaders.filter((l) => l.scope === `province:${province}`);
        const reached = own.length ? own : leaders.filter((l) => l.scope === 'nation');
        const items = list
          .map((a) =>
            this.item(
              { alertId: a.alertId, ruleId: a.ruleId, unitCode: a.unitCode, provinceCode: a.provinceCode, firedAt: a.firedAt, clearedAt: a.clearedAt, details: { value: a.lastValue ?? a.firedValue } },
              a.severity,
              null,
            ),
          )
          .filter((x): x is Item => x !== null);
        for (const ch of channels) {
          if (reached.length === 0) continue;
          await this.queue(
            m,
            {
              kind: 'escalation',
              ruleId: list[0]!.ruleId,
              at: now,
              channelId: ch.id,
              channelName: ch.name,
              channelKind: ch.kind,
              holdUntil: null,
              items,
              people: new Map(reached.map((p) => [p.id, p])),
              waitedMinutes: Math.min(...list.map((a) => waited.get(a.alertId) ?? 0)),
            },
            now,
          );
          messages++;
        }
        for (const a of list) {
          await escalatedToLastLevel(m, a.alertId, new Date(now));
          await this.audit.record(
            {
              action: 'notification.escalate',
              actor: 'system',
              target: `alert:${a.alertId}`,
              details: {
                from: 'operator',
                to: 'leader',
                level: 1,
                rule: a.ruleId,
                unit: a.unitCode,
                severity: a.severity,
                workingMinutes: waited.get(a.alertId),
                afterMinutes: policy.afterMinutes[a.severity],
                leaders: reached.map((l) => l.username),
                channels: channels.map((c) => c.name),
              },
            },
            m,
          );
        }
      }
      return { escalated: due.length, stopped, messages };
    });
  }

  /**
   * The person an alert was just assigned to hears it on the channels of their own
   * subscriptions (as a person or through a group), or, when they have none, on the first
   * enabled email channel; not held by quiet hours, since someone chose to assign it now.
   * Answers the number of messages queued.
   */
  private async tellAssignees(m: EntityManager, assigned: AlertTransition[], now: number): Promise<number> {
    let queued = 0;
    for (const e of assigned) {
      const username = e.toState?.assignee;
      if (!username) continue;
      const person = await activePerson(m, username);
      const item = person && this.item(e, e.severity, null);
      if (!person || !item) continue;
      let channels: ChannelRef[] = await channelsSubscribedBy(m, person.id);
      if (channels.length === 0) {
        const first = await firstEmailChannel(m);
        channels = first ? [first] : [];
      }
      for (const ch of channels) {
        await this.queue(
          m,
          {
            kind: 'assigned',
            ruleId: e.ruleId,
            at: e.at.getTime(),
            channelId: ch.id,
            channelName: ch.name,
            channelKind: ch.kind,
            holdUntil: null,
            items: [item],
            people: new Map([[person.id, person]]),
            assignment: { by: e.actor, note: e.note },
          },
          now,
        );
        queued++;
      }
    }
    return queued;
  }

  /** Queues one message for a channel: rendered now, so each retry sends the very same content. */
  private async queue(m: EntityManager, b: Bucket, now: number): Promise<void> {
    const deliveryId = randomUUID();
    const recipients: NotificationRecipient[] = [...b.people.values()].map((p) => ({ username: p.username, displayName: p.displayName, role: p.role, email: p.email }));
    const msg: RenderedMessage = renderAlerts({
      kind: b.kind,
      deliveryId,
      createdAt: now,
      ruleId: b.ruleId,
      at: b.at,
      alerts: b.items.map((x) => x.alert),
      recipients,
      ...(b.waitedMinutes !== undefined ? { waitedMinutes: b.waitedMinutes } : {}),
      ...(b.assignment ? { assignment: b.assignment } : {}),
    });
    const due = b.holdUntil !== null && b.holdUntil > now ? b.holdUntil : now;
    await queueMessage(m, {
      deliveryId,
      kind: b.kind,
      channelId: b.channelId,
      channelName: b.channelName,
      channelKind: b.channelKind,
      ruleId: b.ruleId,
      tickAt: new Date(b.at),
      alertIds: b.items.map((x) => x.alertId),
      provinceCodes: [...new Set(b.items.map((x) => x.alert.provinceCode))].sort(),
      recipients,
      subject: msg.subject,
      body: { text: msg.text, payload: msg.payload },
      heldUntil: due > now ? new Date(due) : null,
      nextAttemptAt: new Date(due),
      createdAt: new Date(now),
    });
  }

  private item(e: Pick<AlertTransition, 'alertId' | 'ruleId' | 'unitCode' | 'provinceCode' | 'firedAt' | 'clearedAt' | 'details'>, severity: Severity, before: Severity | null): Item | null {
    // A unit no longer in the reference data cannot be named nor checked: left out.
    if (e.unitCode.length === 2 ? !this.units.hasProvince(e.unitCode) : !this.units.hasCommune(e.unitCode)) return null;
    const unit = this.units.unitRef(e.unitCode);
    return {
      alertId: String(e.alertId),
      unit,
      severity,
      before,
      alert: {
        id: String(e.alertId),
        unitCode: e.unitCode,
        unitName: e.unitCode.length === 2 ? this.units.province(e.unitCode).fullName : this.units.commune(e.unitCode).fullName,
        provinceCode: e.provinceCode,
        provinceName: this.units.province(e.provinceCode).fullName,
        severity,
        severityVi: SEVERITY_VI[severity],
        value: typeof e.details?.value === 'number' ? e.details.value : null,
        unit: ruleUnit(e.ruleId),
        firedAt: e.firedAt.toISOString(),
        clearedAt: e.clearedAt?.toISOString() ?? null,
      },
    };
  }
}
