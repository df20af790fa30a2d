import { once } from 'node:events';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DAY_MS } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import { registerIngestKey } from '../auth/ingest-keys.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { RelayOptions } from '../relay/options.js';
import { Relay, type RelayStatus, alive } from '../relay/relay.js';
import { UnitsService } from '../units/units.service.js';
import { databaseNames } from './database-names.js';
import { DemoFeedService } from './demo-feed.service.js';
import { rngOf } from './demo-links.js';
import { DEMO_RELAY_COMMUNES, type RelayFolders, demoRelayFolderName, demoRelayRoot, relayFolders } from './relay-exports.js';
import type { DemoSimulator } from './simulator/index.js';
import { type LinkSchedule, WeakLink, reachableAddress } from './weak-link.js';
import { databaseUrlOf } from '../database/data-source.js';

/** A real relay's settings, for a commune on weak 4G: a heartbeat every minute, small batches, retries up to a minute apart. */
const RELAY_SETTINGS: Omit<RelayOptions, 'server' | 'key' | 'watch' | 'spool' | 'commune'> = {
  batchSize: 1000,
  heartbeatMs: 60_000,
  timeoutMs: 30_000,
  retryBaseMs: 2000,
  retryMaxMs: 60_000,
  pollMs: 2000,
  // Exports are renamed into the folder whole: no need to wait for a writer.
  settleMs: 500,
  once: false,
};
/** A relay that failed (a full disk, its spool locked by another process) is started again after this long. */
const RESTART_MS = 30_000;
/** Outage windows are looked up again this often. */
const WINDOWS_MS = 600_000;

/**
 * The demo's weak links, from the simulator's outage windows of each commune (hours in the
 * day, now and then a silent day), the same on every start for a DEMO_SEED: during an outage,
 * mostly requests that vanish (weak 4G), sometimes refused connections; outside, round trips
 * of a few hundred ms to over a second, and now and then an answer lost on the way back.
 */
export function demoLinkSchedule(sim: DemoSimulator, seed: number): LinkSchedule {
  const cache = new Map<string, { until: number; windows: { from: number; to: number }[] }>();
  const windowsAt = (code: string, at: number) => {
    let c = cache.get(code);
    if (!c || at >= c.until || at < c.until - WINDOWS_MS) {
      c = { until: at + WINDOWS_MS, windows: sim.outageWindows(code, at - 3 * DAY_MS, at + WINDOWS_MS) };
      cache.set(code, c);
    }
    return c.windows;
  };
  return {
    mode(code, at) {
      if (windowsAt(code, at).some((w) => w.from <= at && at < w.to)) {
        return rngOf(seed, `drop:${code}:${Math.floor(at / WINDOWS_MS)}`)() < 0.6 ? 'blackhole' : 'reset';
      }
      return rngOf(seed, `ack:${code}:${Math.floor(at / 1000)}`)() < 0.01 ? 'lose-answers' : 'up';
    },
    delayMs(code, at, bytes) {
      const base = 150 + 450 * rngOf(seed, `lat:${code}`)();
      const r = rngOf(seed, `lat:${code}:${Math.floor(at / 1000)}`);
      // About 256 kbit/s: a batch of a few hundred events takes seconds more than a heartbeat.
      return Math.round(base * (0.6 + 0.8 * r()) * (r() < 0.08 ? 3 : 1) + bytes / 32);
    },
  };
}

/**
 * Real ioc-relays for a few remote communes (DEMO_RELAY_COMMUNES), in this process: the demo
 * feed writes those communes' events as export files into the folder each relay watches; the
 * relay spools them, forwards them through the commune's weak link (WeakLink) with a
 * commune-scoped ingest key provisioned here, and sends its heartbeat every minute. So
 * their link state, backlog and late data on the dashboard are the relay's own. A relay
 * that fails is logged and started again; it never stops the server, and stops with it.
 */
@Injectable()
export class DemoRelays implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('DemoRelays');
  private stopping = false;
  private running: Promise<void> | null = null;
  private readonly loops: Promise<void>[] = [];
  private readonly relays = new Map<string, Relay>();
  /** Cuts the waits short when the application stops. */
  private readonly abort = new AbortController();
  private weak: WeakLink | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly feed: DemoFeedService,
    private readonly units: UnitsService,
    private readonly auth: AuthService,
    private readonly adapter: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.demo.enabled) return;
    this.running = this.start().catch((e: unknown) => {
      if (!this.stopping) this.log.warn(`demo relays not started: ${(e as Error).message}`);
    });
  }

  /** Resolves once the relays are started (or could not be). */
  async started(): Promise<void> {
    await this.running;
  }

  /** The communes that run a real relay (those of DEMO_RELAY_COMMUNES in the reference data). */
  communes(): string[] {
    return DEMO_RELAY_COMMUNES.filter((c) => this.units.hasCommune(c));
  }

  /** A commune relay's ingest key: scoped to the commune, derived from the server's secret (the same on every start; a revoked one stays revoked). */
  key(communeCode: string): string {
    return `ioc_relay${communeCode}_${this.auth.derive(`demo-relay:${communeCode}`).slice(0, 32)}`;
  }

  folders(communeCode: string): RelayFolders {
    return relayFolders(demoRelayRoot(this.config, databaseUrlOf(this.db)), communeCode);
  }

  /** The weak links (null until started). */
  link(): WeakLink | null {
    return this.weak;
  }

  /** The relay's spool and counters now; null when it does not run. */
  status(communeCode: string): RelayStatus | null {
    return this.relays.get(communeCode)?.status() ?? null;
  }

  /** The communes whose relay runs now. */
  runningRelays(): string[] {
    return [...this.relays.keys()];
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    for (const r of this.relays.values()) r.stop();
    await this.running;
    await Promise.all(this.loops);
    await this.weak?.close();
  }

  private async start(): Promise<void> {
    const communes = this.communes();
    if (communes.length === 0) return;
    await this.prune().catch((e: unknown) => this.log.warn(`old demo relay folders not removed: ${(e as Error).message}`));
    for (const code of communes) {
      await registerIngestKey(this.db, this.key(code), `commune:${code}`, `Trạm chuyển tiếp ioc-relay — ${this.units.commune(code).fullName}`);
    }
    // The relays reach the server over HTTP, as a commune's would: once it listens.
    const server = this.adapter.httpAdapter.getHttpServer() as Server;
    if (!server.listening) await once(server, 'listening', { signal: this.abort.signal }).catch(() => undefined);
    if (this.stopping) return;
    const link = new WeakLink(() => reachableAddress(server), demoLinkSchedule(this.feed.simulator(), this.config.demo.seed));
    await link.listen();
    this.weak = link;
    if (this.stopping) return;
    this.log.log(`demo relays: ${communes.map((c) => this.units.commune(c).fullName).join(', ')} forward through weak links; spools in ${demoRelayRoot(this.config, databaseUrlOf(this.db))}`);
    for (const code of communes) this.loops.push(this.supervise(code, link));
  }

  private async supervise(code: string, link: WeakLink): Promise<void> {
    const f = this.folders(code);
    let said = '';
    while (!this.stopping) {
      try {
        await mkdir(f.exportDir, { recursive: true });
        const relay = await Relay.start({ ...RELAY_SETTINGS, server: link.url(code), key: this.key(code), watch: f.exportDir, spool: f.spoolDir, commune: code }, (m) => this.relayLog(code, m));
        this.relays.set(code, relay);
        said = '';
        if (this.stopping) relay.stop();
        await relay.run();
      } catch (e) {
        const message = (e as Error).message;
        // Said once, not every 30 s while the cause lasts.
        if (!this.stopping && message !== said) this.log.warn(`relay of ${code} stopped: ${message}; started again every ${RESTART_MS / 1000} s`);
        said = message;
      } finally {
        this.relays.delete(code);
      }
      await delay(RESTART_MS, undefined, { signal: this.abort.signal, ref: false }).catch(() => undefined);
    }
  }

  /**
   * Removes the relay folders of databases that no longer exist on this PostgreSQL (a dropped
   * test database's), when nothing waits in them: no export, no queued batch, no relay running.
   */
  private async prune(): Promise<void> {
    const base = join(this.config.embeddedPgDir, 'demo-relay');
    const names = await readdir(base).catch(() => [] as string[]);
    if (names.length === 0) return;
    const live = new Set((await databaseNames(this.db)).map((name) => demoRelayFolderName(name)));
    for (const name of names) {
      if (live.has(name)) continue;
      const dir = join(base, name);
      let waiting = false;
      for (const code of await readdir(dir).catch(() => [] as string[])) {
        const f = relayFolders(dir, code);
        const exported = await readdir(f.exportDir).catch(() => [] as string[]);
        const queued = await readdir(join(f.spoolDir, 'queue')).catch(() => [] as string[]);
        const pid = Number((await readFile(join(f.spoolDir, 'relay.lock'), 'utf8').catch(() => '')).trim());
        const locked = pid > 0 && alive(pid);
        if (exported.length > 0 || queued.length > 0 || locked) waiting = true;
      }
      if (!waiting) await rm(dir, { recursive: true, force: true });
    }
  }

  /** Link changes and deliveries at info level; each retry during an outage and each file taken at debug level. */
  private relayLog(code: string, message: string): void {
    const line = `relay ${code}: ${message}`;
    if (/^batch .* not delivered|: spooled |already in the spool/.test(message)) this.log.debug(line);
    else this.log.log(line);
  }
}
