import { describe, expect, it } from '@jest/globals';
import { type DossierRecord, RECORD_COLUMNS, RECORD_FIELDS, RECORD_INSTANT_FIELDS, applyRecord, emptyFacts, parseRecord, recordEventSpan } from '@ioc/shared';
import { type LoggedEvent, RECORD_TYPE, eventFingerprint, recordAtMsFromLog, recordFromLog, recordPayloadText } from './event-log.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');

/** A record with every field a record may hold. */
const FULL: DossierRecord = {
  dossierId: 'H01.00004-000123',
  communeCode: '00004',
  procedureCode: '1.001193',
  sector: 'Lao động - Thương binh và Xã hội',
  channel: 'online',
  fullOnlineEligible: true,
  resultRequired: true,
  feeRequired: true,
  receivedAt: '2026-11-02T08:30:00+07:00',
  dueAt: '2026-11-09T17:00:00+07:00',
  reusedDigitizedData: false,
  citizenDataUsed: true,
  fromCitizenStore: false,
  supplementCount: 3,
  supplementRequestedAt1: '2026-11-03T09:00:00.250+07:00',
  supplementRequestedAt2: '2026-11-04T10:00:00Z',
  digitizedAt: '2026-11-02T09:00:00+07:00',
  completedAt: '2026-11-08T15:00:00+07:00',
  outcome: 'resolved',
  resultIssuedAt: '2026-11-08T16:00:00+07:00',
  resultElectronic: true,
  resultSyncedToCitizenStore: true,
  syncedAt: '2026-11-08T16:05:00+07:00',
  paidAt: '2026-11-02T08:45:00+07:00',
  paidOnline: true,
  ratedAt: '2026-11-09T08:00:00+07:00',
  satisfied: false,
  complaint: true,
};

/** Only what a record needs, at province level. */
const BARE: DossierRecord = {
  dossierId: 'T79-9',
  provinceCode: '79',
  procedureCode: '2.000001',
  sector: 'Hộ tịch',
  channel: 'direct',
  fullOnlineEligible: false,
  resultRequired: false,
  feeRequired: false,
  receivedAt: '2026-11-20T14:00:00+07:00',
  dueAt: '2026-11-20T14:00:00+07:00',
};

/** The log row a record is stored as, read back as the driver gives it (the json column parsed). */
function stored(r: DossierRecord, payload: string): LoggedEvent {
  return {
    event_id: `record:${r.dossierId}`,
    dossier_id: r.dossierId,
    unit_code: (r.communeCode ?? r.provinceCode)!,
    type: RECORD_TYPE,
    occurred_at: new Date(r.receivedAt),
    payload: JSON.parse(payload) as unknown[],
  };
}

/** The payload of a row written before the positional one: the record's other fields by name, as the source wrote them. */
function namedPayload(r: DossierRecord): Record<string, unknown> {
  const { dossierId: _d, communeCode: _c, provinceCode: _p, receivedAt: _r, ...own } = r;
  return own;
}

const events = (r: DossierRecord) => {
  const p = parseRecord(r, NOW);
  if (!p.ok) throw new Error(p.reason);
  return p.events.map((e) => eventFingerprint(e, Date.parse(e.occurredAt), p.unit));
};

describe('record rows of the log', () => {
  it.each([
    ['every field', FULL],
    ['the required fields only', BARE],
  ])('give back the same record, %s: same events, same facts', (_, r) => {
    const back = recordFromLog(stored(r, recordPayloadText(r)));
    expect(Object.keys(back).sort()).toEqual(Object.keys(r).sort());
    for (const k of RECORD_COLUMNS) {
      const v = r[k];
      if (typeof v === 'string' && /^\d{4}-/.test(v)) expect(Date.parse(back[k] as string)).toBe(Date.parse(v));
      else expect(back[k]).toEqual(v);
    }
    expect(events(back)).toEqual(events(r));
    const a = emptyFacts(r.dossierId, '');
    const b = emptyFacts(r.dossierId, '');
    applyRecord(a, r);
    applyRecord(b, back);
    expect(b).toEqual(a);
  });

  it('hold the fields by position, in under half the text of the named fields', () => {
    for (const r of [FULL, BARE]) expect(recordPayloadText(r).length).toBeLessThan(JSON.stringify(namedPayload(r)).length / 2);
    // Trailing absent fields are left out.
    expect(recordPayloadText(BARE)).toBe(`["2.000001","Hộ tịch","direct",false,false,false,${Date.parse(BARE.dueAt)}]`);
  });

  it.each([
    ['positional', (r: DossierRecord) => stored(r, recordPayloadText(r))],
    ['with named fields', (r: DossierRecord) => ({ ...stored(r, '[]'), payload: namedPayload(r) })],
  ])('give the projector the record with its instants in ms, folding to the same facts and span, rows %s', (_, row) => {
    expect([...RECORD_INSTANT_FIELDS].sort()).toEqual(RECORD_COLUMNS.filter((k) => RECORD_FIELDS[k].kind === 'instant').sort());
    for (const r of [FULL, BARE]) {
      const atMs = recordAtMsFromLog(row(r));
      for (const k of RECORD_INSTANT_FIELDS) expect(atMs[k]).toBe(r[k] === undefined ? undefined : Date.parse(r[k]));
      const a = emptyFacts(r.dossierId, '');
      const b = emptyFacts(r.dossierId, '');
      applyRecord(a, r);
      applyRecord(b, atMs);
      expect(b).toEqual(a);
      expect(recordEventSpan(atMs)).toEqual(recordEventSpan(r));
    }
  });

  it('read rows written with named fields as before', () => {
    const back = recordFromLog({ ...stored(FULL, '[]'), payload: namedPayload(FULL) });
    expect(events(back)).toEqual(events(FULL));
    expect(back.sector).toBe(FULL.sector);
  });
});
