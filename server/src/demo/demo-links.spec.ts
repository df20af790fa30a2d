import { describe, expect, it } from '@jest/globals';
import { VN_OFFSET_MS, readinessScore } from '@ioc/shared';
import { demoReadiness, quarterEnds } from './demo-links.js';
import { DemoSimulator, type SimUnit } from './simulator/index.js';
import { PROVINCES, UNITS } from './reference-units.spec-support.js';

const local = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h) - VN_OFFSET_MS;

describe("the demo's links and readiness", () => {
  const units = UNITS.filter((_, i) => i % 5 === 0);
  const sim = new DemoSimulator(units, PROVINCES, { seed: 7 });

  it('gives remote communes outages (the windows that hold their events back) and others almost none', () => {
    const from = local(2026, 1, 5);
    const to = local(2026, 2, 5);
    const remote = units.filter((u) => sim.profile(u.code).remote);
    const normal = units.filter((u) => !sim.profile(u.code).remote);
    expect(remote.length).toBeGreaterThan(20);
    const mean = (list: SimUnit[]) => list.reduce((a, u) => a + sim.outageWindows(u.code, from, to).reduce((x, w) => x + (w.to - w.from), 0), 0) / list.length / 3_600_000;
    expect(mean(remote)).toBeGreaterThan(10 * mean(normal));
    // The same windows on every call, for the same seed.
    const u = remote[0]!.code;
    expect(new DemoSimulator(units, PROVINCES, { seed: 7 }).outageWindows(u, from, to)).toEqual(sim.outageWindows(u, from, to));
  });

  it('gives each commune a readiness profile that follows its figures, the same for the same seed', () => {
    const scores = units.map((u) => {
      const p = sim.profile(u.code);
      const v = demoReadiness(p, 7, true);
      expect(demoReadiness(p, 7, true)).toEqual(v);
      expect(v.latest.vneidLevel2Share).toBeGreaterThanOrEqual(v.older.vneidLevel2Share);
      return { remote: p.remote, score: readinessScore(Object.fromEntries(Object.entries(v.latest).map(([k, x]) => [k, { value: x }])))! };
    });
    const avg = (xs: { score: number }[]) => xs.reduce((a, x) => a + x.score, 0) / xs.length;
    expect(avg(scores.filter((s) => s.remote))).toBeLessThan(avg(scores.filter((s) => !s.remote)) - 5);
  });

  it('dates the two versions at the ends of the last two quarters', () => {
    expect(quarterEnds('2026-12-06')).toEqual(['2026-06-30', '2026-09-30']);
    expect(quarterEnds('2026-02-10')).toEqual(['2025-09-30', '2025-12-31']);
    expect(quarterEnds('2026-04-01')).toEqual(['2025-12-31', '2026-03-31']);
  });
});
