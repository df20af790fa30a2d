import type { OnApplicationShutdown } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { LIVE_NAMESPACE, MAX_TOPICS_PER_CONNECTION, type SubscribeAck, parseTopicKey, parseTopicSpec, topicKey } from '@ioc/shared';
import { AppError } from '../common/app-error.js';
import { AccessService } from '../auth/access.service.js';
import { AuthService, SESSION_CHECK_MS } from '../auth/auth.service.js';
import { UnitsService } from '../units/units.service.js';
import { LiveService } from './live.service.js';
import { type LiveNamespace, type LiveSocket, isTopic } from './live.types.js';

/** The error a refused handshake carries to the client (`connect_error`): `err.message` and `err.data`. */
export interface LiveAuthError extends Error {
  data: { status: 401; reason: string };
}

/** socket.io namespace `/live`: subscriptions to live topics (contract in shared/src/live/contract.ts). */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit<LiveNamespace>, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly live: LiveService,
    private readonly units: UnitsService,
    private readonly auth: AuthService,
    private readonly access: AccessService,
  ) {}

  afterInit(nsp: LiveNamespace): void {
    // Every connection signs in at the handshake with its access token: {auth: {token}}.
    nsp.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token === '') return next(authError('Sign in first: connect with {auth: {token: <access token>}}.'));
      this.auth.principalOfToken(token).then(
        (p) => {
          socket.data.principal = p;
          next();
        },
        (e: unknown) => next(authError(e instanceof AppError ? e.message : 'The access token could not be checked.')),
      );
    });
    this.timer = setInterval(() => void this.recheck(nsp), SESSION_CHECK_MS);
    this.timer.unref();
    this.live.attach(nsp);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Closes connections whose sign-in ended or whose account changed role or scope; they reconnect and are checked again. */
  private async recheck(nsp: LiveNamespace): Promise<void> {
    for (const socket of nsp.sockets.values()) {
      const had = socket.data.principal;
      if (!had) continue;
      const now = await this.auth.sessionPrincipal(had.sessionId).catch(() => had);
      if (!now || now.role !== had.role || JSON.stringify(now.scope) !== JSON.stringify(had.scope)) socket.disconnect(true);
    }
  }

  @SubscribeMessage('subscribe')
  subscribe(@MessageBody() body: unknown, @ConnectedSocket() socket: LiveSocket): SubscribeAck {
    const specs = (body as { topics?: unknown } | null)?.topics;
    if (!Array.isArray(specs) || specs.length === 0) {
      return { topics: [{ ok: false, index: 0, code: 'BAD_REQUEST', reason: 'send {"topics": [{"scope": "nation", "view": "summary", "period": "today"}, ...]}' }] };
    }
    let held = [...socket.rooms].filter(isTopic).length;
    return {
      topics: specs.map((spec, index) => {
        const parsed = parseTopicSpec(spec);
        if (!parsed.ok) return { ok: false, index, code: 'BAD_REQUEST', reason: parsed.reason };
        const s = parsed.topic.scope;
        if (s.kind === 'province' && !this.units.hasProvince(s.code)) return { ok: false, index, code: 'NOT_FOUND', reason: `province ${s.code} is not a known province (2025 codes)` };
        if (s.kind === 'commune' && !this.units.hasCommune(s.code)) return { ok: false, index, code: 'NOT_FOUND', reason: `commune ${s.code} is not a known commune (2025 codes)` };
        const refusal = this.access.topicRefusal(socket.data.principal, parsed.topic);
        if (refusal) return { ok: false, index, code: 'FORBIDDEN', reason: refusal };
        const key = topicKey(parsed.topic);
        if (!socket.rooms.has(key)) {
          if (held >= MAX_TOPICS_PER_CONNECTION) return { ok: false, index, code: 'TOO_MANY_REQUESTS', reason: `a connection may hold at most ${MAX_TOPICS_PER_CONNECTION} topics` };
          held++;
        }
        // Join first, so no delta sent after the snapshot can be missed.
        void socket.join(key);
        this.live.requestSnapshot(key, socket.id);
        return { ok: true, topic: key };
      }),
    };
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@MessageBody() body: unknown, @ConnectedSocket() socket: LiveSocket): { topics: string[] } {
    const keys = (body as { topics?: unknown } | null)?.topics;
    const left: string[] = [];
    if (Array.isArray(keys)) {
      for (const k of keys) {
        if (typeof k === 'string' && isTopic(k) && socket.rooms.has(k)) {
          void socket.leave(k);
          left.push(k);
        }
      }
    }
    return { topics: left };
  }

  @SubscribeMessage('resync')
  resync(@MessageBody() body: unknown, @ConnectedSocket() socket: LiveSocket): void {
    const key = (body as { topic?: unknown } | null)?.topic;
    // Only a topic the connection holds; anything else is ignored.
    if (typeof key !== 'string' || !socket.rooms.has(key) || !parseTopicKey(key).ok) return;
    // At most one snapshot per topic per second for a connection.
    const last = (socket.data.resyncAt ??= new Map());
    const now = Date.now();
    if (now - (last.get(key) ?? 0) < 1000) return;
    last.set(key, now);
    this.live.requestSnapshot(key, socket.id);
  }
}

function authError(reason: string): LiveAuthError {
  return Object.assign(new Error('unauthorized'), { data: { status: 401 as const, reason } });
}
