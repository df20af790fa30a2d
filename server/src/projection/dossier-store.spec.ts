import { describe, expect, it } from '@jest/globals';
import { type DossierEvent, type DossierFacts, applyEvent, emptyFacts, parseRecord, withAllSlots } from '@ioc/shared';
import { decodeFacts, encodeFacts } from './dossier-store.js';

const fold = (id: string, unit: string, events: readonly DossierEvent[]): DossierFacts => {
  const f = emptyFacts(id, unit);
  for (const e of events) applyEvent(f, e, Date.parse(e.occurredAt));
  return f;
};

const roundTrip = (f: DossierFacts) => decodeFacts(JSON.parse(encodeFacts(f)) as Record<string, unknown>, f.dossierId, f.unitCode);

describe('the facts column', () => {
  const record = {
    dossierId: 'HN-R1',
    communeCode: '00004',
    procedureCode: '1.001452',
    sector: 'Xây dựng',
    channel: 'online',
    fullOnlineEligible: true,
    resultRequired: true,
    feeRequired: true,
    receivedAt: '2026-02-02T08:00:00+07:00',
    dueAt: '2026-02-06T17:00:00+07:00',
    supplementCount: 3,
    supplementRequestedAt1: '2026-02-03T09:00:00+07:00',
    supplementRequestedAt2: '2026-02-04T09:00:00+07:00',
    digitizedAt: '2026-02-02T09:00:00+07:00',
    completedAt: '2026-02-09T10:00:00+07:00',
    outcome: 'resolved',
    resultIssuedAt: '2026-02-09T11:00:00+07:00',
    resultElectronic: true,
    paidAt: '2026-02-02T08:30:00+07:00',
    paidOnline: true,
    ratedAt: '2026-02-10T08:00:00+07:00',
    satisfied: false,
    complaint: true,
    syncedAt: '2026-02-09T12:00:00+07:00',
  };

  it('gives back the very facts of a dossier record, without the ids a record implies', () => {
    const p = parseRecord(record, Date.parse('2026-03-01T00:00:00Z'));
    if (!p.ok) throw new Error(p.reason);
    const f = fold(record.dossierId, p.unit, p.events);
    expect(f.supplements).toHaveLength(2);
    expect(f.rating).not.toBeNull();
    expect(roundTrip(f)).toEqual(f);
    const text = encodeFacts(f);
    expect(text).not.toContain('record:');
    expect(text).not.toContain('dossierId');
    // What SQL reads keeps its place.
    const stored = JSON.parse(text) as { received: Record<string, unknown>; paidOnlineAt: number };
    expect(stored.received.sector).toBe('Xây dựng');
    expect(stored.received.procedureCode).toBe('1.001452');
    expect(stored.received.channel).toBe('online');
    expect(stored.paidOnlineAt).toBe(Date.parse(record.paidAt));
  });

  it('keeps the ids of events sent one by one, and a rating that is not the last of the ratings', () => {
    const at = (h: number) => `2026-02-0${h < 24 ? 2 : 3}T${String(h % 24).padStart(2, '0')}:00:00+07:00`;
    const base = { dossierId: 'HN-E1', communeCode: '00004' } as const;
    const events = [
      {
        ...base,
        eventId: 'e-1',
        type: 'received',
        occurredAt: at(8),
        procedureCode: 'P',
        sector: 'S',
        channel: 'direct',
        fullOnlineEligible: false,
        resultRequired: false,
        feeRequired: false,
        dueAt: at(30),
      },
      { ...base, eventId: 'e-2', type: 'rated', occurredAt: at(10), satisfied: true, complaint: false },
      { ...base, eventId: 'e-3', type: 'rated', occurredAt: at(9), satisfied: false, complaint: false },
      { ...base, eventId: 'e-4', type: 'supplement_requested', occurredAt: at(11) },
    ] as DossierEvent[];
    const f = fold(base.dossierId, base.communeCode, events);
    expect(roundTrip(f)).toEqual(f);
    expect(encodeFacts(f)).toContain('"e-1"');
    // A stored dossier whose latest rating predates the list of ratings.
    const old = { ...f, ratings: [] };
    expect(roundTrip(old)).toEqual(old);
    const empty = emptyFacts('HN-E2', '01');
    expect(encodeFacts(empty)).toBe('{}');
    expect(roundTrip(empty)).toEqual(empty);
  });

  it('reads rows stored in the full shape as before', () => {
    const f = fold('HN-E3', '00004', [{ dossierId: 'HN-E3', communeCode: '00004', eventId: 'x', type: 'digitized', occurredAt: '2026-02-02T08:00:00+07:00' } as DossierEvent]);
    const { ratings: _r, syncedAt: _s, storeSyncedAt: _a, storeNotSyncedAt: _b, ...older } = f;
    expect(decodeFacts(JSON.parse(JSON.stringify(older)) as Record<string, unknown>, 'HN-E3', '00004')).toEqual(withAllSlots(f));
  });
});
