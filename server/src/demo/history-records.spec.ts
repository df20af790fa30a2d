import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ContributionSink, type DossierEvent, type DossierFacts, DAY_MS, HOUR_MS, VN_OFFSET_MS, applyEvent, contribute, emptyFacts, eventUnitCode, parseRecord } from '@ioc/shared';
import { recordsOfDeliveries } from './history-records.js';
import { DemoSimulator, type SimProvince, type SimUnit } from './simulator/index.js';

const data = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../data/vn-admin/${name}`, import.meta.url)), 'utf8')) as unknown[];
const UNITS = (data('communes.json') as SimUnit[]).filter((_, i) => i % 50 === 0).map(({ code, name, type, provinceCode, areaKm2 }) => ({ code, name, type, provinceCode, areaKm2 }));
const PROVINCES = (data('provinces.json') as SimProvince[]).map(({ code, name, population }) => ({ code, name, population }));

/** Every rollup cell a set of dossiers adds up to, as "grain|unit|bucket|field" → count. */
function cells(dossiers: Iterable<DossierFacts>): Map<string, number> {
  const out = new Map<string, number>();
  const bump = (k: string, d: number) => {
    const v = (out.get(k) ?? 0) + d;
    if (v === 0) out.delete(k);
    else out.set(k, v);
  };
  const sink: ContributionSink = {
    add: (g, unit, bucket, field, delta) => bump(`${g}|${unit}|${bucket}|${field}`, delta),
    addDeferred: (g, unit, cohort, achieved, field, delta) => bump(`${g}|${unit}|${cohort}|${achieved}|${field}`, delta),
  };
  for (const f of dossiers) contribute(f, 1, sink);
  return out;
}

function fold(events: readonly DossierEvent[]): Map<string, DossierFacts> {
  const out = new Map<string, DossierFacts>();
  for (const e of events) {
    let f = out.get(e.dossierId);
    if (!f) out.set(e.dossierId, (f = emptyFacts(e.dossierId, eventUnitCode(e))));
    applyEvent(f, e, Date.parse(e.occurredAt));
  }
  return out;
}

describe('demo history as dossier records', () => {
  const sim = new DemoSimulator(UNITS, PROVINCES, { seed: 11 });
  // A Tuesday's receipts, as delivered up to the Friday morning when the live feed started.
  const tuesday = Date.UTC(2026, 0, 13) - VN_OFFSET_MS;
  const liveFrom = tuesday + 3 * DAY_MS + 9 * HOUR_MS;
  const deliveries = sim.receivedOn(tuesday, liveFrom);
  const day = recordsOfDeliveries(deliveries);

  it('makes one valid record per dossier whose receipt was delivered', () => {
    expect(day.records.length).toBeGreaterThan(1000);
    expect(new Set(day.records.map((r) => r.dossierId)).size).toBe(day.records.length);
    for (const r of day.records) {
      const p = parseRecord(JSON.parse(JSON.stringify(r)), liveFrom);
      if (!p.ok) throw new Error(`${r.dossierId}: ${p.reason}`);
    }
    expect(day.records.some((r) => (r.supplementCount ?? 0) >= 2)).toBe(true);
    expect(day.records.some((r) => r.completedAt === undefined)).toBe(true);
  });

  it('adds up to exactly the figures of the events it stands for', () => {
    const fromEvents = fold(deliveries.map((d) => d.event));
    const fromRecords = fold([...day.records.flatMap((r) => (parseRecord(r, liveFrom) as { events: DossierEvent[] }).events), ...day.strays]);
    expect(fromRecords.size).toBe(fromEvents.size);
    expect(cells(fromRecords.values())).toEqual(cells(fromEvents.values()));
  });

  it('leaves a dossier whose receipt is not delivered yet to events', () => {
    // Just after the receipt cluster of a busy morning, some receipts are still on their way while later events are not.
    const early = recordsOfDeliveries(sim.receivedOn(tuesday, tuesday + 9 * HOUR_MS));
    for (const e of early.strays) expect(early.records.some((r) => r.dossierId === e.dossierId)).toBe(false);
    expect(early.records.length).toBeGreaterThan(0);
  });
});
