import { describe, expect, it } from '@jest/globals';
import { DEFERRED_FIELDS, type Grain, HOUR_MS, ROLLUP_FIELDS, mulberry32 } from '@ioc/shared';
import { RollupAccumulator, type RollupWrite } from './rollup-accumulator.js';
import { provinceTotalUnit } from './rollup-tables.js';

const PROVINCE: Record<string, string> = { '00004': '01', '00007': '01', '25252': '79', '01': '01', '79': '79' };
const provinceOf = (u: string) => PROVINCE[u]!;

/** The rows a set of COPY inputs holds, by table|unit|bucket, with their non-zero fields. */
function written(writes: RollupWrite[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const w of writes) {
    const deferred = w.table === 'kpi_deferred';
    const fields = deferred ? DEFERRED_FIELDS : ROLLUP_FIELDS;
    // Leading fields: grain, unit, province, cohort, achieved (deferred) or unit, province, bucket.
    const kinds = deferred ? ['text', 'text', 'text', 'time', 'time'] : ['text', 'text', 'time'];
    const b = w.copy;
    let p = 19;
    let rows = 0;
    for (;;) {
      const n = b.readInt16BE(p);
      p += 2;
      if (n === -1) break;
      expect(n).toBe(kinds.length + fields.length);
      const key: string[] = [];
      const v: Record<string, number> = {};
      for (let f = 0; f < n; f++) {
        const len = b.readInt32BE(p);
        p += 4;
        if (f < kinds.length) {
          const value = kinds[f] === 'text' ? b.subarray(p, p + len).toString('utf8') : new Date(Number(b.readBigInt64BE(p) / 1000n) + Date.UTC(2000, 0, 1)).toISOString();
          if (!(deferred ? f === 2 : f === 1)) key.push(value); // the province is the unit's, not part of the key
        } else {
          const x = Number(b.readBigInt64BE(p));
          if (x !== 0) v[fields[f - kinds.length]!] = x;
        }
        p += len;
      }
      out.set([w.table, ...key].join('|'), v);
      rows++;
    }
    expect(p).toBe(b.length);
    expect(rows).toBe(w.rows);
  }
  return out;
}

describe('RollupAccumulator', () => {
  it("sums each change into its unit's row and its province total's, whatever the order of the adds", async () => {
    const rnd = mulberry32(77);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const hourlyFrom = Date.parse('2026-03-01T00:00:00+07:00');
    const acc = new RollupAccumulator(provinceOf, hourlyFrom);
    const expected = new Map<string, Record<string, number>>();
    const table = { hour: 'kpi_hourly', day: 'kpi_daily', month: 'kpi_monthly' };
    const put = (key: string, field: string, delta: number) => {
      const v = expected.get(key) ?? {};
      v[field] = (v[field] ?? 0) + delta;
      if (v[field] === 0) delete v[field];
      expected.set(key, v);
    };
    const base = Date.parse('2026-02-20T00:00:00+07:00');
    for (let i = 0; i < 20_000; i++) {
      // Runs of fields in one bucket, as a dossier's contributions come, mixed with scattered adds.
      const grain = pick<Grain>(['hour', 'day', 'month']);
      const unit = pick(Object.keys(PROVINCE));
      const bucket = base + Math.floor(rnd() * 20 * 24) * HOUR_MS;
      for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) {
        const field = pick(ROLLUP_FIELDS);
        const delta = rnd() < 0.5 ? -1 : 1 + Math.floor(rnd() * 3);
        acc.add(grain, unit, bucket, field, delta);
        if (grain === 'hour' && bucket < hourlyFrom) continue;
        for (const u of [unit, provinceTotalUnit(provinceOf(unit))]) put(`${table[grain]}|${u}|${new Date(bucket).toISOString()}`, field, delta);
      }
      if (rnd() < 0.1 && grain !== 'hour') {
        const field = pick(DEFERRED_FIELDS);
        const achieved = bucket + 2 * 24 * HOUR_MS;
        acc.addDeferred(grain, unit, bucket, achieved, field, 1);
        for (const u of [unit, provinceTotalUnit(provinceOf(unit))]) {
          put(`kpi_deferred|${grain === 'month' ? 'm' : 'd'}|${u}|${new Date(bucket).toISOString()}|${new Date(achieved).toISOString()}`, field, 1);
        }
      }
    }
    const want = new Map([...expected].filter(([, v]) => Object.keys(v).length > 0));
    const got = written(await acc.writes());
    expect(got.size).toBe(want.size);
    for (const [k, v] of want) expect({ k, v: got.get(k) }).toEqual({ k, v });
    // No hour before the retention was written.
    expect([...got.keys()].filter((k) => k.startsWith('kpi_hourly|') && Date.parse(k.split('|')[2]!) < hourlyFrom)).toEqual([]);
    expect([...got.keys()].some((k) => k.startsWith('kpi_hourly|'))).toBe(true);
  });
});
