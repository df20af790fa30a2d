import { describe, expect, it } from '@jest/globals';
import { bucketStart } from '../time.js';
import { countFeeProcedures, feeProcedureEntry } from './fee-procedures.js';
import { dossier, ms } from './test-dossiers.js';

const day = (local: string) => bucketStart(ms(`${local}T00:00`), 'day');
const DUE = '2026-05-20T17:00';

describe('3.5b: distinct fee-bearing procedures, and those paid online', () => {
  it('keeps a fee-bearing dossier as its unit, procedure, receipt day and online payment day', () => {
    expect(feeProcedureEntry(dossier({ received: '2026-05-04T08:00', due: DUE, feeRequired: true, procedure: '2.000001', paid: { at: '2026-05-05T23:30', online: true } }))).toEqual({
      unitCode: '00004',
      procedureCode: '2.000001',
      receivedDay: day('2026-05-04'),
      paidDay: day('2026-05-05'),
    });
    // Paid at the counter, or not fee-bearing: no online payment, or no entry at all.
    expect(feeProcedureEntry(dossier({ received: '2026-05-04T08:00', due: DUE, feeRequired: true, paid: { at: '2026-05-04T09:00', online: false } }))?.paidDay).toBeNull();
    expect(feeProcedureEntry(dossier({ received: '2026-05-04T08:00', due: DUE, feeRequired: false, paid: { at: '2026-05-04T09:00', online: true } }))).toBeNull();
    // A payment stamped before the receipt (two systems' clocks) counts from the receipt's day.
    expect(feeProcedureEntry(dossier({ received: '2026-05-04T08:00', due: DUE, feeRequired: true, paid: { at: '2026-05-03T20:00', online: true } }))?.paidDay).toBe(day('2026-05-04'));
  });

  const entries = [
    // Unit 00004: procedure A twice on the 4th (one paid online on the 6th), B on the 5th paid online the same day.
    { received: '2026-05-04T08:00', procedure: 'A' },
    { received: '2026-05-04T09:00', procedure: 'A', paid: { at: '2026-05-06T10:00', online: true } },
    { received: '2026-05-05T09:00', procedure: 'B', paid: { at: '2026-05-05T10:00', online: true } },
    // Unit 00007: procedure A too (counted again: once per handling unit), never paid online.
    { received: '2026-05-05T09:00', procedure: 'A', unit: '00007', paid: { at: '2026-05-05T10:00', online: false } },
  ].map((s) => feeProcedureEntry(dossier({ ...s, due: DUE, feeRequired: true }))!);

  it.each<[string, string, string, number, number]>([
    ['one day: A received, its payment is later', '2026-05-04', '2026-05-05', 1, 0],
    ['two days: A in two units and B; B paid', '2026-05-04', '2026-05-06', 3, 1],
    ['three days: A is paid by the end too', '2026-05-04', '2026-05-07', 3, 2],
    ['the 5th alone: B and A of 00007', '2026-05-05', '2026-05-06', 2, 1],
    ['the 6th: nothing received, no data', '2026-05-06', '2026-05-07', 0, 0],
  ])('%s', (_name, from, to, received, paid) => {
    expect(countFeeProcedures(entries, day(from), day(to))).toEqual({ feeProceduresReceived: received, feeProceduresPaidOnline: paid });
  });

  it('has no counts for a period that does not start on a local day (an hour)', () => {
    expect(countFeeProcedures(entries, ms('2026-05-04T08:00'), ms('2026-05-04T09:00'))).toEqual({ feeProceduresReceived: 0, feeProceduresPaidOnline: 0 });
  });
});
