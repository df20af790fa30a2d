import { type LiveDelta, type LiveSnapshot, type LiveSubscriptions, type TopicState, liveOverSocket } from '@ioc/shared';
import { type Socket, io } from 'socket.io-client';
import type { DossierEvent } from '@ioc/shared';

export interface LiveMessage {
  kind: 'snapshot' | 'delta' | 'heartbeat';
  topic: string;
  seq: number;
  epoch: string;
  at: number;
}

/** A real socket.io client on `/live` with the dashboard's subscription logic, recording every message. */
export class TestLiveClient {
  readonly socket: Socket;
  readonly subs: LiveSubscriptions;
  readonly messages: LiveMessage[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(baseUrl: string, token: string) {
    this.socket = io(`${baseUrl}/live`, { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 500, forceNew: true, auth: { token } });
    for (const kind of ['snapshot', 'delta', 'heartbeat'] as const) {
      this.socket.on(kind, (m: LiveSnapshot | LiveDelta) => this.messages.push({ kind, topic: m.topic, seq: m.seq, epoch: m.epoch, at: Date.now() }));
    }
    this.subs = liveOverSocket(this.socket, { onChange: () => this.notify(), snapshotTimeoutMs: 3000 });
    this.socket.on('connect', () => this.notify());
  }

  state(topic: string): TopicState | undefined {
    return this.subs.get(topic);
  }

  /** Resolves when `check` holds for the topic's state (checked on every change). */
  async waitFor(topic: string, check: (s: TopicState) => boolean, timeoutMs = 15_000, what = 'condition'): Promise<TopicState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.subs.get(topic);
      if (s && check(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on ${topic}; state: ${JSON.stringify({ ...s, data: undefined })}`);
      this.subs.tick();
      await new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done);
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(done, 200);
        this.waiters.add(done);
      });
    }
  }

  close(): void {
    this.socket.close();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

export function summaryCounts(s: TopicState): { received: number; inProgress: number; inProgressOverdue: number } {
  return (s.data as { counts: { received: number; inProgress: number; inProgressOverdue: number } }).counts;
}

let n = 0;
/** A dossier received now at `unit`, due at `dueAt`. */
export function receivedNow(unit: string, dueAt: Date, id = `L${process.pid}-${Date.now()}-${++n}`): DossierEvent {
  const now = new Date(Date.now() - 1000);
  return {
    eventId: `${id}-r`,
    dossierId: id,
    communeCode: unit,
    type: 'received',
    occurredAt: now.toISOString(),
    procedureCode: '1.001193',
    sector: 'Hộ tịch',
    channel: 'online',
    fullOnlineEligible: false,
    resultRequired: false,
    feeRequired: false,
    dueAt: dueAt.toISOString(),
  } as DossierEvent;
}
