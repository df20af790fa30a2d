import { describe, expect, it } from '@jest/globals';
import { INDEX_COMPONENTS, KPI_CATALOGUE, KPI_IDS, MAP_CLASS_BREAKS } from '@ioc/shared';
import {
  EMPTY_STATE,
  NO_DATA_COLOR,
  PALETTE,
  type MapDatum,
  type UnitState,
  boundsOf,
  classOf,
  colorOf,
  diffFeatureStates,
  fillColorExpression,
  isSilent,
  legendClasses,
  silenceDuration,
  unitStates,
  unitsOf,
} from './choropleth';

/** Patches in code order (object keys that look like integers come first in any object). */
const byCode = (changes: ReturnType<typeof diffFeatureStates>) => [...changes].sort((a, b) => (a.code < b.code ? -1 : 1));

const NOW = Date.parse('2026-01-05T10:00:00+07:00');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

describe('class breaks', () => {
  it('has six ascending classes for every KPI and for the index score', () => {
    for (const metric of [...KPI_IDS, 'points' as const]) {
      const b = MAP_CLASS_BREAKS[metric];
      expect(b).toHaveLength(PALETTE.length - 1);
      expect([...b].sort((x, y) => x - y)).toEqual(b);
      expect(b[0]).toBeGreaterThan(0);
      expect(b[b.length - 1]).toBeLessThan(100);
    }
  });

  it.each([
    ['onTime', 0, 0],
    ['onTime', 69.99, 0],
    ['onTime', 70, 1],
    ['onTime', 94.99, 3],
    ['onTime', 95, 4],
    ['onTime', 98.41, 5],
    ['onTime', 100, 5],
    ['online', 52.3, 3],
    ['online', 49.99, 2],
    ['digitized', 71.21, 3],
    ['digitized', 80, 4],
    ['satisfaction', 90, 4],
    ['points', 85.61, 4],
  ] as const)('%s %d%% is class %d', (metric, value, cls) => {
    expect(classOf(metric, value)).toBe(cls);
    expect(colorOf(metric, value)).toBe(PALETTE[cls]);
  });

  it("each target of Decision 766 starts a class, so 'meets the target' has a colour of its own", () => {
    // The targets as the KPI catalogue scores them, below 100%.
    const targets = [
      ...KPI_CATALOGUE.filter((k) => k.fullScoreAt !== null && k.fullScoreAt < 100).map((k) => [k.id, k.fullScoreAt!] as const),
      ...INDEX_COMPONENTS.filter((c) => c.fullAt < 100).map((c) => [c.kpi, c.fullAt] as const),
    ];
    expect(targets.length).toBeGreaterThanOrEqual(4);
    for (const [kpi, at] of targets) expect({ kpi, breaks: MAP_CLASS_BREAKS[kpi] }).toEqual({ kpi, breaks: expect.arrayContaining([at]) });
    expect(MAP_CLASS_BREAKS.online).toContain(50);
  });

  it('gives no value the neutral grey, never the lowest class', () => {
    for (const v of [null, undefined, Number.NaN]) {
      expect(classOf('onTime', v)).toBeNull();
      expect(colorOf('onTime', v)).toBe(NO_DATA_COLOR);
    }
    expect(PALETTE).not.toContain(NO_DATA_COLOR);
    expect(classOf('online', 0)).toBe(0);
  });

  it('lists the legend lowest first, the bounds of each class meeting the next', () => {
    const items = legendClasses('online');
    expect(items.map((i) => [i.from, i.to])).toEqual([
      [null, 20],
      [20, 35],
      [35, 50],
      [50, 65],
      [65, 80],
      [80, null],
    ]);
    expect(items.map((i) => i.color)).toEqual([...PALETTE]);
  });

  it('colours by the feature state class in one expression, grey when the state has none', () => {
    const e = fillColorExpression();
    expect(e[0]).toBe('match');
    expect(e[e.length - 1]).toBe(NO_DATA_COLOR);
    expect(e).toContain(PALETTE[5]);
  });
});

describe('silence', () => {
  it('is no event ever, or none for longer than the threshold', () => {
    expect(isSilent(null, NOW, 120)).toBe(true);
    expect(isSilent(ago(121), NOW, 120)).toBe(true);
    expect(isSilent(ago(120), NOW, 120)).toBe(false);
    expect(isSilent(ago(5), NOW, 120)).toBe(false);
    expect(isSilent(ago(31), NOW, 30)).toBe(true);
  });

  it('is not claimed when freshness is unknown, nor for a clock a little ahead', () => {
    expect(isSilent(undefined, NOW, 120)).toBe(false);
    expect(isSilent(ago(-1), NOW, 120)).toBe(false);
  });

  it('is said in hours when whole, in minutes otherwise', () => {
    expect(silenceDuration(120)).toEqual({ unit: 'hours', count: 2 });
    expect(silenceDuration(90)).toEqual({ unit: 'minutes', count: 90 });
    expect(silenceDuration(30)).toEqual({ unit: 'minutes', count: 30 });
  });
});

describe('feature-state patches', () => {
  const codes = new Set(['01', '79', '48']);
  const data = (over: Partial<Record<string, Partial<MapDatum>>> = {}): Record<string, MapDatum> => {
    const base: Record<string, MapDatum> = {
      '01': { code: '01', name: 'Hà Nội', value: 97.5, lastEventAt: ago(1) },
      '79': { code: '79', name: 'Hồ Chí Minh', value: 88, lastEventAt: ago(200) },
      '48': { code: '48', name: 'Đà Nẵng', value: null, lastEventAt: null },
    };
    for (const [k, v] of Object.entries(over)) base[k] = { ...base[k]!, ...v };
    return base;
  };

  it('states each unit on the map: class, value, silence', () => {
    const s = unitStates(data(), codes, 'onTime', NOW, 120);
    expect(s).toEqual({
      '01': { cls: 4, v: 97.5, silent: false },
      '79': { cls: 2, v: 88, silent: true },
      '48': { cls: -1, v: null, silent: true },
    });
  });

  it('ignores data of units that are not on the map', () => {
    const s = unitStates({ ...data(), '00004': { code: '00004', name: 'Ba Đình', value: 50 } }, codes, 'onTime', NOW, 120);
    expect(Object.keys(s).sort()).toEqual(['01', '48', '79']);
  });

  it('patches everything the first time, except what already equals no state', () => {
    const next = unitStates(data(), codes, 'onTime', NOW, 120);
    expect(byCode(diffFeatureStates({}, next))).toEqual([
      { code: '01', state: { cls: 4, v: 97.5 } },
      { code: '48', state: { silent: true } },
      { code: '79', state: { cls: 2, v: 88, silent: true } },
    ]);
  });

  it('then only the units and keys that changed', () => {
    const before = unitStates(data(), codes, 'onTime', NOW, 120);
    expect(diffFeatureStates(before, unitStates(data(), codes, 'onTime', NOW, 120))).toEqual([]);
    const after = unitStates(data({ '01': { value: 97.6 }, '79': { value: 91, lastEventAt: ago(0) } }), codes, 'onTime', NOW, 120);
    expect(byCode(diffFeatureStates(before, after))).toEqual([
      { code: '01', state: { v: 97.6 } },
      { code: '79', state: { cls: 3, v: 91, silent: false } },
    ]);
  });

  it('marks a unit silent when time alone passes', () => {
    const before = unitStates(data(), codes, 'onTime', NOW, 120);
    const later = unitStates(data(), codes, 'onTime', NOW + 121 * 60_000, 120);
    expect(diffFeatureStates(before, later)).toEqual([{ code: '01', state: { silent: true } }]);
  });

  it('returns a unit that left the data to the empty state', () => {
    const before: Record<string, UnitState> = { '01': { cls: 4, v: 97.5, silent: false }, '79': { cls: 2, v: 88, silent: true } };
    expect(diffFeatureStates(before, { '01': before['01']! })).toEqual([{ code: '79', state: { cls: EMPTY_STATE.cls, v: null, silent: false } }]);
  });
});

describe('extents', () => {
  const fc = {
    features: [
      {
        properties: { code: '01', name: 'Hà Nội' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [105.3, 20.6],
              [106.0, 20.6],
              [106.0, 21.4],
              [105.3, 20.6],
            ],
          ],
        },
      },
      {
        properties: { code: '48', name: 'Đà Nẵng' },
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [107.8, 15.4],
                [108.4, 15.4],
                [108.4, 16.2],
                [107.8, 15.4],
              ],
            ],
            [
              [
                [112.0, 16.0],
                [112.1, 16.0],
                [112.1, 16.1],
                [112.0, 16.0],
              ],
            ],
          ],
        },
      },
      { properties: {}, geometry: null },
    ],
  };

  it('bounds polygons and multipolygons', () => {
    expect(boundsOf(fc.features)).toEqual([
      [105.3, 15.4],
      [112.1, 21.4],
    ]);
    expect(boundsOf([])).toBeNull();
  });

  it('lists units by code with their names and extents', () => {
    const u = unitsOf(fc);
    expect([...u.keys()]).toEqual(['01', '48']);
    expect(u.get('01')).toEqual({
      name: 'Hà Nội',
      bounds: [
        [105.3, 20.6],
        [106.0, 21.4],
      ],
    });
  });
});
