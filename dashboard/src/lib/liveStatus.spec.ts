import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TopicState, TopicStatus } from '@ioc/shared';
import { setLanguage } from '../i18n';
import { type LiveTopicView, liveIndicator, summarizeTopics } from './liveStatus';

// 06:30 in Hà Nội.
const AT = Date.parse('2026-03-01T23:30:00Z');

function view(status: TopicStatus | null, asOf: string | null = null, staleSince: number | null = null): LiveTopicView {
  const state: TopicState | null =
    status === null ? null : { topic: 't', status, epoch: 'e', seq: 1, data: null, from: null, to: null, asOf, projection: null, loading: null, lastMessageAt: null, snapshots: 1 };
  return { state, error: null, staleSince };
}

describe('live status in the header', () => {
  it.each([
    ['connected', 'live', null, 'live', 'Trực tiếp'],
    ['connecting', 'syncing', null, 'pending', 'Đang kết nối…'],
    ['connected', 'syncing', null, 'pending', 'Đang đồng bộ…'],
    ['reconnecting', 'reconnecting', null, 'pending', 'Đang kết nối lại…'],
    ['connected', 'live', AT, 'stale', 'Dữ liệu cũ từ 06:30'],
    ['reconnecting', 'reconnecting', AT, 'stale', 'Dữ liệu cũ từ 06:30, đang kết nối lại…'],
  ] as const)('%s, topics %s, stale since %p → %s “%s”', (connection, status, staleSince, tone, text) => {
    expect(liveIndicator(connection, { status, staleSince })).toEqual({ tone, text });
  });

  it('a dropped connection wins over topics that have not heard of it yet', () => {
    expect(liveIndicator('reconnecting', { status: 'live', staleSince: null }).text).toBe('Đang kết nối lại…');
  });
});

describe('live status in the header, in English', () => {
  beforeAll(() => setLanguage('en'));
  afterAll(() => setLanguage('vi'));

  it.each([
    ['connected', 'live', null, 'live', 'Live'],
    ['connecting', 'syncing', null, 'pending', 'Connecting…'],
    ['connected', 'syncing', null, 'pending', 'Syncing…'],
    ['reconnecting', 'reconnecting', null, 'pending', 'Reconnecting…'],
    ['connected', 'live', AT, 'stale', 'Figures not updated since 06:30'],
    ['reconnecting', 'reconnecting', AT, 'stale', 'Figures not updated since 06:30, reconnecting…'],
  ] as const)('%s, topics %s, stale since %p → %s “%s”', (connection, status, staleSince, tone, text) => {
    expect(liveIndicator(connection, { status, staleSince })).toEqual({ tone, text });
  });
});

describe('several topics read as one', () => {
  it('takes the least current status, the earliest staleness and the oldest as-of time', () => {
    const s = summarizeTopics([view('live', '2026-03-02T03:00:05.000Z', AT + 5000), view('reconnecting', '2026-03-02T03:00:00.000Z', AT)]);
    expect(s).toEqual({ status: 'reconnecting', staleSince: AT, asOf: '2026-03-02T03:00:00.000Z' });
    expect(summarizeTopics([view('syncing'), view('live')]).status).toBe('syncing');
  });

  it('is syncing, with no time, while a topic has no state yet', () => {
    expect(summarizeTopics([view('live', '2026-03-02T03:00:00.000Z'), view(null)])).toEqual({ status: 'syncing', staleSince: null, asOf: null });
    expect(summarizeTopics([view(null), view('live', '2026-03-02T03:00:00.000Z')]).asOf).toBeNull();
  });
});
