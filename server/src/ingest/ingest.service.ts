import { Injectable } from '@nestjs/common';
import {
  type DossierEvent,
  type EventResult,
  type IngestResponse,
  MAX_EVENTS_PER_BATCH,
  eventUnitCode,
  parseEvent,
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
import { waitForProjection } from '../projection/projection-state.js';
import { type AcceptedEvent, type LoggedEvent, claimDossiers, dossierOwners, eventFingerprint, eventFromLog, lockLogForAppend, payloadOf } from './event-log.js';
import { GroupCommitWriter, type StoreOutcome, type Submission, conflictReason, sameEvent } from './group-commit.js';

/** A valid event on its way to the store, with the key that sent it. */
interface Submitted extends AcceptedEvent, Submission {
  index: number;
  source: IngestSource;
}

/** Longest an ingest request with `?wait=projected` waits for the figures. */
const WAIT_PROJECTED_MS = 10_000;

/** A valid event on its way to the store; its fingerprint is computed only if its id turns out to be taken. */
function submitted(index: number, event: DossierEvent, at: number, unit: string, source: IngestSource): Submitted {
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
      throw new AppError(
        ErrorCode.PayloadTooLarge,
        `A batch may hold at most ${MAX_EVENTS_PER_BATCH} events; this one has ${events.length}. Split it into smaller batches.`,
      );
    }
    const extra = Object.keys(body).filter((k) => k !== 'events');
    if (extra.length > 0) throw badRequest(`Unknown field(s) in the body: ${extra.join(', ')}. The body is {"events": [...]}.`);
    return events;
  }

  /** Validates and stores a batch from `source`; events for units outside the source's scope are rejected one by one. */
  async ingest(raw: readonly unknown[], source: IngestSource, now = Date.now()): Promise<IngestResponse> {
    const results: EventResult[] = new Array(raw.length);
    const valid: Submitted[] = [];
    const seen = new Map<string, Submitted>();
    raw.forEach((item, index) => {
      const p = parseEvent(item, now);
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
        results[index] = { index, eventId, status: 'rejected', reason: `this key (${source.name}) may only send events of ${this.units.scopeName(source.scope)}; ${this.units.scopeName(ref)} is outside it` };
        return;
      }
      const s = submitted(index, p.event, p.occurredAtMs, unit, source);
      const earlier = seen.get(eventId);
      if (earlier) {
        results[index] = sameEvent(earlier, s) ? { index, eventId, status: 'duplicate' } : { index, eventId, status: 'conflict', reason: `${conflictReason(earlier, s)} (the id appears twice in this batch)` };
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
    const rows = (await this.db.query(
      `SELECT e.event_id, e.type, e.occurred_at, e.ingested_at, e.dossier_id, e.unit_code, e.key_id, k.name AS key_name, k.prefix AS key_prefix, k.scope AS key_scope
       FROM ingest_event_key i JOIN ingest_event e ON e.seq = i.seq AND e.ingested_at = i.ingested_at
       LEFT JOIN ingest_key k ON k.id = e.key_id WHERE i.event_id = $1`,
      [eventId],
    )) as {
      event_id: string;
      type: string;
      occurred_at: Date;
      ingested_at: Date;
      dossier_id: string;
      unit_code: string;
      key_id: string | null;
      key_name: string | null;
      key_prefix: string | null;
      key_scope: string | null;
    }[];
    const r = rows[0];
    if (!r) return null;
    return {
      eventId: r.event_id,
      type: r.type,
      occurredAt: r.occurred_at.toISOString(),
      ingestedAt: r.ingested_at.toISOString(),
      dossierId: r.dossier_id,
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
    await inTransaction(this.db, async (m) => {
      out.clear();
      appended = 0;
      await lockLogForAppend(m);
      const home = await dossierOwners(m, [...new Set(batch.map((b) => b.event.dossierId))]);
      const allowed: Submitted[] = [];
      const claims = new Map<string, string>();
      for (const b of batch) {
        const unit = home.get(b.event.dossierId) ?? claims.get(b.event.dossierId);
        const owner = unit === undefined ? null : this.units.unitRef(unit);
        if (owner !== null && !within(owner, b.source.scope)) {
          out.set(b.eventId, {
            status: 'rejected',
            reason: `dossier ${b.event.dossierId} belongs to ${this.units.scopeName(owner)}, outside this key's scope (${this.units.scopeName(b.source.scope)}); nothing was stored`,
          });
          continue;
        }
        // A new dossier belongs to the unit of its first event.
        if (unit === undefined) claims.set(b.event.dossierId, b.unit);
        allowed.push(b);
      }
      if (allowed.length === 0) return;
      const inserted = await appendToLog(m, allowed);
      const taken = allowed.filter((b) => !inserted.has(b.eventId));
      if (taken.length > 0) {
        const stored = await storedEvents(m, taken.map((b) => b.eventId));
        // Ids whose month of the log was dropped (RAW_LOG_RETENTION_MONTHS): accepted once, and in the figures.
        const dropped = await keptKeys(m, taken.filter((b) => !stored.has(b.eventId)).map((b) => b.eventId));
        for (const b of taken) {
          const s = stored.get(b.eventId);
          if (s === undefined && dropped.has(b.eventId)) {
            out.set(b.eventId, { status: 'duplicate' });
            continue;
          }
          const sourceId = s?.key_id ?? UNKNOWN_SOURCE;
          const was = s ? { sourceId, fingerprint: eventFingerprint(eventFromLog(s), s.occurred_at.getTime(), s.unit_code) } : null;
          const same = was !== null && (sourceId === UNKNOWN_SOURCE ? was.fingerprint === b.fingerprint : sameEvent({ ...was, eventId: b.eventId }, b));
          out.set(b.eventId, same ? { status: 'duplicate' } : { status: 'conflict', reason: conflictReason(was ?? { sourceId: '?', fingerprint: '?' }, b) });
        }
      }
      const claimed = new Map<string, string>();
      for (const b of allowed) {
        const position = inserted.get(b.eventId);
        if (position === undefined) continue;
        out.set(b.eventId, { status: 'accepted', position });
        appended++;
        const claim = claims.get(b.event.dossierId);
        if (claim !== undefined) claimed.set(b.event.dossierId, claim);
      }
      await claimDossiers(m, claimed);
    });
    // Durable in the log: the projector folds the new rows into the figures.
    if (appended > 0) this.changes.appended();
    return out;
  }
}

/** The reason given for an event whose dossier belongs to a unit outside the key's scope (and no other reason). */
const FOREIGN_DOSSIER = /^dossier .* belongs to .*, outside this key's scope/;

export interface StoredEventSource {
  eventId: string;
  type: string;
  occurredAt: string;
  ingestedAt: string;
  dossierId: string;
  unitCode: string;
  /** The ingest key that sent it; null for events stored before keys were recorded. */
  source: { keyId: string; name: string; prefix: string; scope: string } | null;
}

/** Appends events to the raw log; returns the log position (seq) of each new one by eventId. */
async function appendToLog(m: EntityManager, events: readonly Submitted[]): Promise<Map<string, number>> {
  // One JSON parameter, parsed once: far cheaper for PostgreSQL than one array per column.
  // The id is claimed in the key table (idempotency across all months), then the event goes to its month's partition.
  const rows = (await m.query(
    `WITH input AS MATERIALIZED (
       SELECT * FROM json_to_recordset($1::json)
         AS e(event_id text, dossier_id text, unit_code text, type text, occurred_at timestamptz, payload json, key_id uuid)
     ), keys AS (
       INSERT INTO ingest_event_key (event_id, seq, ingested_at)
       SELECT event_id, nextval('ingest_event_seq'), now() FROM input
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id, seq, ingested_at
     )
     INSERT INTO ingest_event (seq, event_id, dossier_id, unit_code, type, occurred_at, ingested_at, payload, key_id)
     SELECT k.seq, i.event_id, i.dossier_id, i.unit_code, i.type, i.occurred_at, k.ingested_at, i.payload, i.key_id
     FROM keys k JOIN input i USING (event_id)
     RETURNING event_id, seq`,
    [
      JSON.stringify(
        events.map((v) => ({
          event_id: v.eventId,
          dossier_id: v.event.dossierId,
          unit_code: v.unit,
          type: v.event.type,
          occurred_at: v.event.occurredAt,
          payload: payloadOf(v.event),
          key_id: v.source.keyId,
        })),
      ),
    ],
  )) as { event_id: string; seq: string }[];
  return new Map(rows.map((r) => [r.event_id, Number(r.seq)]));
}

type StoredRow = LoggedEvent & { key_id: string | null };

/** Which of these ids the key table holds (one query; none asked, none read). */
async function keptKeys(m: EntityManager, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = (await m.query(`SELECT event_id FROM ingest_event_key WHERE event_id = ANY($1::text[])`, [ids])) as { event_id: string }[];
  return new Set(rows.map((r) => r.event_id));
}

async function storedEvents(m: EntityManager, ids: readonly string[]): Promise<Map<string, StoredRow>> {
  const rows = (await m.query(
    `SELECT e.event_id, e.dossier_id, e.unit_code, e.type, e.occurred_at, e.payload, e.key_id
     FROM ingest_event_key k JOIN ingest_event e ON e.seq = k.seq AND e.ingested_at = k.ingested_at
     WHERE k.event_id = ANY($1::text[])`,
    [ids],
  )) as StoredRow[];
  return new Map(rows.map((r) => [r.event_id, r]));
}
