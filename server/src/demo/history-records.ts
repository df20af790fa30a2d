import type { DossierEvent, DossierRecord } from '@ioc/shared';
import type { Delivery } from './simulator/index.js';

export interface HistoryDay {
  /** One record per dossier whose receipt was delivered. */
  records: DossierRecord[];
  /** Events of dossiers whose receipt was not delivered yet (a record needs its receipt): sent as events. */
  strays: DossierEvent[];
}

type Received = Extract<DossierEvent, { type: 'received' }>;

/**
 * A receipt day's deliveries as the one-stop system's export of those dossiers:
 * one record per dossier holding the events delivered so far. A repeated delivery
 * (same eventId) counts once. Supplement receipts are not part of a record: no
 * figure uses them.
 */
export function recordsOfDeliveries(deliveries: readonly Delivery[]): HistoryDay {
  const byDossier = new Map<string, Map<string, DossierEvent>>();
  for (const { event } of deliveries) {
    let events = byDossier.get(event.dossierId);
    if (!events) byDossier.set(event.dossierId, (events = new Map<string, typeof event>()));
    events.set(event.eventId, event);
  }
  const records: DossierRecord[] = [];
  const strays: DossierEvent[] = [];
  for (const events of byDossier.values()) {
    const all = [...events.values()];
    const received = all.find((e): e is Received => e.type === 'received');
    if (!received) {
      strays.push(...all);
      continue;
    }
    records.push(recordOf(received, all));
  }
  return { records, strays };
}

function recordOf(received: Received, events: readonly DossierEvent[]): DossierRecord {
  const r: DossierRecord = {
    dossierId: received.dossierId,
    ...(received.communeCode !== undefined ? { communeCode: received.communeCode } : { provinceCode: received.provinceCode }),
    procedureCode: received.procedureCode,
    sector: received.sector,
    channel: received.channel,
    fullOnlineEligible: received.fullOnlineEligible,
    resultRequired: received.resultRequired,
    feeRequired: received.feeRequired,
    receivedAt: received.occurredAt,
    dueAt: received.dueAt,
  };
  // Contract v1.1 attributes, where the receipt carried them.
  if (received.reusedDigitizedData !== undefined) r.reusedDigitizedData = received.reusedDigitizedData;
  if (received.citizenDataUsed !== undefined) r.citizenDataUsed = received.citizenDataUsed;
  if (received.fromCitizenStore !== undefined) r.fromCitizenStore = received.fromCitizenStore;
  const supplements: string[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'supplement_requested':
        supplements.push(e.occurredAt);
        break;
      case 'digitized':
        r.digitizedAt = e.occurredAt;
        break;
      case 'completed':
        r.completedAt = e.occurredAt;
        r.outcome = e.outcome;
        break;
      case 'result_issued':
        r.resultIssuedAt = e.occurredAt;
        r.resultElectronic = e.electronic;
        if (e.syncedToCitizenStore !== undefined) r.resultSyncedToCitizenStore = e.syncedToCitizenStore;
        else delete r.resultSyncedToCitizenStore;
        break;
      case 'synced':
        r.syncedAt = e.occurredAt;
        break;
      case 'paid':
        r.paidAt = e.occurredAt;
        r.paidOnline = e.online;
        break;
      case 'rated':
        r.ratedAt = e.occurredAt;
        r.satisfied = e.satisfied;
        r.complaint = e.complaint;
        break;
      default:
        break;
    }
  }
  if (supplements.length > 0) {
    supplements.sort((a, b) => Date.parse(a) - Date.parse(b));
    r.supplementCount = supplements.length;
    r.supplementRequestedAt1 = supplements[0];
    if (supplements.length > 1) r.supplementRequestedAt2 = supplements[1];
  }
  return r;
}
