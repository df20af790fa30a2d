import { describe, expect, it } from '@jest/globals';
import { csvFileName, toCsv } from './csv';

describe('CSV export', () => {
  const cols = [
    { header: 'Đơn vị', value: (r: { name: string; v: number | null }) => r.name },
    { header: 'Tỷ lệ đúng hạn (%)', value: (r: { name: string; v: number | null }) => r.v },
  ];

  it('starts with a UTF-8 byte-order mark and keeps diacritics, with CRLF rows', () => {
    const csv = toCsv(cols, [{ name: 'Phường Ba Đình', v: 52.3 }]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe('Đơn vị,Tỷ lệ đúng hạn (%)\r\nPhường Ba Đình,52.3\r\n');
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it('leaves a missing value empty, never 0', () => {
    expect(toCsv(cols, [{ name: 'Xã A', v: null }]).split('\r\n')[1]).toBe('Xã A,');
  });

  it('quotes separators, quotes and line breaks, and defuses formulas', () => {
    const csv = toCsv(cols, [
      { name: 'Xã "Mới", Hà Nội', v: 1 },
      { name: '=HYPERLINK("x")', v: 2 },
    ]);
    const [, a, b] = csv.split('\r\n');
    expect(a).toBe('"Xã ""Mới"", Hà Nội",1');
    expect(b).toBe(`"'=HYPERLINK(""x"")",2`);
  });

  it('names files without diacritics or unsafe characters', () => {
    expect(csvFileName('xếp hạng', 'Đà Nẵng', '2026-11-01_2026-11-21')).toBe('ioc-xep-hang-Da-Nang-2026-11-01_2026-11-21.csv');
  });
});
