import { Injectable } from '@nestjs/common';
import {
  type EventResult,
  type IngestResponse,
  MAX_EVENTS_PER_BATCH,
  eventUnitCode,
  parseEvent,
  within,
} from '@ioc/shared';
import { DataSource } from 'typeorm';
import { AppError, ErrorCode, badRequest } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import type { IngestSource } from '../auth/auth.types.js';
import { RollupAccumulator } from '../kpi/rollup-accumulator.js';
import { UnitsService } from '../units/units.service.js';
import { ChangeFeed } from './change-feed.js';
import { type AcceptedEvent, applyToDossiers } from './dossier-store.js';
import { payloadOf } from './event-log.js';
import { GroupCommitWriter } from './group-commit.js';

/**
 * The ingest path: validates each event on its own, then in one transaction
 * appends the new events to the raw log (idempotent on eventId), folds them
 * into dossier state and updates the rollups. The answer is sent only after
 * the transaction committed, so an accepted event is durable.
 */
@Injectable()
export class IngestService {
  private readonly writer = new GroupCommitWriter((events) => this.store(events));

  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly changes: ChangeFeed,
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
    const valid: (AcceptedEvent & { index: number })[] = [];
    const seen = new Set<string>();
    raw.forEach((item, index) => {
      const p = parseEvent(item, now);
      if (!p.ok) {
        results[index] = { index, eventId: p.eventId, status: 'rejected', reason: p.reason };
        return;
      }
      const unit = eventUnitCode(p.event);
      if (p.event.communeCode !== undefined && !this.units.hasCommune(unit)) {
        results[index] = { index, eventId: p.event.eventId, status: 'rejected', reason: `communeCode ${unit} is not a known commune (2025 codes)` };
        return;
      }
      if (p.event.provinceCode !== undefined && !this.units.hasProvince(unit)) {
        results[index] = { index, eventId: p.event.eventId, status: 'rejected', reason: `provinceCode ${unit} is not a known province (2025 codes)` };
        return;
      }
      const ref = this.units.unitRef(unit);
      if (!within(ref, source.scope)) {
        results[index] = { index, eventId: p.event.eventId, status: 'rejected', reason: `this key (${source.name}) may only send events of ${this.units.scopeName(source.scope)}; ${this.units.scopeName(ref)} is outside it` };
        return;
      }
      if (seen.has(p.event.eventId)) {
        results[index] = { index, eventId: p.event.eventId, status: 'duplicate' };
        return;
      }
      seen.add(p.event.eventId);
      valid.push({ index, event: p.event, at: p.occurredAtMs, unit });
    });

    if (valid.length > 0) {
      const accepted = await this.writer.submit(valid);
      for (const v of valid) {
        results[v.index] = { index: v.index, eventId: v.event.eventId, status: accepted.has(v.event.eventId) ? 'accepted' : 'duplicate' };
      }
    }
    let a = 0;
    let d = 0;
    let r = 0;
    for (const res of results) {
      if (res.status === 'accepted') a++;
      else if (res.status === 'duplicate') d++;
      else r++;
    }
    return { accepted: a, duplicates: d, rejected: r, results };
  }

  // Units are validated before they get here; an unknown one is a bug, not a default.
  private provinceOf = (unit: string): string => {
    const p = this.units.provinceOfUnit(unit);
    if (p === null) throw new Error(`unit ${unit} has no province`);
    return p;
  };

  /** Stores the events that are new; returns their ids. */
  private async store(valid: readonly AcceptedEvent[]): Promise<Set<string>> {
    const fresh: AcceptedEvent[] = [];
    const accepted = await inTransaction(this.db, async (m) => {
      fresh.length = 0;
      // One JSON parameter, parsed once: far cheaper for PostgreSQL than one array per column.
      const inserted = (await m.query(
        `INSERT INTO ingest_event (event_id, dossier_id, unit_code, type, occurred_at, payload)
         SELECT * FROM json_to_recordset($1::json)
           AS e(event_id text, dossier_id text, unit_code text, type text, occurred_at timestamptz, payload json)
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id`,
        [
          JSON.stringify(
            valid.map((v) => ({
              event_id: v.event.eventId,
              dossier_id: v.event.dossierId,
              unit_code: v.unit,
              type: v.event.type,
              occurred_at: v.event.occurredAt,
              payload: payloadOf(v.event),
            })),
          ),
        ],
      )) as { event_id: string }[];
      const accepted = new Set(inserted.map((r) => r.event_id));
      if (accepted.size === 0) return accepted;
      for (const v of valid) if (accepted.has(v.event.eventId)) fresh.push(v);
      const acc = new RollupAccumulator(this.provinceOf);
      await applyToDossiers(m, fresh, this.provinceOf, acc);
      await acc.flush(m);
      await this.touchActivity(m, fresh);
      return accepted;
    });
    // Committed: the figures of these units changed.
    this.changes.publish([...new Set(fresh.map((v) => v.unit))]);
    return accepted;
  }

  private async touchActivity(m: import('typeorm').EntityManager, events: readonly AcceptedEvent[]): Promise<void> {
    const byUnit = new Map<string, { last: number; count: number }>();
    for (const e of events) {
      const cur = byUnit.get(e.unit);
      if (cur) {
        cur.count++;
        cur.last = Math.max(cur.last, e.at);
      } else byUnit.set(e.unit, { last: e.at, count: 1 });
    }
    const units = [...byUnit.keys()].sort();
    await m.query(
      `INSERT INTO unit_activity AS a (unit_code, province_code, last_ingested_at, last_occurred_at, events_total)
       SELECT u, p, now(), o, n FROM json_to_recordset($1::json) AS x(u text, p text, o timestamptz, n int)
       ON CONFLICT (unit_code) DO UPDATE SET last_ingested_at = now(),
         last_occurred_at = greatest(a.last_occurred_at, excluded.last_occurred_at),
         events_total = a.events_total + excluded.events_total`,
      [JSON.stringify(units.map((u) => ({ u, p: this.provinceOf(u), o: new Date(byUnit.get(u)!.last).toISOString(), n: byUnit.get(u)!.count })))],
    );
  }
}
