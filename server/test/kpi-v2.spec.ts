import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DAY_MS,
  countFeeProcedures,
  feeProcedureEntry,
  type DossierEvent,
  INDEX_V2_BY_ID,
  INDEX_V2_SUB_INDICATORS,
  type KpiResponse,
  type RankingResponse,
  evaluatePeriod,
  indexV2CountsOf,
  indexV2View,
  startOfLocalDate,
} from '@ioc/shared';
import { type DossierSpec, eventsOf, foldEvents } from '../../shared/src/kpi/test-dossiers.js';
import { registerIngestKey } from '../src/auth/provision.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

const HANOI_KEY = 'kpi-v2-hanoi-key-0001';
const COMMUNE_KEY = 'kpi-v2-commune-key-01';

let t: TestApp;
const post = (events: unknown[]) => t.http.post('/api/v1/events?wait=projected').set('X-Api-Key', TEST_API_KEY).send({ events });
const kpis = async (scope: string, from: string, to: string): Promise<KpiResponse> => {
  const res = await t.http.get('/api/v1/kpis').query({ scope, from, to });
  expect(res.status).toBe(200);
  return res.body as KpiResponse;
};

/** The index the rules give, computed directly from the events (no rollup involved). */
function expectedIndex(events: DossierEvent[], from: string, to: string, unit?: (u: string) => boolean) {
  const syncStarts = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'synced') continue;
    const u = (e.communeCode ?? e.provinceCode)!;
    const at = Date.parse(e.occurredAt);
    if (!(syncStarts.get(u)! <= at)) syncStarts.set(u, at);
  }
  const facts = foldEvents(events).filter((f) => !unit || unit(f.unitCode));
  const [start, end] = [startOfLocalDate(from), startOfLocalDate(to) + DAY_MS];
  // 3.5b counts distinct procedures, by its own rule.
  const fee = countFeeProcedures(
    facts.flatMap((f) => feeProcedureEntry(f) ?? []),
    start,
    end,
  );
  return indexV2View(indexV2CountsOf(evaluatePeriod(facts, start, end, syncStarts), fee));
}

const provinceOf = new Map<string, string>();
beforeAll(async () => {
  t = await startTestApp();
  for (const r of (await t.db.query(`SELECT code, province_code FROM commune`)) as { code: string; province_code: string }[]) provinceOf.set(r.code, r.province_code);
  await registerIngestKey(t.db, HANOI_KEY, 'province:01', 'Danh mục TTHC Hà Nội');
  await registerIngestKey(t.db, COMMUNE_KEY, 'commune:00004', 'Một cửa phường Ba Đình');
});
afterAll(async () => {
  await t?.close();
});

describe('kpi-v2: contract v1.1 through the API into the index', () => {
  // 00004 and 00008 (province 01) send v1.1; 00025 (province 01) sends v1 only; 00070 sends v1.1 without `synced`.
  const specs: DossierSpec[] = [
    {
      id: 'V1',
      unit: '00004',
      received: '2026-05-04T08:00',
      due: '2026-05-06T17:00',
      channel: 'online',
      fullOnlineEligible: true,
      reusedDigitizedData: true,
      citizenDataUsed: true,
      fromCitizenStore: false,
      synced: '2026-05-04T09:00',
      resultRequired: true,
      completed: '2026-05-05T10:00',
      resultIssued: { at: '2026-05-05T10:00', electronic: true, syncedToCitizenStore: true },
      rated: { at: '2026-05-05T11:00', satisfied: true, complaint: false },
    },
    {
      id: 'V2',
      unit: '00004',
      received: '2026-05-04T09:00',
      due: '2026-05-06T17:00',
      reusedDigitizedData: false,
      citizenDataUsed: true,
      synced: '2026-05-08T09:00',
      completed: '2026-05-07T10:00',
      rated: { at: '2026-05-07T11:00', satisfied: true, complaint: false },
      laterRatings: [{ at: '2026-05-09T08:00', satisfied: false, complaint: false }],
    },
    { id: 'V3', unit: '00004', received: '2026-05-05T10:00', due: '2026-05-12T17:00', fromCitizenStore: true, feeRequired: true, paid: { at: '2026-05-05T10:05', online: true } },
    {
      id: 'V4',
      unit: '00008',
      received: '2026-05-05T11:00',
      due: '2026-05-08T17:00',
      citizenDataUsed: false,
      fromCitizenStore: false,
      synced: '2026-05-05T12:00',
      resultRequired: true,
      completed: '2026-05-06T15:00',
      resultIssued: { at: '2026-05-06T15:00', electronic: true, syncedToCitizenStore: false },
      rated: { at: '2026-05-06T16:00', satisfied: false, complaint: false },
    },
    { id: 'V5', unit: '00008', received: '2026-05-11T08:00', due: '2026-05-13T17:00', reusedDigitizedData: true, digitized: '2026-05-11T08:30' },
    { id: 'V6', unit: '00025', received: '2026-05-04T08:00', due: '2026-05-06T17:00', completed: '2026-05-05T08:00' },
    { id: 'V7', unit: '00070', received: '2026-05-06T08:00', due: '2026-05-07T17:00', reusedDigitizedData: true, completed: '2026-05-08T08:00' },
  ];
  const events = specs.flatMap(eventsOf);

  it('accepts v1 and v1.1 events alike', async () => {
    const res = await post(events);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: events.length, rejected: 0 });
  });

  it.each([
    ['commune:00004', '2026-05-04', '2026-05-04'],
    ['commune:00004', '2026-05-04', '2026-05-07'],
    ['commune:00004', '2026-05-01', '2026-05-31'],
    ['commune:00008', '2026-05-05', '2026-05-06'],
    ['commune:00025', '2026-05-01', '2026-05-31'],
    ['province:01', '2026-05-04', '2026-05-08'],
    ['province:01', '2026-05-01', '2026-05-31'],
    ['nation', '2026-05-04', '2026-05-10'],
    ['nation', '2026-05-01', '2026-05-31'],
  ])('serves the index of %s %s..%s exactly as the rules compute it', async (scope, from, to) => {
    const body = await kpis(scope, from, to);
    const unitFilter = scope.startsWith('commune:') ? (u: string) => u === scope.slice(8) : scope.startsWith('province:') ? (u: string) => provinceOf.get(u) === scope.slice(9) : undefined;
    expect(body.kpiVersion).toBe('kpi-v2');
    expect(body.indexV2).toEqual(expectedIndex(events, from, to, unitFilter));
  });

  it('refuses an unknown query parameter with its name, rather than answering for another scope', async () => {
    for (const [path, query, unknown] of [
      ['/api/v1/kpis', { scop: 'province:01' }, 'scop'],
      ['/api/v1/kpis/series', { scope: 'province:01', granularty: 'month' }, 'granularty'],
      ['/api/v1/rankings', { scope: 'nation', by: 'index', lvl: 'commune' }, 'lvl'],
      ['/api/v1/alerts/evaluation', { scope: 'nation' }, 'scope'],
    ] as const) {
      const res = await t.http.get(path).query(query);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.message).toContain(`unknown query parameter(s): ${unknown};`);
    }
  });

  it('keeps the v1 fields of the answer', async () => {
    const body = await kpis('commune:00004', '2026-05-01', '2026-05-31');
    expect(Object.keys(body.kpis)).toEqual(['onTime', 'online', 'fullOnline', 'digitized', 'eResult', 'onlinePayment', 'satisfaction']);
    expect(body.counts.received).toBe(3);
    expect(body.index.components.length).toBeGreaterThan(0);
  });

  it('gives a v1-only unit no data for the v1.1 sub-indicators, and never rescales to 100', async () => {
    const body = await kpis('commune:00025', '2026-05-01', '2026-05-31');
    const idx = body.indexV2!;
    for (const id of ['1.4', '4.3', '4.4', '4.5b', '5.2', '5.3', '1.1', '3.5a']) expect(idx.missing).toContain(id);
    expect(idx.available).toBeLessThan(100);
    expect(idx.maxPoints).toBe(100);
    expect(idx.earned).toBeLessThanOrEqual(idx.available);
    // 2.1 at 100%: its 20 points earned as 20 (not stretched).
    const s21 = idx.groups.find((g) => g.id === 'progress')!.subIndicators.find((s) => s.id === '2.1')!;
    expect(s21).toMatchObject({ rate: 100, points: 20, pointsLost: 0, numerator: 1, denominator: 1 });
  });

  it('2.2 is shown, not scored; points lost add up to Pmax − points', async () => {
    const body = await kpis('province:01', '2026-05-01', '2026-05-31');
    const all = body.indexV2!.groups.flatMap((g) => g.subIndicators);
    expect(all.map((s) => s.id)).toEqual(INDEX_V2_SUB_INDICATORS.map((d) => d.id));
    const s22 = all.find((s) => s.id === '2.2')!;
    expect(s22).toMatchObject({ scored: false, pmax: 0, points: null, pointsLost: null, unit: 'days' });
    expect(s22.rate).not.toBeNull();
    for (const s of all) {
      expect(s.pmax).toBe(INDEX_V2_BY_ID[s.id].pmax);
      if (s.points !== null) expect(Math.round((s.points + s.pointsLost!) * 100) / 100).toBe(s.pmax);
    }
    for (const g of body.indexV2!.groups) expect(Math.round((g.earned + g.pointsLost) * 100) / 100).toBe(g.available);
  });

  it('1.4 is taken over the units that send synced events, with its coverage', async () => {
    const body = await kpis('province:01', '2026-05-04', '2026-05-31');
    const s14 = body.indexV2!.groups[0]!.subIndicators.find((s) => s.id === '1.4')!;
    // V1, V2, V3 (00004) and V4, V5 (00008) are tracked; V6 (00025) and V7 (00070) are not.
    expect(provinceOf.get('00070')).toBe('01');
    expect(s14).toMatchObject({ numerator: 3, denominator: 5, coverage: { known: 5, total: 7 } });
  });

  it('5.4 counts a later unsatisfied rating only from its instant on', async () => {
    const before = await kpis('commune:00004', '2026-05-01', '2026-05-08');
    const after = await kpis('commune:00004', '2026-05-01', '2026-05-09');
    const part = (k: KpiResponse) => k.indexV2!.groups.find((g) => g.id === 'satisfaction')!.subIndicators.find((s) => s.id === '5.4')!.parts[1];
    expect(part(before)).toEqual({ numerator: 0, denominator: 2 });
    expect(part(after)).toEqual({ numerator: 1, denominator: 2 });
  });

  it('ranks by earned points on the sub-indicators every unit with data has', async () => {
    const res = await t.http.get('/api/v1/rankings').query({ scope: 'province:01', level: 'commune', by: 'index', from: '2026-05-01', to: '2026-05-31' });
    expect(res.status).toBe(200);
    const body = res.body as RankingResponse;
    expect(body.commonSubIndicators).toContain('2.1');
    // 00025 sends no v1.1 attributes: 4.3 is not common.
    expect(body.commonSubIndicators).not.toContain('4.3');
    const withData = body.entries.filter((e) => e.value !== null);
    expect(withData.map((e) => e.unitCode).sort()).toEqual(['00004', '00008', '00025', '00070']);
    for (const e of withData) {
      const sum = body.commonSubIndicators!.reduce((a, id) => a + (e.indexV2!.points[id] ?? 0), 0);
      expect(e.value).toBeCloseTo(sum, 2);
      expect(e.value).toBeLessThanOrEqual(body.commonPmax!);
    }
  });

  it('rejects a v1.1 attribute of the wrong type with a reason', async () => {
    const [r] = eventsOf({ id: 'V9', unit: '00004', received: '2026-05-12T08:00', due: '2026-05-13T17:00' });
    const res = await post([
      { ...r, reusedDigitizedData: 'yes' },
      { eventId: 'V9-y', type: 'synced', occurredAt: '2026-05-12T09:00:00+07:00', dossierId: 'V9', communeCode: '00004', extra: 1 },
    ]);
    expect(res.body).toMatchObject({ rejected: 2 });
    expect(res.body.results[0].reason).toMatch(/reusedDigitizedData must be true or false/);
    expect(res.body.results[1].reason).toMatch(/unknown field\(s\): extra/);
  });
});

describe('kpi-v2: reported indicator values', () => {
  const report = (key: string, values: unknown[]) => t.http.post('/api/v1/indicator-values').set('X-Api-Key', key).send({ values });
  const sub = (k: KpiResponse, id: string) => k.indexV2!.groups.flatMap((g) => g.subIndicators).find((s) => s.id === id)!;

  it('accepts values from a province-scoped key for its units, and says why it refuses the others', async () => {
    const res = await report(HANOI_KEY, [
      { unitCode: '01', month: '2026-06', subIndicator: '1.1', numerator: 40, denominator: 50 },
      { unitCode: '00004', month: '2026-06', subIndicator: '1.1', numerator: 9, denominator: 10 },
      { unitCode: '00004', month: '2026-06', subIndicator: '4.c', numerator: 1, denominator: 1 },
      { unitCode: '00008', month: '2026-06', subIndicator: '4.c', numerator: 0, denominator: 1 },
      { unitCode: '79', month: '2026-06', subIndicator: '1.1', numerator: 1, denominator: 1 },
      { unitCode: '00004', month: '2026-06', subIndicator: '1.4', numerator: 1, denominator: 1 },
      { unitCode: '00004', month: '2026-06', subIndicator: '1.2', numerator: 5, denominator: 4 },
      { unitCode: '00004', month: '2026-06', subIndicator: '4.c', numerator: 2, denominator: 2 },
      { unitCode: '00004', month: '2026-6', subIndicator: '1.2', numerator: 1, denominator: 4 },
      { unitCode: '00004', month: '2099-01', subIndicator: '1.2', numerator: 1, denominator: 4 },
      { unitCode: '00004', month: '0000-01', subIndicator: '1.2', numerator: 1, denominator: 4 },
      { unitCode: '00004', month: '2026-06', subIndicator: '1.2', numerator: 1.5, denominator: 4, note: 'x' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 4, rejected: 8 });
    const reasons = (res.body.results as { reason?: string }[]).map((r) => r.reason);
    expect(reasons[4]).toMatch(/outside it/);
    expect(reasons[5]).toMatch(/subIndicator must be one of the reported sub-indicators: 1\.1, 1\.2, 1\.3, 3\.5a, 4\.c, 4\.5a/);
    expect(reasons[6]).toMatch(/numerator must not exceed denominator/);
    expect(reasons[7]).toMatch(/4\.c is reported as numerator 1/);
    expect(reasons[8]).toMatch(/month must be YYYY-MM/);
    expect(reasons[9]).toMatch(/has not begun yet/);
    expect(reasons[10]).toMatch(/month must not be before 2000-01/);
    expect(reasons[11]).toMatch(/unknown field\(s\): note/);
  });

  it('refuses a commune-scoped key, value by value', async () => {
    const res = await report(COMMUNE_KEY, [{ unitCode: '00004', month: '2026-06', subIndicator: '1.1', numerator: 1, denominator: 1 }]);
    expect(res.status).toBe(200);
    expect(res.body.results[0].reason).toMatch(/province- or nation-scoped key/);
  });

  it('answers a wrong body with 400, never 5xx', async () => {
    for (const body of [{}, { values: 'x' }, { values: [] }, { values: [1], extra: true }]) {
      const res = await t.http.post('/api/v1/indicator-values').set('X-Api-Key', HANOI_KEY).send(body);
      expect(res.status).toBe(400);
      expect(typeof res.body.message).toBe('string');
    }
  });

  it('sums reported values into the index as ratios of sums, with who reported them and when', async () => {
    const province = await kpis('province:01', '2026-06-01', '2026-06-30');
    expect(sub(province, '1.1')).toMatchObject({ numerator: 49, denominator: 60, rate: 81.67, points: 4.9, source: 'reported' });
    expect(sub(province, '4.c')).toMatchObject({ numerator: 1, denominator: 2, rate: 50, points: 1 });
    expect(sub(province, '1.2')).toMatchObject({ rate: null, points: null });
    expect(province.indexV2!.missing).toContain('1.2');
    const by = sub(province, '1.1').reported!;
    expect(by.map((r) => r.unitCode).sort()).toEqual(['00004', '01']);
    expect(by[0]).toMatchObject({ month: '2026-06', reportedBy: 'Danh mục TTHC Hà Nội' });
    expect(Date.parse(by[0]!.reportedAt)).toBeGreaterThan(0);
    // A commune sees its own values only.
    expect(sub(await kpis('commune:00004', '2026-06-10', '2026-06-12'), '1.1')).toMatchObject({ numerator: 9, denominator: 10 });
    // A month's values count in any period overlapping it, not in others.
    expect(sub(await kpis('province:01', '2026-05-01', '2026-05-31'), '1.1').rate).toBeNull();
  });

  it('a later report replaces the earlier one', async () => {
    const res = await report(HANOI_KEY, [{ unitCode: '00004', month: '2026-06', subIndicator: '1.1', numerator: 10, denominator: 10 }]);
    expect(res.body.results[0]).toEqual({ index: 0, status: 'accepted', replaced: true });
    expect(sub(await kpis('province:01', '2026-06-01', '2026-06-30'), '1.1')).toMatchObject({ numerator: 50, denominator: 60 });
  });

  it('lists the values of a scope with who reported them', async () => {
    const res = await t.http.get('/api/v1/indicator-values').query({ scope: 'province:01', from: '2026-06-01', to: '2026-06-30' });
    expect(res.status).toBe(200);
    expect(res.body.values).toHaveLength(4);
    expect(res.body.values[0]).toMatchObject({ unitCode: '00004', subIndicator: '1.1', numerator: 10, reportedBy: 'Danh mục TTHC Hà Nội' });
  });
});
