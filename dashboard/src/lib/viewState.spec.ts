import { describe, expect, it } from '@jest/globals';
import { apiErrorCodeOf } from '@ioc/shared';
import { defaultPeriod, parsePeriod, periodParams } from './period';
import { splitHash } from './hashLocation';
import { patchParams, pickParams, withParams } from './params';
import { periodTitle } from './periodText';
import { shouldRetry } from './queryClient';
import { ApiRequestError } from './http';

/** An instant at a Vietnam local time. */
const vn = (local: string) => new Date(`${local}+07:00`);

describe('the view in the address', () => {
  it('splits a hash into the route and its parameters', () => {
    expect(splitHash('#/overview/province:01?period=last7&kpi=onTime')).toEqual(['/overview/province:01', 'period=last7&kpi=onTime']);
    expect(splitHash('#/overview')).toEqual(['/overview', '']);
    expect(splitHash('')).toEqual(['/', '']);
  });

  it('writes, patches and carries parameters', () => {
    expect(withParams('/overview', { period: 'last7', kpi: undefined })).toBe('/overview?period=last7');
    expect(withParams('/overview', {})).toBe('/overview');
    const p = new URLSearchParams('period=custom&from=2026-01-01&to=2026-01-31&rank=worst');
    expect(patchParams(p, { period: 'last7', from: undefined, to: undefined }).toString()).toBe('period=last7&rank=worst');
    expect(pickParams(p, ['period', 'from', 'to', 'kpi'])).toEqual({ period: 'custom', from: '2026-01-01', to: '2026-01-31' });
  });

  it('reads a period from the address, and refuses what the page does not offer', () => {
    const now = vn('2026-03-20T10:00:00');
    const read = (q: string, custom = true) => parsePeriod(new URLSearchParams(q), ['today', 'last7', 'last30', 'thisMonth', 'thisQuarter', 'thisYear'], custom, now);
    expect(read('period=last7')).toEqual({ preset: 'last7' });
    expect(read('period=custom&from=2026-01-01&to=2026-01-31')).toEqual({ preset: 'custom', from: '2026-01-01', to: '2026-01-31' });
    expect(read('period=custom&from=2026-01-01&to=2026-01-31', false)).toBeNull();
    expect(read('period=custom&from=2026-02-01&to=2026-01-31')).toBeNull();
    expect(read('period=custom&from=2026-02-30&to=2026-03-01')).toBeNull();
    expect(read('period=custom&from=2026-03-01&to=2026-03-21')).toBeNull();
    expect(read('period=yesterday')).toBeNull();
    expect(read('')).toBeNull();
    expect(parsePeriod(new URLSearchParams('period=last30'), ['today', 'last7', 'thisMonth', 'thisQuarter', 'thisYear'], false, now)).toBeNull();
  });

  it('round-trips a period through its parameters', () => {
    const now = vn('2026-03-20T10:00:00');
    for (const c of [{ preset: 'thisQuarter' as const }, { preset: 'custom' as const, from: '2026-02-01', to: '2026-02-28' }]) {
      const params = new URLSearchParams(withParams('', periodParams(c)).slice(1));
      expect(parsePeriod(params, ['thisQuarter'], true, now)).toEqual(c);
    }
  });
});

describe('honest defaults', () => {
  it("opens on the current month, or on the last 7 days in a month's first week", () => {
    expect(defaultPeriod(vn('2026-03-20T10:00:00'))).toBe('thisMonth');
    expect(defaultPeriod(vn('2026-03-08T00:30:00'))).toBe('thisMonth');
    expect(defaultPeriod(vn('2026-03-07T23:59:00'))).toBe('last7');
    // 1 March 00:30 in Vietnam is still 28 February in UTC: Vietnam's day decides.
    expect(defaultPeriod(new Date('2026-02-28T17:30:00Z'))).toBe('last7');
  });

  it('falls back to what the page offers', () => {
    expect(defaultPeriod(vn('2026-03-20T10:00:00'), ['today', 'last7'])).toBe('today');
  });

  it('says up to when today goes', () => {
    expect(periodTitle({ preset: 'today' }, '2026-03-20T02:05:00Z')).toBe('Hôm nay, đến 09:05');
    expect(periodTitle('last7', null)).toBe('7 ngày');
    expect(periodTitle({ preset: 'custom', from: '2026-01-01', to: '2026-01-02' }, null)).toBe('Tùy chọn');
  });
});

describe('API reads', () => {
  it('retries network and server errors twice, never a refusal', () => {
    const http = (status: number) => new ApiRequestError({ kind: 'http', status, code: apiErrorCodeOf(status), message: null, retryAfterSeconds: null });
    expect(shouldRetry(0, new ApiRequestError({ kind: 'network' }))).toBe(true);
    expect(shouldRetry(1, http(503))).toBe(true);
    expect(shouldRetry(2, http(503))).toBe(false);
    expect(shouldRetry(0, http(403))).toBe(false);
    expect(shouldRetry(0, http(404))).toBe(false);
    expect(shouldRetry(0, http(429))).toBe(true);
  });
});
