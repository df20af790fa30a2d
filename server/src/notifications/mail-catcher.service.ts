import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { CaughtMail, CaughtMailResponse } from '@ioc/shared';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** The catcher keeps the newest messages only: it is for looking at the demo, not an archive. */
const KEEP = 200;

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = a === undefined ? [] : Array.isArray(a) ? a : [a];
  return list.flatMap((x) => x.value.map((v) => v.address ?? v.name).filter((s): s is string => Boolean(s)));
}

/**
 * In demo mode without SMTP_URL, a real SMTP server on 127.0.0.1 that keeps what it
 * receives, so the demo's mail really goes through SMTP and an administrator can read it
 * (GET /api/v1/notifications/caught-mail). Each server process has its own.
 */
@Injectable()
export class MailCatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('MailCatcher');
  private server: SMTPServer | null = null;
  private port: number | null = null;
  private readonly caught: CaughtMail[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.notifications.mailCatcher) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      banner: 'IOC mail catcher',
      size: 5 * 1024 * 1024,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((m) => {
            this.caught.unshift({
              id: randomUUID(),
              at: new Date().toISOString(),
              from: addresses(m.from)[0] ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
              to: addresses(m.to).length ? addresses(m.to) : session.envelope.rcptTo.map((r) => r.address),
              subject: m.subject ?? '',
              text: m.text ?? '',
            });
            this.caught.length = Math.min(this.caught.length, KEEP);
            callback();
          })
          .catch((e: unknown) => callback(e as Error));
      },
    });
    server.on('error', (e) => this.log.warn(`mail catcher: ${e.message}`));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as { port: number }).port;
    this.log.log(`demo mail catcher on smtp://127.0.0.1:${this.port} (no SMTP_URL): read what it caught at GET /api/v1/notifications/caught-mail`);
  }

  async onApplicationShutdown(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The SMTP address mail goes to when the catcher runs. */
  url(): string | null {
    return this.server && this.port !== null ? `smtp://127.0.0.1:${this.port}` : null;
  }

  list(): CaughtMailResponse {
    return { enabled: this.server !== null, address: this.url(), items: [...this.caught] };
  }
}
