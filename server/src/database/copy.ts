import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Sends a COPY … FROM STDIN statement its whole input (text or binary format). */
export async function copyIn(client: pg.ClientBase, sql: string, input: string | Buffer): Promise<void> {
  await pipeline(Readable.from([input]), client.query(copyFrom(sql)));
}

/** PostgreSQL's epoch (2000-01-01T00:00:00Z) in Unix epoch ms. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
/** The binary COPY signature, flags and header extension length. */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);

/**
 * Rows in PostgreSQL's binary COPY format, for `COPY … FROM STDIN (FORMAT binary)`:
 * numbers and instants go as 8 bytes each, with no text to build and none for
 * the server to parse. Each row's fields must match the target columns' types in
 * order (text, int8, timestamptz; json and char(n) take text).
 */
export class BinaryCopyWriter {
  private buf: Buffer;
  private pos = HEADER.length;

  constructor(bytesHint = 1 << 16) {
    this.buf = Buffer.allocUnsafe(HEADER.length + bytesHint + 2);
    HEADER.copy(this.buf, 0);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.room(2);
    this.pos = this.buf.writeInt16BE(fields, this.pos);
  }

  text(s: string): void {
    const n = Buffer.byteLength(s);
    this.room(4 + n);
    this.pos = this.buf.writeInt32BE(n, this.pos);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /**
   * A whole number as int8 (exact up to 2^53). Counters are written by the million, most of
   * them 0 or small: the bytes are set one by one, without the checks of Buffer's writers.
   */
  int8(x: number): void {
    this.room(12);
    const b = this.buf;
    const p = this.pos;
    const hi = Math.floor(x / TWO_32);
    const lo = x - hi * TWO_32;
    b[p] = 0;
    b[p + 1] = 0;
    b[p + 2] = 0;
    b[p + 3] = 8;
    b[p + 4] = (hi >>> 24) & 0xff;
    b[p + 5] = (hi >>> 16) & 0xff;
    b[p + 6] = (hi >>> 8) & 0xff;
    b[p + 7] = hi & 0xff;
    b[p + 8] = (lo >>> 24) & 0xff;
    b[p + 9] = (lo >>> 16) & 0xff;
    b[p + 10] = (lo >>> 8) & 0xff;
    b[p + 11] = lo & 0xff;
    this.pos = p + 12;
  }

  /** An instant (epoch ms) as timestamptz. */
  timestamptz(ms: number): void {
    this.int8((ms - PG_EPOCH_MS) * 1000);
  }

  /** An instant, or NULL for none. */
  timestamptzOrNull(ms: number | null | undefined): void {
    if (ms === null || ms === undefined) this.null();
    else this.timestamptz(ms);
  }

  /** A NULL field. */
  null(): void {
    this.room(4);
    this.pos = this.buf.writeInt32BE(-1, this.pos);
  }

  /** The whole COPY input, with its trailer; the writer is not used after. */
  finish(): Buffer {
    this.room(2);
    this.pos = this.buf.writeInt16BE(-1, this.pos);
    return this.buf.subarray(0, this.pos);
  }
}
