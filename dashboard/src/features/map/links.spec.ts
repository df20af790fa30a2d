import { describe, expect, it } from '@jest/globals';
import { LINK_STATES, type ConnectivityResponse } from '@ioc/shared';
import { setLanguage } from '../../i18n';
import { NO_DATA_COLOR, PALETTE, datumColor, fillColorExpression, isMapLayer, isMapMetric, unitStates } from './choropleth';
import { formatDatum, formatLinkDetails } from './format';
import { LINK_PALETTE, downShareClassOf, downShareLegend, linkClassOf, linkColorOf, linkLegend, linksToMapData, provinceLinksToMapData } from './links';

const RESPONSE: ConnectivityResponse = {
  scope: 'province:04',
  asOf: '2026-01-05T03:00:00Z',
  counts: { up: 1, degraded: 1, down: 1, unknown: 1 },
  communes: [
    { communeCode: '01001', communeName: 'Xã A', provinceCode: '04', state: 'up', reasons: [], since: '2026-01-05T01:00:00Z', lastHeartbeat: beat(0) },
    { communeCode: '01002', communeName: 'Xã B', provinceCode: '04', state: 'degraded', reasons: ['backlog'], since: '2026-01-05T02:00:00Z', lastHeartbeat: beat(42) },
    { communeCode: '01003', communeName: 'Xã C', provinceCode: '04', state: 'down', reasons: ['silent'], since: '2026-01-05T02:10:00Z', lastHeartbeat: beat(1) },
    { communeCode: '01004', communeName: 'Xã D', provinceCode: '04', state: 'unknown', reasons: [], since: null, lastHeartbeat: null },
  ],
};

function beat(backlogEvents: number) {
  return { receivedAt: '2026-01-05T02:05:00Z', sentAt: null, latencyMs: 120, backlogEvents, oldestBacklogSeconds: null, intervalSeconds: 60, agent: 'ioc-relay/0.1.0' };
}

describe('the connectivity layer', () => {
  it('is named in the address beside the metrics, and is not a metric', () => {
    expect(isMapLayer('links')).toBe(true);
    expect(isMapLayer('onTime')).toBe(true);
    expect(isMapLayer('nope')).toBe(false);
    expect(isMapMetric('links')).toBe(false);
  });

  it('gives up, degraded and down a class each, and leaves a commune with no heartbeat source to "no data"', () => {
    expect(LINK_STATES.map(linkClassOf)).toEqual([0, 1, 2, null]);
    expect(linkClassOf(undefined)).toBeNull();
    expect(LINK_STATES.map(linkColorOf)).toEqual([...LINK_PALETTE, null]);
  });

  it('colours with categories of its own: distinct, none of them a KPI class or the "no data" grey', () => {
    expect(new Set(LINK_PALETTE).size).toBe(3);
    for (const c of LINK_PALETTE) {
      expect(PALETTE).not.toContain(c);
      expect(c).not.toBe(NO_DATA_COLOR);
    }
    expect(fillColorExpression('links')).toEqual(['match', ['coalesce', ['feature-state', 'cls'], -1], 0, LINK_PALETTE[0], 1, LINK_PALETTE[1], 2, LINK_PALETTE[2], NO_DATA_COLOR]);
    expect(fillColorExpression('onTime')).toEqual(fillColorExpression());
  });

  it('has a legend of the four states in order, "no source" hatched, with the counts when known', () => {
    expect(linkLegend()).toEqual([
      { state: 'up', color: LINK_PALETTE[0], count: null },
      { state: 'degraded', color: LINK_PALETTE[1], count: null },
      { state: 'down', color: LINK_PALETTE[2], count: null },
      { state: 'unknown', color: null, count: null },
    ]);
    expect(linkLegend({ up: 7, degraded: 2, down: 1, unknown: 90 }).map((c) => c.count)).toEqual([7, 2, 1, 90]);
  });

  it('puts each commune on the map by its link state, whatever the KPI values', () => {
    const data = linksToMapData(RESPONSE);
    expect(Object.keys(data)).toEqual(['01001', '01002', '01003', '01004']);
    const states = unitStates(data, new Set(Object.keys(data)), 'links', Date.parse(RESPONSE.asOf), 120);
    expect(Object.values(states)).toEqual([
      { cls: 0, v: null, silent: false },
      { cls: 1, v: null, silent: false },
      { cls: 2, v: null, silent: false },
      { cls: -1, v: null, silent: false },
    ]);
    expect(datumColor('links', data['01003'])).toBe(LINK_PALETTE[2]);
    expect(datumColor('links', data['01004'])).toBe(NO_DATA_COLOR);
    expect(linksToMapData(null)).toEqual({});
  });

  it("colours a province on the nation's map by the share of its relayed communes that are down", () => {
    expect(downShareClassOf({ relayed: 0, down: 0 })).toBeNull();
    expect(downShareClassOf({ relayed: 12, down: 0 })).toBe(0);
    expect(downShareClassOf({ relayed: 12, down: 2 })).toBe(1);
    expect(downShareClassOf({ relayed: 12, down: 3 })).toBe(2);
    expect(downShareLegend().map((c) => c.color)).toEqual([...LINK_PALETTE, null]);
    const other = { ...RESPONSE.communes[3]!, communeCode: '02001', provinceCode: '08' };
    const data = provinceLinksToMapData({ ...RESPONSE, communes: [...RESPONSE.communes, other] }, { '04': 'Cao Bằng' });
    expect(data).toEqual({
      '04': { code: '04', name: 'Cao Bằng', value: null, linkShare: { relayed: 3, down: 1 } },
      '08': { code: '08', name: '', value: null, linkShare: { relayed: 0, down: 0 } },
    });
    expect(datumColor('links', data['04'])).toBe(LINK_PALETTE[2]);
    expect(datumColor('links', data['08'])).toBe(NO_DATA_COLOR);
    expect(formatDatum('links', data['04'])).toBe('1/3 xã mất kết nối (33,33%)');
    expect(formatDatum('links', data['08'])).toBe('Chưa xã nào có nguồn tín hiệu');
    expect(formatLinkDetails(data['04'])).toEqual(['Tính trên các xã có nguồn tín hiệu']);
    expect(formatLinkDetails(data['08'])).toEqual([]);
  });

  it('says the state, since when, the last heartbeat and the backlog', () => {
    const data = linksToMapData(RESPONSE);
    expect(formatDatum('links', data['01002'])).toBe('Kết nối chập chờn');
    expect(formatLinkDetails(data['01002'])).toEqual(['Từ 09:00:00 ngày 05/01/2026', 'Tín hiệu gần nhất: 09:05:00 ngày 05/01/2026', 'Tồn đọng: 42 bản ghi chờ gửi']);
    expect(formatLinkDetails(data['01001'])[2]).toBe('Không có bản ghi chờ gửi');
    expect(formatDatum('links', data['01004'])).toBe('Chưa có nguồn tín hiệu');
    expect(formatLinkDetails(data['01004'])).toEqual(['Xã chưa có trạm chuyển tiếp hay nguồn tín hiệu nào: chưa đánh giá được kết nối.']);
    setLanguage('en');
    try {
      expect(formatDatum('links', data['01003'])).toBe('Down');
      expect(formatLinkDetails(data['01003'])[2]).toBe('Backlog: 1 record waiting');
      expect(formatLinkDetails(data['01002'])[2]).toBe('Backlog: 42 records waiting');
    } finally {
      setLanguage('vi');
    }
  });
});
