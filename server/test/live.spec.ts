import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import WebSocket from 'ws';
import { LiveService } from '../src/live/live.service.js';
import { TopicData, type TopicFigures } from '../src/live/topic-data.js';
import { type DossierEvent, LIVE_MIN_DELTA_INTERVAL_MS, type Topic, parseTopicSpec, topicKey } from '@ioc/shared';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';
import { TestLiveClient, receivedNow, summaryCounts } from './live-client.js';

let t: TestApp;
let base: string;
const clients: TestLiveClient[] = [];
const client = () => {
  const c = new TestLiveClient(base, t.token);
  clients.push(c);
  return c;
};
const post = async (events: DossierEvent[]) => {
  const res = await request(t.app.getHttpServer()).post('/api/v1/events').set('X-Api-Key', TEST_API_KEY).send({ events });
  expect(res.status).toBe(200);
  expect(res.body.accepted).toBe(events.length);
};
const later = (ms: number) => new Date(Date.now() + ms);

beforeAll(async () => {
  t = await startTestApp({ LIVE_REFRESH_SECONDS: '1' });
  const addr = t.app.getHttpServer().address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

describe('live stream over socket.io', () => {
  it('sends a snapshot, then deltas in sequence, at most one per topic per coalescing window', async () => {
    const c = client();
    const nation = await c.subs.add({ scope: 'nation' });
    const commune = await c.subs.add({ scope: 'commune:00004', view: 'summary', period: 'today' });
    const table = await c.subs.add({ scope: 'province:01', view: 'children' });
    expect([nation, commune, table]).toEqual(['summary|nation|today', 'summary|commune:00004|today', 'children|province:01|today']);
    for (const k of [nation, commune, table]) await c.waitFor(k, (s) => s.status === 'live', 10_000, 'snapshot');
    expect(summaryCounts(c.state(commune)!).received).toBe(0);
    expect(Object.keys(c.state(table)!.data!)).toHaveLength(126);

    // 20 batches in about two seconds: coalesced into a few deltas, none lost.
    for (let i = 0; i < 20; i++) {
      await post([receivedNow('00004', later(3_600_000))]);
      await new Promise((r) => setTimeout(r, 100));
    }
    const s = await c.waitFor(commune, (st) => summaryCounts(st).received === 20, 10_000, '20 received');
    expect(summaryCounts(s).inProgress).toBe(20);
    await c.waitFor(nation, (st) => summaryCounts(st).received === 20);
    const row = (await c.waitFor(table, (st) => (st.data as Record<string, { counts: { received: number } }>)['00004']!.counts.received === 20)).data as Record<string, { lastEventAt: string | null }>;
    expect(row['00004']!.lastEventAt).not.toBeNull();
    expect(row['00070']!.lastEventAt).toBeNull();
    // The rows carry the unit's type as /rankings does.
    expect((row['00004'] as unknown as { unitType: string }).unitType).toBe('phường');
    expect((c.state(commune)!.data as { freshness: { lastEventAt: string | null } }).freshness.lastEventAt).not.toBeNull();

    for (const k of [nation, commune, table]) {
      const msgs = c.messages.filter((m) => m.topic === k && m.kind !== 'heartbeat');
      expect(msgs[0]!.kind).toBe('snapshot');
      const deltas = msgs.filter((m) => m.kind === 'delta');
      expect(deltas.length).toBeGreaterThan(0);
      expect(deltas.length).toBeLessThan(20);
      deltas.forEach((d, i) => expect(d.seq).toBe(msgs[0]!.seq + i + 1));
      for (let i = 1; i < deltas.length; i++) expect(deltas[i]!.at - deltas[i - 1]!.at).toBeGreaterThanOrEqual(LIVE_MIN_DELTA_INTERVAL_MS - 100);
      expect(c.state(k)!.snapshots).toBe(1);
    }
  });

  it('rejects bad topics with a reason and keeps the good ones', async () => {
    const c = client();
    await new Promise<void>((r) => c.socket.once('connect', () => r()));
    const ack = (await c.socket.timeout(5000).emitWithAck('subscribe', {
      topics: [{ scope: 'province:99' }, { scope: 'commune:00004', view: 'children' }, { scope: 'nation', period: 'week' }, { scope: 'province:01' }],
    })) as { topics: { ok: boolean; code?: string; reason?: string; topic?: string }[] };
    expect(ack.topics.map((x) => x.code ?? 'ok')).toEqual(['NOT_FOUND', 'BAD_REQUEST', 'BAD_REQUEST', 'ok']);
    expect(ack.topics.map((x) => x.reason ?? x.topic)).toEqual([
      'province 99 is not a known province (2025 codes)',
      'a commune has no units below it: use view "children" on nation or a province',
      'period must be one of today, 7d, 30d, month, quarter, year, got "week"',
      'summary|province:01|today',
    ]);
    const bad = (await c.socket.timeout(5000).emitWithAck('subscribe', 'nation')) as { topics: { ok: boolean; code: string; reason: string }[] };
    expect(bad.topics[0]!.reason).toMatch(/send \{"topics"/);
    expect(bad.topics[0]!.code).toBe('BAD_REQUEST');
    // 100 topics per connection: this one holds 1, so 99 more are taken and the rest refused.
    const communes = (await t.http.get('/api/v1/units/provinces/01/communes')).body as { code: string }[];
    const many = (await c.socket.timeout(5000).emitWithAck('subscribe', { topics: communes.slice(0, 101).map((x) => ({ scope: `commune:${x.code}` })) })) as {
      topics: { ok: boolean; code?: string; reason?: string }[];
    };
    expect(many.topics.filter((x) => x.ok)).toHaveLength(99);
    expect(many.topics[99]!.reason).toBe('a connection may hold at most 100 topics');
    expect(many.topics[99]!.code).toBe('TOO_MANY_REQUESTS');
  });

  it('gives a fresh snapshot after a reconnect, with what happened meanwhile', async () => {
    const c = client();
    const k = await c.subs.add({ scope: 'commune:00070' });
    await c.waitFor(k, (s) => s.status === 'live');
    // Drop the connection underneath socket.io; events land while the client is away.
    c.socket.io.reconnection(false);
    c.socket.io.engine.close();
    await c.waitFor(k, (st) => st.status === 'reconnecting', 5000, 'disconnect');
    await post([receivedNow('00070', later(3_600_000)), receivedNow('00070', later(3_600_000))]);
    c.socket.io.reconnection(true);
    c.socket.connect();
    await c.waitFor(k, (st) => st.status === 'live' && st.snapshots === 2, 10_000, 'second snapshot');
    // The snapshot is sent at once from the publisher's last figures; what they lack follows as a delta.
    await c.waitFor(k, (st) => summaryCounts(st).received === 2, 5000, 'the events sent meanwhile');
  });

  it('gives a fresh snapshot when a delta is missed', async () => {
    const c = client();
    const k = await c.subs.add({ scope: 'commune:00008' });
    await c.waitFor(k, (s) => s.status === 'live');
    // Lose the next delta on the way in.
    const real = c.subs.onDelta.bind(c.subs);
    let dropped = 0;
    c.subs.onDelta = (d) => {
      if (d.topic === k && dropped === 0) {
        dropped++;
        return;
      }
      real(d);
    };
    await post([receivedNow('00008', later(3_600_000))]);
    await new Promise((r) => setTimeout(r, 1500));
    await post([receivedNow('00008', later(3_600_000))]);
    const s = await c.waitFor(k, (st) => st.status === 'live' && summaryCounts(st).received === 2, 15_000, 'resync after gap');
    expect(dropped).toBe(1);
    expect(s.snapshots).toBe(2);
  });

  it('moves on-time when a dossier passes its appointment, with no event arriving', async () => {
    const c = client();
    const k = await c.subs.add({ scope: 'commune:00025' });
    await post([receivedNow('00025', later(4000))]);
    let s = await c.waitFor(k, (st) => st.status === 'live' && summaryCounts(st).received === 1);
    expect(summaryCounts(s).inProgressOverdue).toBe(0);
    const seq = s.seq;
    s = await c.waitFor(k, (st) => summaryCounts(st).inProgressOverdue === 1, 20_000, 'overdue');
    expect(s.seq).toBeGreaterThan(seq);
    expect((s.data as { kpis: { onTime: { value: number | null } } }).kpis.onTime.value).toBe(0);
  });

  it('sends heartbeats while nothing changes, so a quiet topic is not taken for a frozen one', async () => {
    const c = client();
    const k = await c.subs.add({ scope: 'commune:00103' });
    await c.waitFor(k, (s) => s.status === 'live');
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 6000));
    const after = c.messages.filter((m) => m.topic === k && m.at > since);
    expect(after.map((m) => m.kind)).toContain('heartbeat');
    expect(after.filter((m) => m.kind === 'delta')).toEqual([]);
    expect(c.subs.staleSince(k)).toBeNull();
    expect(c.state(k)!.asOf! > new Date(since).toISOString()).toBe(true);
  });

  it('lets figures go stale when they cannot be read, and live again when they can', async () => {
    const c = client();
    const k = await c.subs.add({ scope: 'commune:00118' });
    await c.waitFor(k, (s) => s.status === 'live');
    // Break the figures for real: a table the publisher reads disappears.
    await t.db.query('ALTER TABLE unit_activity RENAME TO unit_activity_away');
    try {
      await c.waitFor(k, () => c.subs.staleSince(k) !== null, 40_000, 'stale');
    } finally {
      await t.db.query('ALTER TABLE unit_activity_away RENAME TO unit_activity');
    }
    const lastBeat = c.state(k)!.lastMessageAt!;
    await c.waitFor(k, (s) => (s.lastMessageAt ?? 0) > lastBeat && c.subs.staleSince(k) === null, 15_000, 'live again');
  }, 70_000);

  it('reads topics computed together (shared grouped queries) exactly as each one alone', async () => {
    await post([receivedNow('00091', later(60_000)), receivedNow('00082', later(3_600_000)), receivedNow('00091', later(0))]);
    const specs = [
      { scope: 'province:01' },
      { scope: 'province:04' },
      { scope: 'commune:00004' },
      { scope: 'commune:00091' },
      { scope: 'commune:00082', period: '7d' },
      { scope: 'commune:00082' },
      { scope: 'nation', view: 'children' },
      { scope: 'province:01', view: 'children', period: 'month' },
    ];
    const topics = specs.map((s) => (parseTopicSpec(s) as { ok: true; topic: Topic }).topic);
    const data = t.app.get(TopicData);
    await t.projected();
    const now = Date.now();
    const together = await data.computeMany(topics, now);
    for (const topic of topics) {
      const alone = await data.compute(topic, now);
      // The projection mark is read at each computation (its lag moves with the clock); the figures must not.
      const { projection: p1, ...a } = together.get(topicKey(topic)) as TopicFigures;
      const { projection: p2, ...b } = alone;
      expect({ topic, ...a }).toEqual({ topic, ...b });
      expect(p1.watermark).toBe(p2.watermark);
    }
    expect((together.get('summary|commune:00091|today') as { data: { counts: { received: number } } }).data.counts.received).toBe(2);
  });

  it('closes a client that stops reading, without holding back the others', async () => {
    const live = t.app.get(LiveService);
    const before = live.stats();
    // A raw WebSocket speaking the socket.io protocol that subscribes to the 34 provinces' commune tables and never reads.
    let resync: NodeJS.Timeout | undefined;
    const ws = new WebSocket(`${base.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    await new Promise<void>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', (raw) => {
        const m = raw.toString();
        if (m.startsWith('0{')) ws.send(`40/live,${JSON.stringify({ token: t.token })}`);
        if (m.startsWith('40/live,')) {
          const topics = [
            '01',
            '04',
            '08',
            '11',
            '12',
            '14',
            '15',
            '19',
            '20',
            '22',
            '24',
            '25',
            '31',
            '33',
            '37',
            '38',
            '40',
            '42',
            '44',
            '46',
            '48',
            '51',
            '52',
            '56',
            '66',
            '68',
            '75',
            '79',
            '80',
            '82',
            '86',
            '91',
            '92',
            '96',
          ].flatMap((p) => ['today'].map((period) => ({ scope: `province:${p}`, view: 'children', period })));
          ws.send(`42/live,${JSON.stringify(['subscribe', { topics: topics.slice(0, 100) }])}`);
          // Stop reading: the server's writes pile up in the kernel, then in the server. And keep asking
          // for fresh snapshots (allowed once a second per topic), more than the kernel's buffers hold.
          (ws as unknown as { _socket: { pause(): void } })._socket.pause();
          const keys = topics.slice(0, 100).map((x) => `children|${x.scope}|${x.period}`);
          resync = setInterval(() => {
            if (ws.readyState === WebSocket.OPEN) for (const topic of keys) ws.send(`42/live,${JSON.stringify(['resync', { topic }])}`);
          }, 1000);
          resolve();
        }
      });
    });
    try {
      const healthy = client();
      const k = await healthy.subs.add({ scope: 'commune:00004' });
      await healthy.waitFor(k, (s) => s.status === 'live');
      const start = summaryCounts(healthy.state(k)!).received;
      await post([receivedNow('00004', later(3_600_000))]);
      await healthy.waitFor(k, (s) => summaryCounts(s).received === start + 1, 5000, 'delta while another client stalls');
      const deadline = Date.now() + 30_000;
      while (live.stats().slowDisconnects === before.slowDisconnects && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(live.stats().slowDisconnects).toBe(before.slowDisconnects + 1);
    } finally {
      clearInterval(resync);
      ws.terminate();
    }
    const healthy = clients.at(-1)!;
    const k = 'summary|commune:00004|today';
    const now = summaryCounts(healthy.state(k)!).received;
    await post([receivedNow('00004', later(3_600_000))]);
    await healthy.waitFor(k, (s) => summaryCounts(s).received === now + 1, 5000);
  }, 90_000);
});
