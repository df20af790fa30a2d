import { describe, expect, it } from '@jest/globals';
import { VN_OFFSET_MS, eventUnitCode } from '@ioc/shared';
import { demoLinkSchedule } from './demo-relays.js';
import { DEMO_RELAY_COMMUNES } from './relay-exports.js';
import { DemoSimulator } from './simulator/index.js';
import { PROVINCES, UNITS } from './reference-units.spec-support.js';

const local = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h) - VN_OFFSET_MS;
const FROM = local(2026, 1, 5);
const TO = local(2026, 2, 5);

describe("the demo's real relays", () => {
  // The relay communes and the province they are in, so their profiles are the demo's.
  const units = UNITS.filter((u) => u.provinceCode === '04' || DEMO_RELAY_COMMUNES.includes(u.code));
  const held = new DemoSimulator(units, PROVINCES, { seed: 2025 });
  const relayed = new DemoSimulator(units, PROVINCES, { seed: 2025, relayed: DEMO_RELAY_COMMUNES });

  it('names communes of the reference data, remote ones with outages', () => {
    const codes = new Set(UNITS.map((u) => u.code));
    expect(DEMO_RELAY_COMMUNES.filter((c) => !codes.has(c))).toEqual([]);
    const withOutages = DEMO_RELAY_COMMUNES.filter((c) => held.outageWindows(c, FROM, TO).length > 0);
    expect(withOutages.length).toBeGreaterThanOrEqual(4);
  });

  it("exports a relay commune's events as they occur, leaving the outages to its relay; other communes are unchanged", () => {
    // A working-day outage of a relay commune, and the events that occurred during it.
    const code = DEMO_RELAY_COMMUNES.find((c) => held.outageWindows(c, FROM, TO).some((w) => w.to - w.from < 86_400_000))!;
    const w = held.outageWindows(code, FROM, TO).find((x) => x.to - x.from < 86_400_000)!;
    const during = (sim: DemoSimulator) =>
      sim
        .deliveries(Math.floor(w.from) - 3_600_000, Math.ceil(w.to) + 3_600_000)
        .filter((d) => eventUnitCode(d.event) === code && Date.parse(d.event.occurredAt) >= w.from && Date.parse(d.event.occurredAt) < w.to);
    const before = during(held);
    const after = during(relayed);
    expect(before.length).toBeGreaterThan(0);
    // Held back by the simulator: sent when the link returns.
    expect(before.every((d) => d.deliverAt >= w.to)).toBe(true);
    // Relayed: written out within minutes of occurring, inside the outage.
    expect(after.map((d) => d.event.eventId).sort()).toEqual(before.map((d) => d.event.eventId).sort());
    expect(after.every((d) => d.deliverAt - Date.parse(d.event.occurredAt) < 15 * 60_000)).toBe(true);
    expect(after.some((d) => d.deliverAt < w.to)).toBe(true);
    // A commune without a relay is held back as before.
    const other = units.find((u) => !DEMO_RELAY_COMMUNES.includes(u.code) && held.profile(u.code).remote)!.code;
    const key = (sim: DemoSimulator) =>
      sim
        .deliveries(FROM, FROM + 2 * 86_400_000)
        .filter((d) => eventUnitCode(d.event) === other)
        .map((d) => `${d.deliverAt}|${d.event.eventId}`);
    expect(key(relayed)).toEqual(key(held));
  });

  it("cuts the weak link during the commune's outage windows and lets it through, slowly, outside them, the same on every call", () => {
    const schedule = demoLinkSchedule(held, 2025);
    const again = demoLinkSchedule(new DemoSimulator(units, PROVINCES, { seed: 2025 }), 2025);
    let inside = 0;
    let outside = 0;
    let up = 0;
    for (const code of DEMO_RELAY_COMMUNES) {
      const windows = held.outageWindows(code, FROM, TO);
      for (let at = FROM; at < TO; at += 29 * 60_000 + 13_000) {
        const mode = schedule.mode(code, at);
        expect(again.mode(code, at)).toBe(mode);
        const delay = schedule.delayMs(code, at, 0);
        expect(again.delayMs(code, at, 0)).toBe(delay);
        expect(delay).toBeGreaterThanOrEqual(90);
        expect(delay).toBeLessThanOrEqual(2600);
        if (windows.some((w) => w.from <= at && at < w.to)) {
          inside++;
          expect(['reset', 'blackhole']).toContain(mode);
        } else {
          outside++;
          if (mode === 'up') up++;
          else expect(mode).toBe('lose-answers');
        }
      }
    }
    expect(inside).toBeGreaterThan(0);
    expect(up / outside).toBeGreaterThan(0.97);
    // A large batch takes longer than a heartbeat.
    expect(schedule.delayMs('01726', FROM, 200_000)).toBeGreaterThan(schedule.delayMs('01726', FROM, 0) + 5000);
  });
});
