import { createHmac, timingSafeEqual } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';

/** How one attempt went: a failure says whether trying again could help. */
export type SendResult = { ok: true; detail: string } | { ok: false; retryable: boolean; detail: string };

export const SIGNATURE_HEADER = 'X-IOC-Signature';
export const TIMESTAMP_HEADER = 'X-IOC-Timestamp';
export const DELIVERY_HEADER = 'X-IOC-Delivery';
export const EVENT_HEADER = 'X-IOC-Event';
const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): the timestamp is signed too, so a captured request cannot be replayed later. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (README, "Notifications"): recompute, compare in constant time, and refuse a stale timestamp. */
export function verifyWebhook(secret: string, header: { signature: string | undefined; timestamp: string | undefined }, body: string, nowMs = Date.now(), toleranceS = 300): boolean {
  const ts = Number(header.timestamp);
  if (!header.signature || !Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > toleranceS) return false;
  const want = Buffer.from(signWebhook(secret, ts, body));
  const got = Buffer.from(header.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Posts a signed JSON body. 2xx is delivered; 408, 429, 5xx and network errors are worth retrying; other answers are not. */
export async function postWebhook(url: string, secret: string | null, body: string, deliveryId: string, event: string): Promise<SendResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': 'IOC-Notifications/1',
    [TIMESTAMP_HEADER]: String(timestamp),
    [DELIVERY_HEADER]: deliveryId,
    [EVENT_HEADER]: event,
  };
  if (secret) headers[SIGNATURE_HEADER] = signWebhook(secret, timestamp, body);
  try {
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    const said = (await res.text().catch(() => '')).slice(0, 200);
    if (res.status >= 200 && res.status < 300) return { ok: true, detail: `HTTP ${res.status}` };
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    return { ok: false, retryable, detail: `HTTP ${res.status}${said ? `: ${said}` : ''}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { ok: false, retryable: true, detail: `could not reach ${new URL(url).host}: ${why}` };
  }
}

/** A file sent with a mail (the reports' PDF and xlsx). */
export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** One pooled SMTP transport per server address. */
export class Mailer {
  private readonly transports = new Map<string, Transporter>();

  async send(smtpUrl: string, mail: { from: string; to: string[]; subject: string; text: string; deliveryId: string; html?: string; attachments?: MailAttachment[] }): Promise<SendResult> {
    let t = this.transports.get(smtpUrl);
    if (!t) {
      t = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
      this.transports.set(smtpUrl, t);
    }
    try {
      const info = (await t.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html !== undefined ? { html: mail.html } : {}),
        ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
        headers: { [DELIVERY_HEADER]: mail.deliveryId },
      })) as { response?: string; rejected?: unknown[] };
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length === mail.to.length) return { ok: false, retryable: false, detail: `every recipient was refused: ${rejected.join(', ')}` };
      return { ok: true, detail: `${info.response ?? 'accepted'}${rejected.length ? ` (refused: ${rejected.join(', ')})` : ''}` };
    } catch (e) {
      const err = e as Error & { responseCode?: number; code?: string };
      // 5xx is the server's final word (a bad address, a refused sender); anything else may pass later.
      const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
      return { ok: false, retryable: !permanent, detail: `SMTP: ${err.responseCode ? `${err.responseCode} ` : ''}${err.message}`.slice(0, 500) };
    }
  }

  close(): void {
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
  }
}
