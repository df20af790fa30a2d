import { type Grain, GRAINS, bucketStart, localDateOf } from '../time.js';
import type { DeferredField, RollupField } from './counters.js';
import { type DossierFacts, citizenStoreInstants, digitizedSteps, dissatisfiedSteps, effectiveEnd, overdueWhileOpenFrom, resolvedLate } from './dossier.js';

/**
 * Where a dossier's facts are counted in the rollups.
 *
 * - Flows (received…, resolved…) go to the bucket of the instant they happened.
 * - Stocks are kept as deltas: `ipDelta` +1 at receipt and −1 at completion;
 *   `odDelta` +1 when the dossier turns overdue (known in advance from its
 *   appointment, so numbers move with no event arriving) and −1 at completion.
 *   The stock at any instant is the sum of deltas before it.
 * - Attributes of a cohort (digitised, paid online, electronic result,
 *   complaint) go to the cohort's bucket when they were achieved within it,
 *   and otherwise to a deferred row keyed by the day they were achieved, so a
 *   multi-bucket period counts them only if achieved before its end.
 *   Hour buckets keep no deferred rows: they are only ever read one at a time.
 */
export interface ContributionSink {
  add(grain: Grain, unitCode: string, bucket: number, field: RollupField, delta: number): void;
  addDeferred(grain: Grain, unitCode: string, cohortBucket: number, achievedDay: number, field: DeferredField, delta: number): void;
}

export function contribute(f: DossierFacts, sign: 1 | -1, sink: ContributionSink): void {
  const rec = f.received;
  if (rec === null) return;
  const unit = f.unitCode;
  const c = f.completed;
  const od = overdueWhileOpenFrom(f);
  const digitized = digitizedSteps(f);
  const late = resolvedLate(f);
  const end = effectiveEnd(f);
  const dissatisfied = dissatisfiedSteps(f);
  const store = citizenStoreInstants(f);
  const syncedAt = f.syncedAt ?? null;

  for (const g of GRAINS) {
    const add = (at: number, field: RollupField, amount = 1) => sink.add(g, unit, bucketStart(at, g), field, sign * amount);
    const cohortAttr = (cohortAt: number, achievedAt: number, field: DeferredField, delta: 1 | -1 = 1) => {
      const cb = bucketStart(cohortAt, g);
      const ab = bucketStart(achievedAt, g);
      if (ab === cb) sink.add(g, unit, cb, field, sign * delta);
      else if (g !== 'hour') sink.addDeferred(g, unit, cb, bucketStart(achievedAt, 'day'), field, sign * delta);
    };

    add(rec.at, 'received');
    if (rec.channel === 'online') add(rec.at, 'receivedOnline');
    if (rec.channel === 'postal') add(rec.at, 'receivedPostal');
    if (rec.fullOnlineEligible) {
      add(rec.at, 'fullEligible');
      if (rec.channel === 'online') add(rec.at, 'fullEligibleOnline');
    }
    add(rec.at, 'ipDelta');
    if (od !== null) add(od, 'odDelta');
    for (const [at, delta] of digitized) cohortAttr(rec.at, at, 'digitized', delta);
    if (rec.reusedDigitizedData !== undefined) {
      add(rec.at, 'reuseKnown');
      if (rec.reusedDigitizedData) add(rec.at, 'reusedDigitizedData');
    }
    if (rec.citizenDataUsed !== undefined) {
      add(rec.at, 'citizenDataKnown');
      if (rec.citizenDataUsed) add(rec.at, 'citizenDataUsed');
    }
    if (syncedAt !== null) cohortAttr(rec.at, Math.max(syncedAt, rec.at), 'synced');
    if (store.knownAt !== null) cohortAttr(rec.at, store.knownAt, 'citizenStoreKnown');
    if (store.linkedAt !== null) cohortAttr(rec.at, store.linkedAt, 'citizenStoreLinked');
    if (rec.feeRequired) {
      add(rec.at, 'feeRequired');
      if (f.paidOnlineAt !== null) cohortAttr(rec.at, Math.max(f.paidOnlineAt, rec.at), 'paidOnline');
    }

    if (c !== null) {
      // ipDelta/odDelta −1 at completion: the dossier leaves the open stock. A completion stamped
      // before the receipt (clocks of two systems) leaves it at the receipt: it was never open.
      const left = Math.max(c.at, rec.at);
      sink.add(g, unit, bucketStart(left, g), 'ipDelta', -sign);
      if (od !== null) sink.add(g, unit, bucketStart(left, g), 'odDelta', -sign);
      add(c.at, 'resolved');
      if (!late) {
        add(c.at, 'resolvedOnTime');
        if (end !== null && localDateOf(end) < localDateOf(rec.dueAt)) add(c.at, 'resolvedEarly');
      }
      if (c.outcome === 'rejected') add(c.at, 'resolvedRejected');
      if (c.outcome === 'stopped') add(c.at, 'resolvedStopped');
      if (c.outcome === 'resolved' && rec.resultRequired) {
        add(c.at, 'resultResolved');
        if (f.eResultAt !== null) cohortAttr(c.at, Math.max(f.eResultAt, c.at), 'eResult');
      }
      if (f.complaintAt !== null) cohortAttr(c.at, Math.max(f.complaintAt, c.at), 'complaints');
      add(c.at, 'processingSeconds', Math.max(0, Math.round((c.at - rec.at) / 1000)));
      for (const [at, delta] of dissatisfied) cohortAttr(c.at, at, 'resolvedDissatisfied', delta);
    }
  }
}
