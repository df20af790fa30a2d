import { Agent, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * How a commune's link treats a request:
 * - `up`: it goes through, slowly;
 * - `reset`: the connection is refused (no coverage);
 * - `blackhole`: the request vanishes and nothing comes back (the sender's timeout ends it);
 * - `lose-answers`: the request reaches the server, which does its work, but the answer is lost.
 */
export type LinkMode = 'up' | 'reset' | 'blackhole' | 'lose-answers';

export interface LinkSchedule {
  /** How the commune's link behaves for a request sent at `at`. */
  mode(communeCode: string, at: number): LinkMode;
  /** One way across the link at `at` for a body of `bytes` (ms). */
  delayMs(communeCode: string, at: number, bytes: number): number;
}

/** Hop-by-hop headers, which belong to one connection and are not forwarded. */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function endToEnd(h: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP.has(k)) out[k] = v;
  return out;
}

/**
 * The demo's weak links: a small HTTP relay-to-server path on 127.0.0.1, one base URL per
 * commune (`/c/<commune code>`), that delays every request and answer, and during the
 * commune's outage windows refuses connections, swallows requests, or loses the server's
 * answers after the server has done its work. What goes through reaches the real server.
 */
export class WeakLink {
  private server: Server | null = null;
  private port = 0;
  private closed = false;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly held = new Map<string, LinkMode>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });

  constructor(
    /** Where the IOC server listens (read at every request). */
    private readonly upstream: () => { host: string; port: number },
    private readonly schedule: LinkSchedule,
  ) {}

  async listen(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** The server address a commune's relay is given. */
  url(communeCode: string): string {
    return `http://127.0.0.1:${this.port}/c/${communeCode}`;
  }

  /** Keeps a commune's link in `mode` until release(), whatever its schedule says: an outage (or a clear link) on demand. */
  hold(communeCode: string, mode: LinkMode): void {
    this.held.set(communeCode, mode);
  }

  release(communeCode: string): void {
    this.held.delete(communeCode);
  }

  modeAt(communeCode: string, at: number): LinkMode {
    return this.held.get(communeCode) ?? this.schedule.mode(communeCode, at);
  }

  /** Cuts every connection and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const m = /^\/c\/(\d{5})(\/.*)$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 404, message: 'A commune link is /c/<5-digit commune code>/api/...' }));
      return;
    }
    const code = m[1]!;
    const path = m[2]!;
    const at = Date.now();
    const mode = this.modeAt(code, at);
    if (mode === 'reset') {
      req.socket.destroy();
      return;
    }
    if (mode === 'blackhole') {
      // Read and forget: the sender waits for an answer that never comes.
      req.resume();
      return;
    }
    req.pause();
    this.later(this.schedule.delayMs(code, at, Number(req.headers['content-length'] ?? 0) || 0), () => this.forward(code, path, mode, req, res));
  }

  private forward(code: string, path: string, mode: LinkMode, req: IncomingMessage, res: ServerResponse): void {
    if (req.socket.destroyed) return;
    let target: { host: string; port: number };
    try {
      target = this.upstream();
    } catch (e) {
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 502, message: (e as Error).message }));
      return;
    }
    const up = httpRequest(
      { host: target.host, port: target.port, path, method: req.method, headers: { ...endToEnd(req.headers), host: `${target.host}:${target.port}` }, agent: this.agent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('error', () => req.socket.destroy());
        answer.on('end', () => {
          // The link may have failed while the server worked: what the server did stays done, its answer is lost.
          if (mode === 'lose-answers' || this.modeAt(code, Date.now()) !== 'up') {
            req.socket.destroy();
            return;
          }
          const body = Buffer.concat(chunks);
          this.later(this.schedule.delayMs(code, Date.now(), body.length), () => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, { ...endToEnd(answer.headers), 'content-length': String(body.length) }).end(body);
          });
        });
      },
    );
    up.on('error', (e) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 502, message: `The IOC server did not answer: ${e.message}` }));
    });
    req.on('error', () => up.destroy());
    req.pipe(up);
  }
}

/** The address to reach a listening server at from this machine. */
export function reachableAddress(server: Server): { host: string; port: number } {
  const a = server.address() as AddressInfo | null;
  if (!a || typeof a !== 'object') throw new Error('The IOC server is not listening');
  const any = a.address === '0.0.0.0' || a.address === '::' || a.address === '';
  return { host: any ? '127.0.0.1' : a.address, port: a.port };
}
