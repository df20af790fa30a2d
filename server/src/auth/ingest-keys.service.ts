import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CreatedIngestKey, type IngestKeySummary, formatScope, parseScope, ingestKeyCreateBodySchema } from '@ioc/shared';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { badRequest, conflict, notFound, tooManyRequests, unauthorized } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import { parseBody } from '../common/validation.js';
import { UnitsService } from '../units/units.service.js';
import type { AuthedPrincipal, Client, IngestSource } from './auth.types.js';
import type { IngestKey } from './ingest-key.entity.js';
import { activeIngestKey, hashKey, ingestKeyForUpdate, insertIngestKey, listIngestKeys, revokeIngestKey, touchIngestKey } from './ingest-keys.repository.js';
import { type RateLimit, RateLimitsService } from './rate-limits.js';

export { registerIngestKey } from './ingest-keys.repository.js';

/** How long a process trusts a key it checked; a revocation on this process applies at once. */
const KEY_CHECK_MS = 5000;
const TOUCH_MS = 60_000;

/**
 * Ingest keys of source systems, each scoped to a commune or a province (or the
 * nation, for the national public-service portal that forwards every province's
 * dossiers). Only a SHA-256 hash of a key is stored: keys are 192-bit random
 * strings, shown once.
 */
@Injectable()
export class IngestKeysService {
  private readonly cache = new Map<string, { source: IngestSource | null; at: number }>();
  private readonly touched = new Map<string, number>();
  /** Shared by every process on the database (see RateLimitsService). */
  private readonly limiter: RateLimit | null;

  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly audit: AuditService,
    limits: RateLimitsService,
  ) {
    this.limiter = limits.ingestPerKey();
  }

  /** The source system of an `X-Api-Key` header; 401 when missing, unknown or revoked, 429 past its rate. */
  async authenticate(header: string | string[] | undefined, opts: { rateLimit?: boolean } = {}): Promise<IngestSource> {
    if (typeof header !== 'string' || header === '') throw unauthorized('Missing API key: send the source system key in the X-Api-Key header.', 'invalid_request');
    const hash = hashKey(header);
    const id = hash.toString('base64');
    const now = Date.now();
    let hit = this.cache.get(id);
    if (!hit || now - hit.at >= KEY_CHECK_MS) {
      const row = await activeIngestKey(this.db, hash);
      const scope = row ? this.units.ref(parseScope(row.scope)!) : null;
      hit = { source: row && scope ? { keyId: row.id, name: row.name, scope } : null, at: now };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(id, hit);
    }
    if (!hit.source) throw unauthorized('The API key in X-Api-Key is not valid (unknown or revoked).', 'invalid_token');
    const source = hit.source;
    if (this.limiter && opts.rateLimit !== false) {
      try {
        await this.limiter.consume(source.keyId);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        throw tooManyRequests(`This key sent more than its ${this.limiter.points} requests per minute; retry after ${Math.ceil(e.msBeforeNext / 1000)} s.`, e.msBeforeNext / 1000);
      }
    }
    if (now - (this.touched.get(source.keyId) ?? 0) > TOUCH_MS) {
      this.touched.set(source.keyId, now);
      void touchIngestKey(this.db.manager, source.keyId).catch(() => undefined);
    }
    return source;
  }

  async list(): Promise<IngestKeySummary[]> {
    return (await listIngestKeys(this.db.manager)).map((r) => this.summary(r));
  }

  async create(body: unknown, by: AuthedPrincipal, client: Client): Promise<CreatedIngestKey> {
    const b = parseBody(ingestKeyCreateBodySchema, body);
    const scope = formatScope(this.units.refOf(b.scope));
    const key = `ioc_${randomBytes(24).toString('base64url')}`;
    return inTransaction(this.db, async (m) => {
      const row = await insertIngestKey(m, { name: b.name, prefix: key.slice(0, 12), keyHash: hashKey(key), scope, createdBy: by.username });
      await this.audit.record({ action: 'key.create', actor: by.username, target: `key:${row.id}`, ip: client.ip, details: { name: b.name, scope, prefix: row.prefix } }, m);
      return { ...this.summary(row), key };
    });
  }

  async revoke(id: string, by: AuthedPrincipal, client: Client): Promise<IngestKeySummary> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw badRequest(`key id must be a UUID, got "${id}"`);
    const row = await inTransaction(this.db, async (m) => {
      const cur = await ingestKeyForUpdate(m, id);
      if (!cur) throw notFound(`no ingest key ${id}`);
      if (cur.revokedAt) throw conflict(`key ${cur.prefix}… (${cur.name}) was already revoked by ${cur.revokedBy} at ${cur.revokedAt.toISOString()}`);
      const r = await revokeIngestKey(m, id, by.username);
      await this.audit.record({ action: 'key.revoke', actor: by.username, target: `key:${id}`, ip: client.ip, details: { name: cur.name, scope: cur.scope, prefix: cur.prefix } }, m);
      return r;
    });
    for (const [h, c] of this.cache) if (c.source?.keyId === id) this.cache.delete(h);
    return this.summary(row);
  }

  private summary(r: IngestKey): IngestKeySummary {
    return {
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      scope: r.scope,
      scopeName: this.units.scopeName(parseScope(r.scope)!),
      createdAt: r.createdAt.toISOString(),
      createdBy: r.createdBy,
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
      revokedBy: r.revokedBy,
    };
  }
}
