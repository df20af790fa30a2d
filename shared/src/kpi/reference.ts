import { zeroPeriod, type PeriodCounters } from './counters.js';
import { type DossierFacts, citizenStoreInstants, digitizedAt, dissatisfiedAt, effectiveEnd, overdueWhileOpenFrom, resolvedLate } from './dossier.js';
import { localDateOf } from '../time.js';

/**
 * The KPI rules evaluated directly on dossier facts for the period [start, end)
 * (end = the end of the period's last local day, or now). It is the executable
 * definition the rollup engine is tested against; it reads every dossier, so it
 * is never used to serve queries.
 */
export function evaluatePeriod(dossiers: Iterable<DossierFacts>, start: number, end: number, syncStarts?: ReadonlyMap<string, number>): PeriodCounters {
  const p = zeroPeriod();
  const inPeriod = (t: number) => t >= start && t < end;
  for (const f of dossiers) {
    const rec = f.received;
    if (rec === null) continue;
    const c = f.completed;
    if (inPeriod(rec.at)) {
      p.received++;
      if (rec.channel === 'online') p.receivedOnline++;
      if (rec.channel === 'postal') p.receivedPostal++;
      if (rec.fullOnlineEligible) {
        p.fullEligible++;
        if (rec.channel === 'online') p.fullEligibleOnline++;
      }
      if (digitizedAt(f, end)) p.digitized++;
      if (rec.feeRequired) {
        p.feeRequired++;
        if (f.paidOnlineAt !== null && Math.max(f.paidOnlineAt, rec.at) < end) p.paidOnline++;
      }
      if (rec.reusedDigitizedData !== undefined) {
        p.reuseKnown++;
        if (rec.reusedDigitizedData) p.reusedDigitizedData++;
      }
      if (rec.citizenDataUsed !== undefined) {
        p.citizenDataKnown++;
        if (rec.citizenDataUsed) p.citizenDataUsed++;
      }
      if (f.syncedAt !== null && Math.max(f.syncedAt, rec.at) < end) p.synced++;
      const syncStart = syncStarts?.get(f.unitCode);
      if (syncStart !== undefined && syncStart < end) p.syncTracked++;
      const store = citizenStoreInstants(f);
      if (store.knownAt !== null && store.knownAt < end) p.citizenStoreKnown++;
      if (store.linkedAt !== null && store.linkedAt < end) p.citizenStoreLinked++;
    }
    if (c !== null && inPeriod(c.at)) {
      p.resolved++;
      if (!resolvedLate(f)) {
        p.resolvedOnTime++;
        const e = effectiveEnd(f);
        if (e !== null && localDateOf(e) < localDateOf(rec.dueAt)) p.resolvedEarly++;
      }
      if (c.outcome === 'rejected') p.resolvedRejected++;
      if (c.outcome === 'stopped') p.resolvedStopped++;
      if (c.outcome === 'resolved' && rec.resultRequired) {
        p.resultResolved++;
        if (f.eResultAt !== null && Math.max(f.eResultAt, c.at) < end) p.eResult++;
      }
      if (f.complaintAt !== null && Math.max(f.complaintAt, c.at) < end) p.complaints++;
      p.processingSeconds += Math.max(0, Math.round((c.at - rec.at) / 1000));
      if (dissatisfiedAt(f, end)) p.resolvedDissatisfied++;
    }
    const openAt = (t: number) => rec.at < t && (c === null || c.at >= t);
    if (openAt(end)) {
      p.inProgress++;
      const o = overdueWhileOpenFrom(f);
      if (o !== null && o < end) p.inProgressOverdue++;
    }
    if (openAt(start)) p.carriedOver++;
  }
  return p;
}
