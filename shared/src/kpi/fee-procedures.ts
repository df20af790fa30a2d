import { bucketStart } from '../time.js';
import type { DossierFacts } from './dossier.js';
import type { IndexV2Counts } from './index-v2.js';

/**
 * Sub-indicator 3.5b counts procedures, not dossiers: the distinct fee-bearing
 * procedures a unit received dossiers of in the period, and of those, the ones with
 * at least one of those dossiers paid online by the period end. A distinct count is
 * not a sum of daily counts, so each fee-bearing dossier is kept as an entry (its
 * handling unit, procedure, receipt day and online payment day) and a period counts
 * the distinct (unit, procedure) pairs among its entries. A procedure handled by
 * several communes counts once per commune, so a province's or the nation's count
 * is the sum of its units' counts.
 */
export interface FeeProcedureEntry {
  unitCode: string;
  procedureCode: string;
  /** Local day of the receipt (epoch ms of its midnight, Asia/Ho_Chi_Minh). */
  receivedDay: number;
  /** Local day of the first online payment (not before the receipt's day); null when not paid online. */
  paidDay: number | null;
}

export type FeeProcedureCounts = Pick<IndexV2Counts, 'feeProceduresReceived' | 'feeProceduresPaidOnline'>;

/** Where a dossier counts for 3.5b: null unless it was received and is fee-bearing. */
export function feeProcedureEntry(f: DossierFacts): FeeProcedureEntry | null {
  const rec = f.received;
  if (rec === null || !rec.feeRequired) return null;
  return {
    unitCode: f.unitCode,
    procedureCode: rec.procedureCode,
    receivedDay: bucketStart(rec.at, 'day'),
    paidDay: f.paidOnlineAt === null ? null : bucketStart(Math.max(f.paidOnlineAt, rec.at), 'day'),
  };
}

/**
 * 3.5b's counts over [start, end) (epoch ms; start on a local midnight): distinct
 * (unit, procedure) pairs received in it, and those paid online on a day that began
 * before `end`. A period that does not start on a local day (an hour) has no counts.
 */
export function countFeeProcedures(entries: Iterable<FeeProcedureEntry>, start: number, end: number): FeeProcedureCounts {
  const received = new Set<string>();
  const paid = new Set<string>();
  if (bucketStart(start, 'day') !== start) return { feeProceduresReceived: 0, feeProceduresPaidOnline: 0 };
  for (const e of entries) {
    if (e.receivedDay < start || e.receivedDay >= end) continue;
    const pair = `${e.unitCode}|${e.procedureCode}`;
    received.add(pair);
    if (e.paidDay !== null && e.paidDay < end) paid.add(pair);
  }
  return { feeProceduresReceived: received.size, feeProceduresPaidOnline: paid.size };
}
