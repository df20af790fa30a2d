import { describe, expect, it } from '@jest/globals';
import { fileNameOf } from './api';
import { formatBytes, lastMonth, lastQuarter, thisMonth } from './reportPeriods';

describe('report periods', () => {
  it('names last month, this month to date and last quarter from a local date', () => {
    expect(lastMonth('2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(lastMonth('2026-01-01')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(thisMonth('2026-03-15')).toEqual({ from: '2026-03-01', to: '2026-03-15' });
    expect(lastQuarter('2026-05-20')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(lastQuarter('2026-02-10')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(lastQuarter('2026-12-31')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
  });

  it('says file sizes in the language shown and reads the file name the server gives', () => {
    expect(formatBytes(532, 'vi-VN')).toBe('532 B');
    expect(formatBytes(48_213, 'vi-VN')).toBe('48,2 kB');
    expect(formatBytes(1_234_567, 'en-GB')).toBe('1.2 MB');
    expect(fileNameOf('attachment; filename="ioc-bao-cao-province-01-2026-01-01_2026-01-31.pdf"', 'x.pdf')).toBe('ioc-bao-cao-province-01-2026-01-01_2026-01-31.pdf');
    expect(fileNameOf(null, 'x.pdf')).toBe('x.pdf');
  });
});
