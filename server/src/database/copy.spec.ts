import { describe, expect, it } from '@jest/globals';
import { BinaryCopyWriter } from './copy.js';

describe('BinaryCopyWriter', () => {
  it('writes the header, each row as a field count and length-prefixed fields, and the trailer', () => {
    const w = new BinaryCopyWriter(4);
    w.row(3);
    w.text('Hà');
    w.int8(-1);
    w.timestamptz(Date.parse('2000-01-01T00:00:01Z'));
    const b = w.finish();
    expect(b.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(b.readInt32BE(11)).toBe(0);
    expect(b.readInt32BE(15)).toBe(0);
    let p = 19;
    expect(b.readInt16BE(p)).toBe(3);
    p += 2;
    expect(b.readInt32BE(p)).toBe(3); // 'Hà' is 3 bytes of UTF-8
    expect(b.subarray(p + 4, p + 7).toString('utf8')).toBe('Hà');
    p += 7;
    expect(b.readInt32BE(p)).toBe(8);
    expect(b.readBigInt64BE(p + 4)).toBe(-1n);
    p += 12;
    expect(b.readBigInt64BE(p + 4)).toBe(1_000_000n);
    p += 12;
    expect(b.readInt16BE(p)).toBe(-1);
    expect(b.length).toBe(p + 2);
  });

  it('writes whole numbers exactly across the 32-bit boundary and up to 2^53', () => {
    const xs = [0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, -(2 ** 32) + 7, 2 ** 53 - 1, -(2 ** 53) + 1, 1_234_567_890_123];
    const w = new BinaryCopyWriter(1);
    for (const x of xs) w.int8(x);
    const b = w.finish();
    xs.forEach((x, i) => expect(b.readBigInt64BE(19 + i * 12 + 4)).toBe(BigInt(x)));
  });
});
