import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  type MessageKind,
  type NotificationRecipient,
  type Role,
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
import type { AlertRow } from '../alerts/alert-row.js';
import { DeliveryWorker } from './delivery.service.js';
import { type RenderedMessage, renderAlerts, ruleUnit } from './messages.js';
import { NotificationPolicies } from './policies.service.js';

/** Transitions read per pass: a backlog after a long stop is worked off over several passes. */
const BATCH = 20_000;

interface EventRow {
  event_id: string;
  alert_id: string;
  at: Date;
  action: 'fired' | 'escalated' | 'deescalated' | 'cleared' | 'assigned';
  actor: string;
  note: string | null;
  /** The alert's severity now (an assignment carries none of its own). */
  severity: Severity;
  from_state: { severity?: Severity } | null;
  to_state: { severity?: Severity; assignee?: string } | null;
  details: { value?: number | null } | null;
  rule_id: string;
  unit_code: string;
  province_code: string;
  fired_at: Date;
  cleared_at: Date | null;
}

interface SubRow {
  id: string;
  channel_id: string;
  channel_name: string;
  channel_kind: 'email' | 'webhook';
  user_id: string | null;
  group_id: string | null;
  scope: string;
  min_severity: Severity;
  rule_id: string | null;
  quiet_start: string | null;
  quiet_end: string | null;
  notify_resolved: boolean;
}

interface Person {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  scope: string;
  email: string | null;
}

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
      const [cursor] = (await m.query('SELECT alert_event_id FROM notification_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED')) as { alert_event_id: string }[];
      // Another process holds the cursor: it is dispatching these very transitions.
      if (!cursor) return { transitions: 0, messages: 0, escalated: 0, stopped: 0 };
      const events = (await m.query(
        `SELECT e.id AS event_id, e.alert_id, e.at, e.action, e.actor, e.note, e.from_state, e.to_state, e.details,
                a.rule_id, a.unit_code, a.province_code, a.fired_at, a.cleared_at, a.severity
           FROM alert_event e JOIN alert a ON a.id = e.alert_id
          WHERE e.id > $1 AND (e.actor = 'system' OR e.action = 'assigned')
          ORDER BY e.id LIMIT ${BATCH}`,
        [cursor.alert_event_id],
      )) as EventRow[];
      if (events.length === 0) return { transitions: 0, messages: 0, escalated: 0, stopped: 0 };
      const groups = new Map<string, { kind: Exclude<MessageKind, 'test' | 'escalation'>; ruleId: string; at: number; items: Item[] }>();
      const fired: { alert_id: string; started_at: string }[] = [];
      const assigned: EventRow[] = [];
      for (const e of events) {
        if (e.action === 'assigned') {
          assigned.push(e);
          continue;
        }
        const kind = KIND[e.action];
        if (!kind) continue;
        if (kind === 'fired') fired.push({ alert_id: e.alert_id, started_at: e.at.toISOString() });
        const severity = (kind === 'resolved' ? (e.from_state?.severity ?? e.to_state?.severity) : e.to_state?.severity) ?? 'warning';
        const item = this.item(e, severity, kind === 'raised' ? (e.from_state?.severity ?? null) : null);
        if (!item) continue;
        const key = `${e.rule_id}|${e.at.getTime()}|${kind}`;
        const g = groups.get(key) ?? { kind, ruleId: e.rule_id, at: e.at.getTime(), items: [] };
        g.items.push(item);
        groups.set(key, g);
      }
      const subs = (await m.query(
        `SELECT s.id, s.channel_id, c.name AS channel_name, c.kind AS channel_kind, s.user_id, s.group_id, s.scope, s.min_severity, s.rule_id,
                s.quiet_start, s.quiet_end, s.notify_resolved
           FROM notification_subscription s JOIN notification_channel c ON c.id = s.channel_id
          WHERE s.enabled AND c.enabled`,
      )) as SubRow[];
      const people = subs.length ? await this.recipients(m, subs) : new Map<string, Person[]>();
      const buckets = new Map<string, Bucket>();
      for (const g of groups.values()) {
        for (const s of subs) {
          if (s.rule_id !== null && s.rule_id !== g.ruleId) continue;
          if (g.kind === 'resolved' && !s.notify_resolved) continue;
          const scope = this.units.refOf(s.scope);
          const min = severityRank(s.min_severity);
          const matching = g.items.filter(
            (x) => within(x.unit, scope) && severityRank(x.severity) >= min && (g.kind !== 'raised' || severityRank(x.before) < min),
          );
          if (matching.length === 0) continue;
          const hold = s.quiet_start && s.quiet_end ? quietHoursEnd(g.at, { start: s.quiet_start, end: s.quiet_end }) : null;
          for (const person of people.get(s.id) ?? []) {
            const ref = this.units.refOf(person.scope);
            // Each person gets only the alerts their role and scope let them read.
            const visible = matching.filter((x) => can({ role: person.role, scope: ref }, 'alerts', x.unit));
            if (visible.length === 0) continue;
            const key = `${g.kind}|${g.ruleId}|${g.at}|${s.channel_id}|${hold ?? ''}|${visible.map((x) => x.alertId).join(',')}`;
            const b = buckets.get(key) ?? {
              kind: g.kind,
              ruleId: g.ruleId,
              at: g.at,
              channelId: s.channel_id,
              channelName: s.channel_name,
              channelKind: s.channel_kind,
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
      if (fired.length && (await this.policies.escalationPolicy(m)).channelIds.length > 0) {
        await m.query(
          `INSERT INTO notification_escalation (alert_id, started_at)
           SELECT alert_id, started_at FROM json_to_recordset($1::json) AS x(alert_id bigint, started_at timestamptz)
           ON CONFLICT (alert_id) DO NOTHING`,
          [JSON.stringify(fired)],
        );
      }
      await m.query('UPDATE notification_cursor SET alert_event_id = $1 WHERE id = 1', [events[events.length - 1]!.event_id]);
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
      const open = (await m.query(
        `SELECT e.alert_id, e.started_at, a.rule_id, a.unit_code, a.province_code, a.severity, a.status, a.fired_at, a.cleared_at,
                a.acknowledged_at, a.acknowledged_by, a.last_value, a.fired_value
           FROM notification_escalation e JOIN alert a ON a.id = e.alert_id
          WHERE e.stopped_at IS NULL
          ORDER BY e.alert_id
          FOR UPDATE OF e SKIP LOCKED`,
      )) as (Pick<AlertRow, 'rule_id' | 'unit_code' | 'province_code' | 'severity' | 'status' | 'fired_at' | 'cleared_at' | 'acknowledged_at' | 'acknowledged_by' | 'last_value' | 'fired_value'> & {
        alert_id: string;
      })[];
      let stopped = 0;
      const due: (typeof open)[number][] = [];
      const waited = new Map<string, number>();
      for (const a of open) {
        const reason = a.acknowledged_at ? 'acknowledged' : a.status === 'cleared' ? 'cleared' : null;
        if (reason) {
          stopped++;
          await m.query('UPDATE notification_escalation SET stopped_at = $2, stop_reason = $3 WHERE alert_id = $1', [a.alert_id, new Date(now), reason]);
          await this.audit.record(
            {
              action: 'notification.escalation_stop',
              actor: 'system',
              target: `alert:${a.alert_id}`,
              details: { reason, level: 0, rule: a.rule_id, unit: a.unit_code, ...(a.acknowledged_by ? { acknowledgedBy: a.acknowledged_by } : {}) },
            },
            m,
          );
          continue;
        }
        const after = policy.afterMinutes[a.severity];
        if (after === null || policy.channelIds.length === 0) continue;
        const minutes = workingMinutesBetween(this.config.alerts.calendar, a.fired_at.getTime(), now);
        if (minutes < after) continue;
        waited.set(a.alert_id, minutes);
        due.push(a);
      }
      if (due.length === 0) return { escalated: 0, stopped, messages: 0 };
      const leaders = (await m.query(
        `SELECT u.id, u.username, u.display_name, u.role, u.scope, c.email FROM app_user u LEFT JOIN notification_contact c ON c.user_id = u.id
          WHERE u.active AND u.role = 'leader' ORDER BY u.username`,
      )) as Person[];
      const channels = (await m.query('SELECT id, name, kind FROM notification_channel WHERE id = ANY($1::bigint[]) AND enabled ORDER BY id', [policy.channelIds])) as {
        id: string;
        name: string;
        kind: 'email' | 'webhook';
      }[];
      // Alerts of one rule and province escalating together make one message.
      const byGroup = new Map<string, (typeof due)[number][]>();
      for (const a of due) byGroup.set(`${a.rule_id}|${a.province_code}`, [...(byGroup.get(`${a.rule_id}|${a.province_code}`) ?? []), a]);
      let messages = 0;
      for (const list of byGroup.values()) {
        const province = list[0]!.province_code;
        const own = leaders.filter((l) => l.scope === `province:${province}`);
        const reached = own.length ? own : leaders.filter((l) => l.scope === 'nation');
        const items = list
          .map((a) =>
            this.item(
              { alert_id: a.alert_id, rule_id: a.rule_id, unit_code: a.unit_code, province_code: a.province_code, fired_at: a.fired_at, cleared_at: a.cleared_at, details: { value: a.last_value ?? a.fired_value } },
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
              ruleId: list[0]!.rule_id,
              at: now,
              channelId: ch.id,
              channelName: ch.name,
              channelKind: ch.kind,
              holdUntil: null,
              items,
              people: new Map(reached.map((p) => [p.id, p])),
              waitedMinutes: Math.min(...list.map((a) => waited.get(a.alert_id) ?? 0)),
            },
            now,
          );
          messages++;
        }
        for (const a of list) {
          await m.query('UPDATE notification_escalation SET level = 1, escalated_at = $2, stopped_at = $2, stop_reason = $3 WHERE alert_id = $1', [
            a.alert_id,
            new Date(now),
            'last_level',
          ]);
          await this.audit.record(
            {
              action: 'notification.escalate',
              actor: 'system',
              target: `alert:${a.alert_id}`,
              details: {
                from: 'operator',
                to: 'leader',
                level: 1,
                rule: a.rule_id,
                unit: a.unit_code,
                severity: a.severity,
                workingMinutes: waited.get(a.alert_id),
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
  private async tellAssignees(m: EntityManager, assigned: EventRow[], now: number): Promise<number> {
    let queued = 0;
    for (const e of assigned) {
      const username = e.to_state?.assignee;
      if (!username) continue;
      const [person] = (await m.query(
        `SELECT u.id, u.username, u.display_name, u.role, u.scope, c.email FROM app_user u LEFT JOIN notification_contact c ON c.user_id = u.id
          WHERE u.active AND u.username = $1`,
        [username],
      )) as Person[];
      const item = person && this.item(e, e.severity, null);
      if (!person || !item) continue;
      let channels = (await m.query(
        `SELECT DISTINCT c.id, c.name, c.kind FROM notification_subscription s
           JOIN notification_channel c ON c.id = s.channel_id
           LEFT JOIN notification_group_member g ON g.group_id = s.group_id
          WHERE s.enabled AND c.enabled AND (s.user_id = $1 OR g.user_id = $1)
          ORDER BY c.id`,
        [person.id],
      )) as { id: string; name: string; kind: 'email' | 'webhook' }[];
      if (channels.length === 0) channels = (await m.query(`SELECT id, name, kind FROM notification_channel WHERE enabled AND kind = 'email' ORDER BY id LIMIT 1`)) as typeof channels;
      for (const ch of channels) {
        await this.queue(
          m,
          {
            kind: 'assigned',
            ruleId: e.rule_id,
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
    const recipients: NotificationRecipient[] = [...b.people.values()].map((p) => ({ username: p.username, displayName: p.display_name, role: p.role, email: p.email }));
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
    await m.query(
      `INSERT INTO notification (delivery_id, kind, channel_id, channel_name, channel_kind, rule_id, tick_at, alert_ids, province_codes, recipients, subject, body, status,
                                 held_until, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'queued', $13, $14, $15)`,
      [
        deliveryId,
        b.kind,
        b.channelId,
        b.channelName,
        b.channelKind,
        b.ruleId,
        new Date(b.at),
        b.items.map((x) => x.alertId),
        [...new Set(b.items.map((x) => x.alert.provinceCode))].sort(),
        JSON.stringify(recipients),
        msg.subject,
        JSON.stringify({ text: msg.text, payload: msg.payload }),
        due > now ? new Date(due) : null,
        new Date(due),
        new Date(now),
      ],
    );
  }

  private item(
    e: Pick<EventRow, 'alert_id' | 'rule_id' | 'unit_code' | 'province_code' | 'fired_at' | 'cleared_at'> & { details: { value?: number | null } | null },
    severity: Severity,
    before: Severity | null,
  ): Item | null {
    // A unit no longer in the reference data cannot be named nor checked: left out.
    if (e.unit_code.length === 2 ? !this.units.hasProvince(e.unit_code) : !this.units.hasCommune(e.unit_code)) return null;
    const unit = this.units.unitRef(e.unit_code);
    return {
      alertId: String(e.alert_id),
      unit,
      severity,
      before,
      alert: {
        id: String(e.alert_id),
        unitCode: e.unit_code,
        unitName: e.unit_code.length === 2 ? this.units.province(e.unit_code).fullName : this.units.commune(e.unit_code).fullName,
        provinceCode: e.province_code,
        provinceName: this.units.province(e.province_code).fullName,
        severity,
        severityVi: SEVERITY_VI[severity],
        value: typeof e.details?.value === 'number' ? e.details.value : null,
        unit: ruleUnit(e.rule_id),
        firedAt: e.fired_at.toISOString(),
        clearedAt: e.cleared_at?.toISOString() ?? null,
      },
    };
  }

  /** The people each subscription reaches: its account, or its group's members; active accounts only. */
  private async recipients(m: EntityManager, subs: SubRow[]): Promise<Map<string, Person[]>> {
    const rows = (await m.query(
      `SELECT s.id AS sub_id, u.id, u.username, u.display_name, u.role, u.scope, c.email
         FROM notification_subscription s
         LEFT JOIN notification_group_member g ON g.group_id = s.group_id
         JOIN app_user u ON u.id = coalesce(s.user_id, g.user_id)
         LEFT JOIN notification_contact c ON c.user_id = u.id
        WHERE s.id = ANY($1::bigint[]) AND u.active`,
      [subs.map((s) => s.id)],
    )) as (Person & { sub_id: string })[];
    const out = new Map<string, Person[]>();
    for (const r of rows) out.set(String(r.sub_id), [...(out.get(String(r.sub_id)) ?? []), r]);
    return out;
  }
}
