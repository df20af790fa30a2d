import { Injectable } from '@nestjs/common';
import {
  type EventResult,
  type IngestEvent,
  type IngestResponse,
  MAX_EVENTS_PER_BATCH,
  eventSubjectId,
  eventUnitCode,
  isFeedbackEvent,
  isFeedbackEventType,
  parseIngestEvent,
  within,
} from '@ioc/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppError, ErrorCode, badRequest } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import type { IngestSource } from '../auth/auth.types.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { UnitsService } from '../units/units.service.js';
import { ChangeFeed } from './change-feed.js';
import { waitForProjection } from './projection-state.js';
import type pg from 'pg';
import { type AcceptedEvent, type LogRow, appendRows, eventFingerprint, ingestEventFromLog, lockLogForAppend, lookUpForAppend, payloadOf, storedEventSource, storedRows } from './event-log.js';
import { GroupCommitWriter, type StoreOutcome, type Submission, conflictReason, sameEvent } from './group-commit.js';

/** A valid event on its way to the store, with the key that sent it. */
interface Submitted extends AcceptedEvent<IngestEvent>, Submission {
  index: number;
  source: IngestSource;
}

/** Longest an ingest request with `?wait=projected` waits for the figures. */
const WAIT_PROJECTED_MS = 10_000;

/** A valid event on its way to the store; its fingerprint is computed only if its id turns out to be taken. */
function submitted(index: number, event: IngestEvent, at: number, unit: string, source: IngestSource): Submitted {
  let fingerprint: string | null = null;
  return {
    index,
    event,
    at,
    unit,
    source,
    eventId: event.eventId,
    sourceId: source.keyId,
    get fingerprint() {
      return (fingerprint ??= eventFingerprint(event, at, unit));
    },
  };
}

/** Events of a legacy row without a recorded key are compared by content alone. */
const UNKNOWN_SOURCE = '';

/**
 * The ingest path: validates each event on its own, then in one transaction
 * appends the new events to the raw log (idempotent on eventId, with the key
 * that sent each). The answer is sent once the transaction committed, so an
 * accepted event is durable; the projector folds it into dossier state and the
 * rollups right after (see server/src/projection). A source touches only
 * dossiers of units inside its key's scope, and an eventId taken by another
 * source or by other content is a conflict.
 */
@Injectable()
export class IngestService {
  private readonly writer = new GroupCommitWriter<Submitted>((events) => this.store(events));

  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly changes: ChangeFeed,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /** Validates the envelope `{ events: [...] }` of a request body. */
  static eventsOf(body: unknown): unknown[] {
    if (body === null || typeof body !== 'object' || Array.isArray(body) || !('events' in body)) {
      throw badRequest('The body must be a JSON object {"events": [...]}.');
    }
    const events = (body as { events: unknown }).events;
    if (!Array.isArray(events)) throw badRequest('"events" must be an array of events.');
    if (events.length === 0) throw badRequest('"events" is empty: send between 1 and 5000 events.');
    if (events.length > MAX_EVENTS_PER_BATCH) {
      throw new AppError(ErrorCode.PayloadTooLarge, `A batch may hold at most ${MAX_EVENTS_PER_BATCH} events; this one has ${events.length}. Split it into smaller batches.`);
    }
    const extra = Object.keys(body).filter((k) => k !== 'events');
    if (extra.length > 0) throw badRequest(`Unknown field(s) in the body: ${extra.join(', ')}. The body is {"events": [...]}.`);
    return events;
  }

  /** Validates and stores a batch from `source`; events for units outside the source's scope are rejected one by one. */
  async ingest(raw: readonly unknown[], source: IngestSource, now = Date.now()): Promise<IngestResponse> {
    const results = new Array<EventResult>(raw.length);
    const valid: Submitted[] = [];
    const seen = new Map<string, Submitted>();
    raw.forEach((item, index) => {
      const p = parseIngestEvent(item, now);
      if (!p.ok) {
        results[index] = { index, eventId: p.eventId, status: 'rejected', reason: p.reason };
        return;
      }
      const eventId = p.event.eventId;
      const unit = eventUnitCode(p.event);
      if (p.event.communeCode !== undefined && !this.units.hasCommune(unit)) {
        results[index] = { index, eventId, status: 'rejected', reason: `communeCode ${unit} is not a known commune (2025 codes)` };
        return;
      }
      if (p.event.provinceCode !== undefined && !this.units.hasProvince(unit)) {
        results[index] = { index, eventId, status: 'rejected', reason: `provinceCode ${unit} is not a known province (2025 codes)` };
        return;
      }
      const ref = this.units.unitRef(unit);
      if (!within(ref, source.scope)) {
        results[index] = {
          index,
          eventId,
          status: 'rejected',
          reason: `this key (${source.name}) may only send events of ${this.units.scopeName(source.scope)}; ${this.units.scopeName(ref)} is outside it`,
        };
        return;
      }
      const s = submitted(index, p.event, p.occurredAtMs, unit, source);
      const earlier = seen.get(eventId);
      if (earlier) {
        results[index] = sameEvent(earlier, s)
          ? { index, eventId, status: 'duplicate' }
          : { index, eventId, status: 'conflict', reason: `${conflictReason(earlier, s)} (the id appears twice in this batch)` };
        return;
      }
      seen.set(eventId, s);
      valid.push(s);
    });

    let position: number | null = null;
    if (valid.length > 0) {
      const outcomes = await this.writer.submit(valid);
      for (const v of valid) {
        const o = outcomes.get(v.eventId) ?? { status: 'duplicate' };
        if (o.status === 'accepted') {
          results[v.index] = { index: v.index, eventId: v.eventId, status: 'accepted' };
          if (position === null || o.position > position) position = o.position;
        } else results[v.index] = { index: v.index, eventId: v.eventId, ...o };
      }
    }
    const count = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 };
    for (const res of results) count[res.status]++;
    this.metrics.countIngest({ accepted: count.accepted, duplicates: count.duplicate, conflicts: count.conflict, rejected: count.rejected });
    await this.auditRefusals(source, results);
    return { accepted: count.accepted, duplicates: count.duplicate, conflicts: count.conflict, rejected: count.rejected, position, results };
  }

  /** Waits (up to 10 s) until the figures include the log up to `position`. */
  waitProjected(position: number): Promise<boolean> {
    return waitForProjection(this.db, position, WAIT_PROJECTED_MS);
  }

  /** Events that tried to take another source's eventId or dossier leave a trace in the audit log (one entry per request). */
  private async auditRefusals(source: IngestSource, results: readonly EventResult[]): Promise<void> {
    const conflicts = results.filter((r) => r.status === 'conflict');
    const foreign = results.filter((r) => r.status === 'rejected' && FOREIGN_DOSSIER.test(r.reason ?? ''));
    if (conflicts.length === 0 && foreign.length === 0) return;
    await this.audit
      .record({
        action: 'ingest.refused',
        outcome: 'failure',
        actor: `key:${source.name}`,
        target: `key:${source.keyId}`,
        details: {
          reason: `${conflicts.length} eventId conflict(s), ${foreign.length} event(s) for dossiers outside the key's scope`,
          conflicts: conflicts.slice(0, 20).map((r) => r.eventId),
          foreignDossiers: foreign.slice(0, 20).map((r) => r.eventId),
        },
      })
      .catch(() => undefined);
  }

  /** The stored event with the key that sent it, for administrators tracing where a figure came from. */
  async provenance(eventId: string): Promise<StoredEventSource | null> {
    const r = await storedEventSource(this.db, eventId);
    if (!r) return null;
    return {
      eventId: r.event_id,
      type: r.type,
      occurredAt: r.occurred_at.toISOString(),
      ingestedAt: r.ingested_at.toISOString(),
      // A feedback event's subject is its feedback item (the log keeps it in the dossier column).
      ...(isFeedbackEventType(r.type) ? { feedbackId: r.dossier_id } : { dossierId: r.dossier_id }),
      unitCode: r.unit_code,
      source: r.key_id === null ? null : { keyId: r.key_id, name: r.key_name ?? '', prefix: r.key_prefix ?? '', scope: r.key_scope ?? '' },
    };
  }

  /**
   * Stores a group of events with distinct eventIds in one transaction, holding the log's
   * append lock: events for a dossier of a unit outside their key's scope are rejected,
   * new ones are appended to the log (a new dossier is claimed for the unit of its first
   * event), and ids already in the log are a duplicate (same source, same content) or a
   * conflict. The projector folds the new rows into the figures afterwards.
   */
  private async store(batch: readonly Submitted[]): Promise<Map<string, StoreOutcome>> {
    const out = new Map<string, StoreOutcome>();
    let appended = 0;
    const dossierIds = [...new Set(batch.map((b) => ownerKey(b.event)))];
    const eventIds = batch.map((b) => b.eventId);
    await inTransaction(this.db, async (m) => {
      out.clear();
      appended = 0;
      await lockLogForAppend(m);
      const { owners: home, taken: takenIds } = await lookUpForAppend(m, dossierIds, eventIds);
      const allowed: Submitted[] = [];
      const claims = new Map<string, string>();
      for (const b of batch) {
        const key = ownerKey(b.event);
        const unit = home.get(key) ?? claims.get(key);
        const owner = unit === undefined ? null : this.units.unitRef(unit);
        if (owner !== null && !within(owner, b.source.scope)) {
          const what = isFeedbackEvent(b.event) ? `feedback ${b.event.feedbackId}` : `dossier ${b.event.dossierId}`;
          out.set(b.eventId, {
            status: 'rejected',
            reason: `${what} belongs to ${this.units.scopeName(owner)}, outside this key's scope (${this.units.scopeName(b.source.scope)}); nothing was stored`,
          });
          continue;
        }
        // A new dossier (or feedback item) belongs to the unit of its first event.
        if (unit === undefined) claims.set(key, b.unit);
        allowed.push(b);
      }
      if (allowed.length === 0) return;
      const fresh: Submitted[] = [];
      const taken: Submitted[] = [];
      for (const b of allowed) (takenIds.has(b.eventId) ? taken : fresh).push(b);
      // Only the claims of events that are stored now: a dossier whose first event here was a duplicate keeps no claim.
      const claimed = new Map<string, string>();
      for (const b of fresh) {
        const claim = claims.get(ownerKey(b.event));
        if (claim !== undefined) claimed.set(ownerKey(b.event), claim);
      }
      const positions = await appendRows(await clientOf(m), fresh.map(logRow), claimed);
      fresh.forEach((b, i) => out.set(b.eventId, { status: 'accepted', position: positions[i]! }));
      appended = fresh.length;
      if (taken.length > 0) {
        const stored = await storedRows(
          m,
          taken.map((b) => b.eventId),
        );
        // Ids whose month of the log was dropped (RAW_LOG_RETENTION_MONTHS): accepted once, and in the figures.
        for (const b of taken) {
          const s = stored.get(b.eventId);
          if (s === undefined) {
            out.set(b.eventId, { status: 'duplicate' });
            continue;
          }
          const sourceId = s.key_id ?? UNKNOWN_SOURCE;
          const was = { sourceId, fingerprint: eventFingerprint(ingestEventFromLog(s), s.occurred_at.getTime(), s.unit_code) };
          const same = sourceId === UNKNOWN_SOURCE ? was.fingerprint === b.fingerprint : sameEvent({ ...was, eventId: b.eventId }, b);
          out.set(b.eventId, same ? { status: 'duplicate' } : { status: 'conflict', reason: conflictReason(was, b) });
        }
      }
    });
    // Durable in the log: the projector folds the new rows into the figures.
    if (appended > 0) this.changes.appended();
    return out;
  }
}

/**
 * The key a record is claimed under in dossier_owner: its dossierId, or for a feedback item
 * its feedbackId behind a prefix no dossierId can take (ids are trimmed, so none starts with
 * a space): feedback and dossiers are claimed alike, in their own namespaces.
 */
function ownerKey(e: IngestEvent): string {
  return isFeedbackEvent(e) ? ` feedback ${e.feedbackId}` : e.dossierId;
}

/** The pg client under a transaction's EntityManager, for COPY. */
async function clientOf(m: EntityManager): Promise<pg.PoolClient> {
  if (!m.queryRunner) throw new Error("COPY needs the transaction's own connection");
  return (await m.queryRunner.connect()) as pg.PoolClient;
}

function logRow(v: Submitted): LogRow {
  return {
    eventId: v.eventId,
    dossierId: eventSubjectId(v.event),
    unit: v.unit,
    type: v.event.type,
    occurredAt: v.event.occurredAt,
    payload: JSON.stringify(payloadOf(v.event)),
    keyId: v.source.keyId,
  };
}

/** The reason given for an event whose dossier belongs to a unit outside the key's scope (and no other reason). */
const FOREIGN_DOSSIER = /^dossier .* belongs to .*, outside this key's scope/;

export interface StoredEventSource {
  eventId: string;
  type: string;
  occurredAt: string;
  ingestedAt: string;
  /** The dossier of a dossier event or record… */
  dossierId?: string;
  /** …or the feedback item of a feedback event. */
  feedbackId?: string;
  unitCode: string;
  /** The ingest key that sent it; null for events stored before keys were recorded. */
  source: { keyId: string; name: string; prefix: string; scope: string } | null;
}
