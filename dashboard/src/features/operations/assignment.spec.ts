import { afterEach, describe, expect, it } from '@jest/globals';
import { setLanguage } from '../../i18n';
import { NO_FILTERS, filterAndSort, filterParams, filtersFromParams } from './alertList';
import { watchAssigned } from './assignedToMe';
import { historyText } from './firing';
import { emptyOpenText, evaluationLine } from './evaluationText';
import { alertOf } from './testAlerts';

afterEach(() => setLanguage('vi'));

const paramsOf = (patch: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) p.set(k, v);
  return p;
};

describe('alert filters in the address', () => {
  it('round-trips every filter, and leaves out what is not filtered', () => {
    const f = { severities: ['critical', 'minor'] as const, state: 'active' as const, ack: 'unacknowledged' as const, text: 'ba đình', mine: true };
    const params = filterParams(f);
    expect(params).toEqual({ sev: 'critical,minor', state: 'active', ack: 'unacknowledged', q: 'ba đình', mine: '1' });
    expect(filtersFromParams(paramsOf(params))).toEqual(f);
    expect(filterParams(NO_FILTERS)).toEqual({ sev: undefined, state: undefined, ack: undefined, q: undefined, mine: undefined });
    // Unknown values filter nothing; severities keep their order of gravity.
    expect(filtersFromParams(paramsOf({ sev: 'minor,bogus,critical', state: 'x', ack: 'y', mine: 'yes' }))).toEqual({ ...NO_FILTERS, severities: ['critical', 'minor'] });
  });

  it('"assigned to me" keeps only the alerts assigned to the signed-in person', () => {
    const list = [alertOf({ id: '1', assignee: 'vanhanh.hn' }), alertOf({ id: '2', assignee: 'chutich.bd' }), alertOf({ id: '3' })];
    expect(filterAndSort(list, { ...NO_FILTERS, mine: true }, undefined, 'chutich.bd').map((a) => a.id)).toEqual(['2']);
    expect(filterAndSort(list, { ...NO_FILTERS, mine: true }, undefined, null)).toEqual([]);
    expect(filterAndSort(list, NO_FILTERS, undefined, 'chutich.bd')).toHaveLength(3);
  });
});

describe('alerts assigned while the page is open', () => {
  it('announces an alert newly assigned to me, not those assigned before the page opened', () => {
    const first = watchAssigned(null, [alertOf({ id: '1', assignee: 'me' }), alertOf({ id: '2' })], 'me');
    expect(first.fresh).toEqual([]);
    const next = watchAssigned(first.watch, [alertOf({ id: '1', assignee: 'me' }), alertOf({ id: '2', assignee: 'me' }), alertOf({ id: '3', assignee: 'other' })], 'me');
    expect(next.fresh.map((a) => a.id)).toEqual(['2']);
    // Assigned away and back: announced again.
    const away = watchAssigned(next.watch, [alertOf({ id: '2', assignee: 'other' })], 'me');
    expect(away.fresh).toEqual([]);
    expect(watchAssigned(away.watch, [alertOf({ id: '2', assignee: 'me' })], 'me').fresh.map((a) => a.id)).toEqual(['2']);
  });
});

describe('not yet evaluated', () => {
  it('never says "within thresholds" before the first evaluation, or while that is not known', () => {
    expect(emptyOpenText(null)).toBe('Chưa đánh giá: hệ thống chưa chạy lượt kiểm tra quy tắc đầu tiên kể từ khi khởi động, nên chưa thể nói các chỉ số có trong ngưỡng hay không.');
    expect(emptyOpenText({ evaluatedAt: null, evaluated: null, everySeconds: 900 })).toContain('(mỗi 15 phút một lượt)');
    expect(emptyOpenText({ evaluatedAt: '2026-11-16T02:00:00.000Z', evaluated: 3400, everySeconds: 900 })).toBe('Không có cảnh báo nào đang mở — mọi chỉ số trong ngưỡng');
    expect(evaluationLine({ evaluatedAt: '2026-11-16T02:00:00.000Z', evaluated: 3400, everySeconds: 900 })).toBe('Đánh giá quy tắc lần cuối: 09:00:00');
    expect(evaluationLine({ evaluatedAt: null, evaluated: null, everySeconds: 900 })).toBe('Quy tắc chưa được đánh giá lần nào');
    setLanguage('en');
    expect(emptyOpenText({ evaluatedAt: null, evaluated: null, everySeconds: 60 })).toContain('Not yet evaluated');
    expect(evaluationLine(null)).toBeNull();
  });
});

describe('assignment in the case history', () => {
  it('names the person assigned by full name and account, and the one before', () => {
    const e = { id: '9', at: '2026-11-16T02:00:00.000Z', actor: 'Trần Thị Vận (vanhanh.hn)', action: 'assigned' as const, note: null, details: null };
    expect(historyText({ ...e, from: { assignee: null }, to: { assignee: 'chutich.bd', name: 'Lê Văn Chủ' } }, 'hồ sơ')).toMatchObject({
      action: 'Giao xử lý',
      change: 'chưa giao → Lê Văn Chủ (chutich.bd)',
    });
    expect(historyText({ ...e, from: { assignee: 'chutich.bd' }, to: { assignee: 'vanhanh.hn', name: 'Trần Thị Vận' } }, 'hồ sơ').change).toBe('chutich.bd → Trần Thị Vận (vanhanh.hn)');
  });
});
