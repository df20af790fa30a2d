import { beforeAll, describe, expect, it } from '@jest/globals';
import { type DossierEvent, DAY_MS, HOUR_MS, VN_OFFSET_MS, applyEvent, emptyFacts, localHourOf, localWeekdayOf, parseEvent, resolvedLate } from '@ioc/shared';
import { type Delivery, DemoSimulator, SIM_MAX_LIFECYCLE_MS, type SimUnit } from './simulator/index.js';
import { PROVINCES, UNITS } from './reference-units.spec-support.js';

// The reference data shipped with the server.

/** Epoch ms of a local (UTC+7) wall-clock time. */
const local = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min) - VN_OFFSET_MS;
const MONDAY = local(2026, 1, 12); // Monday 12 January 2026, 00:00 local
const every = (n: number, offset = 0) => UNITS.filter((_, i) => i % n === offset);
const HOP_THINH = '07864';
const keyOf = (d: Delivery) => `${d.deliverAt}|${JSON.stringify(d.event)}`;
const localDayOf = (ms: number) => Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
const minutesOfDay = (ms: number) => ((((ms + VN_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / 60_000;

describe('DemoSimulator: determinism', () => {
  const units = every(7);

  it('gives the same deliveries for the same seed and window, and different ones for another seed', () => {
    const a = new DemoSimulator(units, PROVINCES, { seed: 1 }).deliveries(MONDAY + 9 * HOUR_MS, MONDAY + 11 * HOUR_MS);
    const b = new DemoSimulator(units, PROVINCES, { seed: 1 }).deliveries(MONDAY + 9 * HOUR_MS, MONDAY + 11 * HOUR_MS);
    const c = new DemoSimulator(units, PROVINCES, { seed: 2 }).deliveries(MONDAY + 9 * HOUR_MS, MONDAY + 11 * HOUR_MS);
    expect(a.length).toBeGreaterThan(1000);
    expect(b.map(keyOf)).toEqual(a.map(keyOf));
    expect(c.map(keyOf)).not.toEqual(a.map(keyOf));
  });

  it('returns deliveries sorted by deliverAt, all inside the window', () => {
    const from = MONDAY + 9.5 * HOUR_MS;
    const to = from + 90 * 60_000;
    const d = new DemoSimulator(units, PROVINCES, { seed: 1 }).deliveries(from, to);
    for (let i = 1; i < d.length; i++) expect(d[i].deliverAt).toBeGreaterThanOrEqual(d[i - 1].deliverAt);
    expect(d.every((x) => x.deliverAt >= from && x.deliverAt < to)).toBe(true);
    expect(new DemoSimulator(units, PROVINCES, { seed: 1 }).deliveries(to, from)).toEqual([]);
  });

  it('is additive: [a,b) + [b,c) = [a,c), whatever the call order and memo state', () => {
    const a = MONDAY + 8 * HOUR_MS;
    const b = a + 47 * 60_000 + 13_500; // an odd instant
    const c = b + 5 * HOUR_MS;
    const whole = new DemoSimulator(units, PROVINCES, { seed: 3 }).deliveries(a, c).map(keyOf);
    expect(whole.length).toBeGreaterThan(5000);

    const split = new DemoSimulator(units, PROVINCES, { seed: 3 });
    expect([...split.deliveries(a, b), ...split.deliveries(b, c)].map(keyOf)).toEqual(whole);

    const backwards = new DemoSimulator(units, PROVINCES, { seed: 3 });
    const late = backwards.deliveries(b, c);
    expect([...backwards.deliveries(a, b), ...late].map(keyOf)).toEqual(whole);

    // Many small steps on one instance (the memo), interleaved with unrelated windows.
    const ticks = new DemoSimulator(units, PROVINCES, { seed: 3 });
    const parts: Delivery[] = [];
    for (let t = a; t < c; t += 7 * 60_000) {
      parts.push(...ticks.deliveries(t, Math.min(t + 7 * 60_000, c)));
      if ((t - a) % (70 * 60_000) === 0) ticks.deliveries(a - 3 * DAY_MS, a - 2 * DAY_MS);
    }
    expect(parts.map(keyOf)).toEqual(whole);
  });

  it('is additive over days for remote units, whose events arrive hours late', () => {
    const remote = new DemoSimulator(UNITS, PROVINCES, { seed: 5 });
    const units = UNITS.filter((u) => remote.profile(u.code).remote).slice(0, 60);
    const a = MONDAY - DAY_MS;
    const c = MONDAY + 3 * DAY_MS;
    const whole = new DemoSimulator(units, PROVINCES, { seed: 5 }).deliveries(a, c).map(keyOf);
    const stepped = new DemoSimulator(units, PROVINCES, { seed: 5 });
    const parts: Delivery[] = [];
    for (let t = a; t < c; t += 5 * HOUR_MS + 1) parts.push(...stepped.deliveries(t, Math.min(t + 5 * HOUR_MS + 1, c)));
    expect(parts.map(keyOf)).toEqual(whole);
  });

  it('gives by receipt day exactly what it sends window by window (the history import and the live feed meet without gaps or overlaps)', () => {
    const probe = new DemoSimulator(UNITS, PROVINCES, { seed: 6 });
    const mixed = [...every(120), ...UNITS.filter((u) => probe.profile(u.code).remote).slice(0, 12)];
    const sim = new DemoSimulator(mixed, PROVINCES, { seed: 6 });
    const until = MONDAY + 2 * DAY_MS + 10.5 * HOUR_MS; // Wednesday mid-morning
    const from = MONDAY - 2 * DAY_MS;
    const byDay: Delivery[] = [];
    let beforeReceipt = 0;
    for (let d = localDayOf(from - SIM_MAX_LIFECYCLE_MS); d <= localDayOf(until - 1); d++) {
      const day = sim.receivedOn(d * DAY_MS - VN_OFFSET_MS, until);
      beforeReceipt += day.filter((x) => localDayOf(Date.parse(x.event.occurredAt)) < d).length;
      byDay.push(...day.filter((x) => x.deliverAt >= from));
    }
    expect(beforeReceipt).toBe(0);
    const windowed = new DemoSimulator(mixed, PROVINCES, { seed: 6 }).deliveries(from, until).map(keyOf);
    expect(windowed.length).toBeGreaterThan(1000);
    expect(byDay.map(keyOf).sort()).toEqual([...windowed].sort());
  });

  it('simulates each unit independently of the others in the list', () => {
    const few = UNITS.slice(100, 130);
    const codes = new Set(few.map((u) => u.code));
    const from = MONDAY + 10 * HOUR_MS;
    const others = every(3, 1).filter((u) => !codes.has(u.code));
    const all = new DemoSimulator([...others, ...few], PROVINCES, { seed: 9 }).deliveries(from, from + 2 * HOUR_MS);
    const alone = new DemoSimulator(few, PROVINCES, { seed: 9 }).deliveries(from, from + 2 * HOUR_MS);
    expect(alone.map(keyOf)).toEqual(all.filter((d) => codes.has(d.event.communeCode ?? '')).map(keyOf));
  });
});

describe('DemoSimulator: events', () => {
  let day: Delivery[];
  beforeAll(() => {
    day = new DemoSimulator(every(11), PROVINCES, { seed: 11 }).deliveries(MONDAY, MONDAY + DAY_MS);
  });

  it('produces events that all pass parseEvent at their delivery time', () => {
    expect(day.length).toBeGreaterThan(20_000);
    const rejected = day.map((d) => ({ d, r: parseEvent(d.event, d.deliverAt) })).filter((x) => !x.r.ok);
    expect(rejected.slice(0, 3)).toEqual([]);
  });

  it('uses deterministic ids, commune codes and +07:00 instants', () => {
    const codes = new Set(every(11).map((u) => u.code));
    const bad: string[] = [];
    for (const { deliverAt, event: e } of day) {
      const ok =
        /^H\d{2}\.\d{5}-\d{6}-\d{5}$/.test(e.dossierId) &&
        e.dossierId.slice(4, 9) === e.communeCode &&
        codes.has(e.communeCode ?? '') &&
        e.eventId === `sim-${e.dossierId}-${e.type}-${e.eventId.endsWith('-2') ? 2 : 1}` &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/.test(e.occurredAt) &&
        Date.parse(e.occurredAt) <= deliverAt &&
        (e.type !== 'received' || Date.parse(e.dueAt) >= Date.parse(e.occurredAt));
      if (!ok) bad.push(JSON.stringify(e));
    }
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('keeps event ids unique except for duplicates, which repeat the same event', () => {
    const seen = new Map<string, string>();
    for (const { event } of day) {
      const json = JSON.stringify(event);
      const prev = seen.get(event.eventId);
      if (prev !== undefined) expect(json).toBe(prev);
      seen.set(event.eventId, json);
    }
  });

  it('follows a consistent lifecycle per dossier', () => {
    // Dossiers received in the first two days of a window long enough to hold their whole lives.
    const units = every(150);
    const from = MONDAY;
    const sim = new DemoSimulator(units, PROVINCES, { seed: 13 });
    const all = sim.deliveries(from, from + 2 * DAY_MS + SIM_MAX_LIFECYCLE_MS);
    const byDossier = new Map<string, Delivery[]>();
    for (const d of all) {
      const list = byDossier.get(d.event.dossierId) ?? [];
      list.push(d);
      byDossier.set(d.event.dossierId, list);
    }
    let checked = 0;
    let late = 0;
    let resolved = 0;
    for (const [id, list] of byDossier) {
      const received = list.find((d) => d.event.type === 'received')?.event;
      if (!received || received.type !== 'received') continue;
      const r = Date.parse(received.occurredAt);
      if (r < from || r >= from + 2 * DAY_MS) continue;
      checked++;
      const events = [...new Map(list.map((d) => [d.event.eventId, d.event])).values()];
      const at = (e: DossierEvent) => Date.parse(e.occurredAt);
      const of = (t: DossierEvent['type']) => events.filter((e) => e.type === t);
      const [completed] = of('completed');
      expect({ id, completed: of('completed').length }).toEqual({ id, completed: 1 });
      if (completed.type !== 'completed') throw new Error('unreachable');
      for (const e of events) expect(at(e)).toBeGreaterThanOrEqual(r);
      const requests = of('supplement_requested');
      expect(requests.length).toBeLessThanOrEqual(2);
      expect(of('supplement_received').length).toBeLessThanOrEqual(requests.length);
      for (const e of [...requests, ...of('supplement_received')]) expect(at(e)).toBeLessThan(at(completed));
      for (const e of [...of('result_issued'), ...of('rated')]) expect(at(e)).toBeGreaterThanOrEqual(at(completed));
      expect(of('result_issued').length).toBe(received.resultRequired && completed.outcome === 'resolved' ? 1 : 0);
      expect(of('paid').length).toBe(received.feeRequired ? 1 : 0);
      // Every delivery stays within the bound the lookback relies on.
      const dayStart = localDayOf(r) * DAY_MS - VN_OFFSET_MS;
      for (const d of list) expect(d.deliverAt - dayStart).toBeLessThanOrEqual(SIM_MAX_LIFECYCLE_MS);
      // Staff complete dossiers in opening hours.
      const wd = localWeekdayOf(at(completed));
      const minute = minutesOfDay(at(completed));
      expect(wd >= 1 && wd <= 5 && minute >= 450 && minute <= 1020 && !(minute > 690 && minute < 810)).toBe(true);

      const facts = emptyFacts(id, received.communeCode ?? '');
      for (const e of events) applyEvent(facts, e, at(e));
      resolved++;
      if (resolvedLate(facts)) late++;
    }
    expect(checked).toBeGreaterThan(300);
    // On time mostly (90–100% per commune, a few struggling ones lower).
    expect(late / resolved).toBeLessThan(0.12);
  });
});

describe('DemoSimulator: calibration over a week', () => {
  const week = { from: MONDAY, to: MONDAY + 7 * DAY_MS };
  const units = every(13).concat(UNITS.filter((u) => u.code === HOP_THINH));
  let sim: DemoSimulator;
  let deliveries: Delivery[];
  let received: Extract<DossierEvent, { type: 'received' }>[];
  beforeAll(() => {
    sim = new DemoSimulator(units, PROVINCES, { seed: 17 });
    deliveries = sim.deliveries(week.from, week.to);
    const ids = new Set<string>();
    received = [];
    for (const { event } of deliveries) {
      if (event.type !== 'received' || ids.has(event.eventId)) continue;
      ids.add(event.eventId);
      const t = Date.parse(event.occurredAt);
      if (t >= week.from && t < week.to) received.push(event);
    }
  });

  it('receives ~10 to ~300 dossiers per unit on a working day, phường busier than xã', () => {
    const perUnit = new Map<string, number>();
    for (const e of received) {
      const wd = localWeekdayOf(Date.parse(e.occurredAt));
      if (wd >= 1 && wd <= 5) perUnit.set(e.communeCode ?? '', (perUnit.get(e.communeCode ?? '') ?? 0) + 1);
    }
    const daily = units.map((u) => (perUnit.get(u.code) ?? 0) / 5);
    const sorted = [...daily].sort((a, b) => a - b);
    expect(sorted[0]).toBeGreaterThanOrEqual(4);
    expect(sorted[sorted.length - 1]).toBeLessThanOrEqual(340);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(20);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(80);
    // The Hợp Thịnh anchor: 250–300 a day.
    const hopThinh = (perUnit.get(HOP_THINH) ?? 0) / 5;
    expect(hopThinh).toBeGreaterThan(220);
    expect(hopThinh).toBeLessThan(330);
    const mean = (type: SimUnit['type']) => {
      const xs = units.flatMap((u, i) => (u.type === type ? [daily[i]] : []));
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('phường')).toBeGreaterThan(1.5 * mean('xã'));
  });

  it('profiles every unit between 10 and 300 a day, with a few busy hubs', () => {
    const all = new DemoSimulator(UNITS, PROVINCES, { seed: 17 });
    const volumes = UNITS.map((u) => all.profile(u.code).weekdayVolume);
    expect(Math.min(...volumes)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...volumes)).toBeLessThanOrEqual(300);
    expect(volumes.filter((v) => v >= 250).length).toBeGreaterThanOrEqual(3);
    expect(all.profile(HOP_THINH).weekdayVolume).toBeGreaterThanOrEqual(250);
    expect(() => all.profile('99999')).toThrow(RangeError);
  });

  it('keeps nights near-empty and counters to opening hours', () => {
    const night = received.filter((e) => {
      const h = localHourOf(Date.parse(e.occurredAt));
      return h >= 22 || h < 6;
    });
    expect(night.length / received.length).toBeLessThan(0.04);
    const closed = received.filter((e) => {
      if (e.channel === 'online') return false;
      const t = Date.parse(e.occurredAt);
      const wd = localWeekdayOf(t);
      const minute = minutesOfDay(t);
      const morning = minute >= 450 && minute < 690;
      return !((wd >= 1 && wd <= 5 && (morning || (minute >= 810 && minute < 1020))) || (wd === 6 && morning));
    });
    expect(closed.map((e) => e.occurredAt).slice(0, 3)).toEqual([]);
    const sunday = received.filter((e) => localWeekdayOf(Date.parse(e.occurredAt)) === 0).length;
    const monday = received.filter((e) => localWeekdayOf(Date.parse(e.occurredAt)) === 1).length;
    expect(sunday).toBeLessThan(0.3 * monday);
  });

  it('delivers events of well-connected units within seconds to minutes', () => {
    const delays = deliveries
      .filter((d) => !sim.profile(d.event.communeCode ?? '').remote)
      .map((d) => d.deliverAt - Date.parse(d.event.occurredAt))
      .sort((a, b) => a - b);
    expect(delays[0]).toBeGreaterThanOrEqual(0);
    expect(delays[Math.floor(delays.length / 2)]).toBeLessThan(15_000);
    expect(delays[Math.floor(delays.length * 0.99)]).toBeLessThan(15 * 60_000);
    expect(delays[delays.length - 1]).toBeLessThanOrEqual(3 * HOUR_MS + 120_000);
  });

  it('delivers duplicates at about the configured rate', () => {
    const ids = new Set(deliveries.map((d) => d.event.eventId));
    const rate = (deliveries.length - ids.size) / ids.size;
    expect(rate).toBeGreaterThan(0.0012);
    expect(rate).toBeLessThan(0.0028);

    const units = every(40);
    const many = new DemoSimulator(units, PROVINCES, { seed: 17, duplicateRate: 0.05 }).deliveries(MONDAY, MONDAY + DAY_MS);
    const manyIds = new Set(many.map((d) => d.event.eventId));
    expect((many.length - manyIds.size) / manyIds.size).toBeGreaterThan(0.04);
    expect((many.length - manyIds.size) / manyIds.size).toBeLessThan(0.06);
    const none = new DemoSimulator(units, PROVINCES, { seed: 17, duplicateRate: 0 }).deliveries(MONDAY, MONDAY + DAY_MS);
    expect(new Set(none.map((d) => d.event.eventId)).size).toBe(none.length);
  });
});

describe('DemoSimulator: provinces and remote communes', () => {
  const sim = new DemoSimulator(UNITS, PROVINCES, { seed: 23 });

  it('spreads online filing across provinces from the teens to 80%+', () => {
    const byProvince = new Map<string, [number, number]>();
    for (const u of UNITS) {
      const p = sim.profile(u.code);
      const acc = byProvince.get(u.provinceCode) ?? [0, 0];
      acc[0] += p.weekdayVolume * p.onlineRate;
      acc[1] += p.weekdayVolume;
      byProvince.set(u.provinceCode, acc);
    }
    const rates = [...byProvince.values()].map(([on, all]) => on / all);
    expect(Math.min(...rates)).toBeLessThan(0.2);
    expect(Math.max(...rates)).toBeGreaterThan(0.8);
    const national = [...byProvince.values()].reduce((a, [on, all]) => [a[0] + on, a[1] + all], [0, 0]);
    expect(national[0] / national[1]).toBeGreaterThan(0.35);
    expect(national[0] / national[1]).toBeLessThan(0.6);

    // Observed on a working day: Quảng Ninh (22) above 75%, Lai Châu (12) under 30%.
    const observed = (province: string) => {
      const units = UNITS.filter((u) => u.provinceCode === province);
      const events = new DemoSimulator(units, PROVINCES, { seed: 23 }).deliveries(MONDAY + DAY_MS, MONDAY + 2 * DAY_MS);
      const rec = events.flatMap((d) => (d.event.type === 'received' ? [d.event] : []));
      return rec.filter((e) => e.channel === 'online').length / rec.length;
    };
    expect(observed('22')).toBeGreaterThan(0.75);
    expect(observed('12')).toBeLessThan(0.3);
  });

  it('profiles shares within the calibrated ranges', () => {
    const profiles = UNITS.map((u) => sim.profile(u.code));
    const share = (f: (p: (typeof profiles)[number]) => boolean) => profiles.filter(f).length / profiles.length;
    expect(share((p) => p.remote)).toBeGreaterThan(0.04);
    expect(share((p) => p.remote)).toBeLessThan(0.09);
    expect(share((p) => p.struggling)).toBeGreaterThan(0.02);
    expect(share((p) => p.struggling)).toBeLessThan(0.07);
    expect(share((p) => p.onTimeRate >= 0.9 || p.struggling)).toBe(1);
    for (const p of profiles) {
      expect(p.fullOnlineEligibleShare).toBeGreaterThan(0.3);
      expect(p.fullOnlineEligibleShare).toBeLessThan(0.7);
      expect(p.digitizationRate).toBeGreaterThanOrEqual(0.4);
      expect(p.digitizationRate).toBeLessThanOrEqual(0.95);
      expect(p.eResultShare).toBeGreaterThanOrEqual(0.5);
      expect(p.eResultShare).toBeLessThanOrEqual(0.95);
      expect(p.complaintRate).toBeGreaterThanOrEqual(0.005);
      expect(p.complaintRate).toBeLessThanOrEqual(0.05);
      expect(Object.values(p.sectorShares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    // Remote units are mostly in the mountain provinces.
    const mountain = new Set(['04', '08', '11', '12', '14', '15', '44']);
    const remote = profiles.filter((p) => p.remote);
    expect(remote.filter((p) => mountain.has(p.provinceCode)).length / remote.length).toBeGreaterThan(0.5);
    // Online payment follows online filing.
    const hi = profiles.filter((p) => p.onlineRate > 0.6);
    const lo = profiles.filter((p) => p.onlineRate < 0.25);
    const avg = (xs: typeof profiles) => xs.reduce((a, p) => a + p.onlinePaymentShare, 0) / xs.length;
    expect(avg(hi)).toBeGreaterThan(avg(lo) + 0.3);
  });

  it('delivers remote communes late, in bursts, and sometimes not for a whole day', () => {
    const remoteUnits = UNITS.filter((u) => sim.profile(u.code).remote);
    const from = MONDAY;
    const to = MONDAY + 7 * DAY_MS;
    const d = new DemoSimulator(remoteUnits, PROVINCES, { seed: 23 }).deliveries(from, to);
    const held = d.filter((x) => x.deliverAt - Date.parse(x.event.occurredAt) > HOUR_MS);
    expect(held.length / d.length).toBeGreaterThan(0.02);
    expect(Math.max(...held.map((x) => x.deliverAt - Date.parse(x.event.occurredAt)))).toBeGreaterThan(12 * HOUR_MS);

    // A burst: many held events of one unit sent within two minutes of each other.
    const byUnit = new Map<string, number[]>();
    for (const x of held) byUnit.set(x.event.communeCode ?? '', [...(byUnit.get(x.event.communeCode ?? '') ?? []), x.deliverAt]);
    let biggestBurst = 0;
    for (const times of byUnit.values()) {
      for (let i = 0, j = 0; j < times.length; j++) {
        while (times[j] - times[i] > 120_000) i++;
        biggestBurst = Math.max(biggestBurst, j - i + 1);
      }
    }
    expect(biggestBurst).toBeGreaterThanOrEqual(10);

    // A silent day: events happened, none was delivered that local day.
    const occurred = new Map<string, number>();
    const delivered = new Set<string>();
    for (const x of d) {
      occurred.set(`${x.event.communeCode}|${localDayOf(Date.parse(x.event.occurredAt))}`, (occurred.get(`${x.event.communeCode}|${localDayOf(Date.parse(x.event.occurredAt))}`) ?? 0) + 1);
      delivered.add(`${x.event.communeCode}|${localDayOf(x.deliverAt)}`);
    }
    const firstDay = localDayOf(from);
    const silent = [...occurred].filter(([key, n]) => n >= 5 && !delivered.has(key) && Number(key.split('|')[1]) > firstDay);
    expect(silent.length).toBeGreaterThan(0);
  });
});

describe('DemoSimulator: performance sanity', () => {
  it('generates an hour for all 3,321 units, then live ticks, without a timing assertion', () => {
    const sim = new DemoSimulator(UNITS, PROVINCES, { seed: 29 });
    const from = MONDAY + 9 * HOUR_MS;
    let t = performance.now();
    const hour = sim.deliveries(from, from + HOUR_MS);
    const hourMs = performance.now() - t;
    t = performance.now();
    let ticked = 0;
    for (let k = 0; k < 10; k++) ticked += sim.deliveries(from + HOUR_MS + k * 2000, from + HOUR_MS + (k + 1) * 2000).length;
    const tickMs = (performance.now() - t) / 10;
    expect(UNITS.length).toBeGreaterThan(3000);
    expect(hour.length).toBeGreaterThan(50_000);
    expect(ticked).toBeGreaterThan(0);
    // For the record (the lead's budget: well under 1 s an hour).
    process.stdout.write(`demo simulator: 1 h for ${UNITS.length} units = ${hour.length} deliveries in ${hourMs.toFixed(0)} ms; 2 s tick ${tickMs.toFixed(1)} ms\n`);
  });
});
