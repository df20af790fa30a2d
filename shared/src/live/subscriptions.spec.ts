import { describe, expect, it } from '@jest/globals';
import { type LiveDelta, type LiveMeta, type LiveSnapshot, type SummaryData, topicKey } from './contract.js';
import { LiveSubscriptions, type LiveTransport } from './subscriptions.js';

const KEY = topicKey({ scope: { kind: 'province', code: '01' }, view: 'summary', period: 'today' });

function fixture() {
  let clock = 1_000_000;
  const calls: string[] = [];
  const transport: LiveTransport = {
    subscribe: async (topics) => {
      calls.push(`subscribe ${topics.map((t) => t.scope).join(',')}`);
      return { topics: topics.map(() => ({ ok: true as const, topic: KEY })) };
    },
    unsubscribe: (t) => calls.push(`unsubscribe ${t.join(',')}`),
    resync: (t) => calls.push(`resync ${t}`),
  };
  const subs = new LiveSubscriptions(transport, { now: () => clock, snapshotTimeoutMs: 5000, staleAfterMs: 15_000 });
  return { subs, calls, advance: (ms: number) => (clock += ms) };
}

const meta = (epoch: string, seq: number): LiveMeta => ({
  topic: KEY,
  epoch,
  seq,
  asOf: `2026-05-01T0${seq % 10}:00:00Z`,
  projection: { watermark: seq, projectedUpTo: null, pendingEvents: 0, lagSeconds: 0 },
  loading: null,
  sentAt: 0,
  from: '2026-05-01',
  to: '2026-05-01',
});
const snap = (epoch: string, seq: number, received: number): LiveSnapshot => ({ ...meta(epoch, seq), data: { counts: { received }, freshness: { lastEventAt: null } } as unknown as SummaryData });
const delta = (epoch: string, seq: number, received: number): LiveDelta => ({ ...meta(epoch, seq), set: { counts: { received } } as unknown as Partial<SummaryData> });
const received = (subs: LiveSubscriptions) => (subs.get(KEY)?.data as SummaryData | null)?.counts.received;

describe('live subscriptions (client side)', () => {
  it('applies a snapshot then deltas in sequence', async () => {
    const { subs } = fixture();
    await subs.add({ scope: 'province:01' });
    expect(subs.get(KEY)?.status).toBe('syncing');
    subs.onSnapshot(snap('e1', 4, 10));
    subs.onDelta(delta('e1', 5, 11));
    subs.onDelta(delta('e1', 6, 12));
    expect(subs.get(KEY)).toMatchObject({ status: 'live', seq: 6 });
    expect(received(subs)).toBe(12);
    // A repeated or older delta changes nothing.
    subs.onDelta(delta('e1', 5, 11));
    expect(received(subs)).toBe(12);
  });

  it('keeps deltas that arrive before their snapshot and applies the ones after it', async () => {
    const { subs, calls } = fixture();
    await subs.add({ scope: 'province:01' });
    subs.onDelta(delta('e1', 5, 11));
    subs.onDelta(delta('e1', 4, 10));
    subs.onSnapshot(snap('e1', 4, 10));
    expect(subs.get(KEY)?.seq).toBe(5);
    expect(received(subs)).toBe(11);
    expect(calls.filter((c) => c.startsWith('resync'))).toEqual([]);
  });

  it('asks for a fresh snapshot on a gap, and applies nothing past the gap until it comes', async () => {
    const { subs, calls } = fixture();
    await subs.add({ scope: 'province:01' });
    subs.onSnapshot(snap('e1', 1, 10));
    subs.onDelta(delta('e1', 3, 13));
    expect(calls).toContain(`resync ${KEY}`);
    expect(subs.get(KEY)?.status).toBe('syncing');
    expect(received(subs)).toBe(10);
    subs.onSnapshot(snap('e1', 3, 13));
    expect(subs.get(KEY)).toMatchObject({ status: 'live', seq: 3, snapshots: 2 });
    expect(received(subs)).toBe(13);
  });

  it('asks for a fresh snapshot when the publisher changed (new epoch)', async () => {
    const { subs, calls } = fixture();
    await subs.add({ scope: 'province:01' });
    subs.onSnapshot(snap('e1', 9, 10));
    subs.onDelta(delta('e2', 1, 12));
    expect(calls).toContain(`resync ${KEY}`);
    subs.onSnapshot(snap('e2', 1, 12));
    expect(subs.get(KEY)).toMatchObject({ status: 'live', epoch: 'e2', seq: 1 });
  });

  it('detects a lost last delta from the heartbeat', async () => {
    const { subs, calls } = fixture();
    await subs.add({ scope: 'province:01' });
    subs.onSnapshot(snap('e1', 2, 10));
    subs.onHeartbeat(meta('e1', 2));
    expect(calls.filter((c) => c.startsWith('resync'))).toEqual([]);
    subs.onHeartbeat(meta('e1', 3));
    expect(calls).toContain(`resync ${KEY}`);
  });

  it('asks again when a requested snapshot does not come, and not more often than the timeout', async () => {
    const { subs, calls, advance } = fixture();
    await subs.add({ scope: 'province:01' });
    subs.tick();
    expect(calls.filter((c) => c.startsWith('resync'))).toHaveLength(0);
    advance(6000);
    subs.tick();
    subs.tick();
    expect(calls.filter((c) => c.startsWith('resync'))).toHaveLength(1);
  });

  it('resubscribes everything after a reconnect and reports staleness', async () => {
    const { subs, calls, advance } = fixture();
    await subs.add({ scope: 'province:01' });
    subs.onSnapshot(snap('e1', 2, 10));
    expect(subs.staleSince(KEY)).toBeNull();
    advance(16_000);
    expect(subs.staleSince(KEY)).toBe(1_000_000);
    subs.onDisconnect();
    expect(subs.get(KEY)?.status).toBe('reconnecting');
    subs.onConnect();
    expect(calls.filter((c) => c.startsWith('subscribe'))).toHaveLength(2);
    expect(subs.get(KEY)?.status).toBe('syncing');
    // After a reconnect even a snapshot of the same sequence is taken.
    subs.onSnapshot(snap('e1', 2, 10));
    expect(subs.get(KEY)).toMatchObject({ status: 'live', snapshots: 2 });
  });

  it('rejects a bad topic with the reason', async () => {
    const { subs } = fixture();
    await expect(subs.add({ scope: 'commune:00004', view: 'children' })).rejects.toThrow('a commune has no units below it');
    await expect(subs.add({ scope: 'province:1' })).rejects.toThrow('scope must be');
  });
});
